import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  INTENTS,
  MAX_SIGNALS_PER_CALL,
  ORDER_TYPES,
  SYMBOL_RE,
  type Signal,
  TAG_RE,
  parseSignal,
  parseSignals,
  parseStrategyOutput,
  signalSchema,
} from '../../../domain/contract/index.ts';
import { runs } from '../../support/runs.ts';

const BTC = 'BTC/USD';
const reasonOf = (raw: unknown, ctx = {}): string => {
  const r = parseSignal(raw, ctx);
  if (r.ok) throw new Error(`expected a rejection, got ${JSON.stringify(r.signal)}`);
  return r.reason;
};
const signalOf = (raw: unknown, ctx = {}): Signal => {
  const r = parseSignal(raw, ctx);
  if (!r.ok) throw new Error(`expected a signal, got: ${r.reason}`);
  return r.signal;
};

describe('valid signals (predecessor §3 semantics)', () => {
  it('BUY without tag: documented defaults for absent optional fields, nothing else added', () => {
    expect(signalOf({ action: 'BUY', symbol: BTC, size: 0.05 })).toEqual({
      action: 'BUY',
      symbol: BTC,
      size: 0.05,
      orderType: 'MARKET',
      intent: 'DAY',
      confidence: 0.5,
      reasoning: '',
    });
  });

  it('BUY LIMIT with bracket, tag and intent keeps every field as sent', () => {
    const raw = {
      action: 'BUY',
      symbol: 'ETH/USD',
      size: 0.06,
      orderType: 'LIMIT',
      limitPrice: 2000,
      stopLoss: 1940,
      takeProfit: 2180,
      intent: 'SWING',
      confidence: 0.8,
      reasoning: 'EMA 9/21 cross with volume',
      tag: 'eth_swing_1',
    };
    expect(signalOf(raw)).toEqual(raw);
  });

  it('SELL (partial, FIFO without tag), CLOSE (by tag or all), MODIFY (tag + change)', () => {
    expect(signalOf({ action: 'SELL', symbol: BTC, size: 0.02, slippageTolerance: 0.001 })).toEqual({
      action: 'SELL',
      symbol: BTC,
      size: 0.02,
      orderType: 'MARKET',
      slippageTolerance: 0.001,
      confidence: 0.5,
      reasoning: '',
    });
    expect(signalOf({ action: 'CLOSE', symbol: BTC })).toMatchObject({ action: 'CLOSE', orderType: 'MARKET' });
    expect(signalOf({ action: 'CLOSE', symbol: BTC, tag: 'auto_BTCUSD_001', size: 0 })).not.toHaveProperty('size');
    expect(signalOf({ action: 'MODIFY', symbol: BTC, tag: 'auto_BTCUSD_001', intent: 'DAY' })).toEqual({
      action: 'MODIFY',
      symbol: BTC,
      tag: 'auto_BTCUSD_001',
      intent: 'DAY', // an explicit DAY is a change here (the predecessor read DAY as "unset")
      confidence: 0.5,
      reasoning: '',
    });
  });

  it('treats JSON null as an absent optional field', () => {
    expect(signalOf({ action: 'BUY', symbol: BTC, size: 0.03, stopLoss: null, takeProfit: null, tag: null, limitPrice: null })).toEqual(
      signalOf({ action: 'BUY', symbol: BTC, size: 0.03 }),
    );
  });
});

describe('invalid signals are rejected with a reason naming the field and what is allowed', () => {
  const cases: [string, unknown, string][] = [
    ['not an object', [1, 2], 'a signal must be an object with an action field, got an array of 2'],
    ['no action', { symbol: BTC, size: 0.1 }, 'action: is required; allowed: BUY, SELL, CLOSE, MODIFY'],
    ['unknown action', { action: 'SHORT', symbol: BTC, size: 0.1 }, 'action: must be one of BUY, SELL, CLOSE, MODIFY, got "SHORT"'],
    ['lower-case action', { action: 'buy', symbol: BTC, size: 0.1 }, 'action: must be one of BUY, SELL, CLOSE, MODIFY, got "buy"'],
    ['NaN size', { action: 'BUY', symbol: BTC, size: Number.NaN }, 'size: must be a finite number, got NaN'],
    ['infinite size', { action: 'BUY', symbol: BTC, size: Number.POSITIVE_INFINITY }, 'size: must be a finite number, got Infinity'],
    ['size as text', { action: 'BUY', symbol: BTC, size: '0.1' }, 'size: must be a finite number, got "0.1"'],
    ['size above 1', { action: 'BUY', symbol: BTC, size: 1.5 }, 'size: must be ≤ 1, got 1.5'],
    ['zero size', { action: 'SELL', symbol: BTC, size: 0 }, 'size: must be > 0, got 0'],
    ['missing size', { action: 'BUY', symbol: BTC }, 'size: is required for BUY'],
    ['LIMIT without price', { action: 'BUY', symbol: BTC, size: 0.1, orderType: 'LIMIT' }, 'limitPrice: is required when orderType is LIMIT (a positive price)'],
    [
      'limit price on a MARKET order',
      { action: 'SELL', symbol: BTC, size: 0.1, limitPrice: 100 },
      'limitPrice: is only allowed with orderType LIMIT (this order is MARKET), got 100',
    ],
    ['negative stop-loss (no follow-on comparison noise)', { action: 'BUY', symbol: BTC, size: 0.1, stopLoss: -5, takeProfit: 110 }, 'stopLoss: must be > 0, got -5'],
    ['negative price', { action: 'BUY', symbol: BTC, size: 0.1, orderType: 'LIMIT', limitPrice: -5 }, 'limitPrice: must be > 0, got -5'],
    ['unknown order type', { action: 'BUY', symbol: BTC, size: 0.1, orderType: 'STOP' }, 'orderType: must be one of MARKET, LIMIT, got "STOP"'],
    [
      'stop-loss above the LIMIT entry of a long BUY',
      { action: 'BUY', symbol: BTC, size: 0.1, orderType: 'LIMIT', limitPrice: 100, stopLoss: 101 },
      'stopLoss: must be below the limitPrice 100 for a long position (it would fire at once), got 101',
    ],
    [
      'take-profit below the LIMIT entry',
      { action: 'BUY', symbol: BTC, size: 0.1, orderType: 'LIMIT', limitPrice: 100, takeProfit: 100 },
      'takeProfit: must be above the limitPrice 100 for a long position (it would fire at once), got 100',
    ],
    [
      'stop-loss above take-profit',
      { action: 'BUY', symbol: BTC, size: 0.1, stopLoss: 120, takeProfit: 110 },
      'stopLoss: must be below takeProfit (110) for a long position, got 120',
    ],
    [
      'slippage on a LIMIT',
      { action: 'BUY', symbol: BTC, size: 0.1, orderType: 'LIMIT', limitPrice: 100, slippageTolerance: 0.01 },
      'slippageTolerance: applies only to MARKET orders (a LIMIT fills at its limit or better), got 0.01',
    ],
    ['slippage above 5 %', { action: 'BUY', symbol: BTC, size: 0.1, slippageTolerance: 0.06 }, 'slippageTolerance: must be ≤ 0.05, got 0.06'],
    ['confidence above 1', { action: 'BUY', symbol: BTC, size: 0.1, confidence: 1.2 }, 'confidence: must be ≤ 1, got 1.2'],
    ['bad intent', { action: 'BUY', symbol: BTC, size: 0.1, intent: 'SCALP' }, 'intent: must be one of DAY, SWING, POSITION, got "SCALP"'],
    ['bad symbol', { action: 'BUY', symbol: 'btcusd', size: 0.1 }, 'symbol: must be a pair like "BTC/USD" (A-Z, 0-9, one "/"), got "btcusd"'],
    [
      'bad tag',
      { action: 'CLOSE', symbol: BTC, tag: 'has space' },
      'tag: must be 1-64 characters of A-Z a-z 0-9 _ - . : starting with a letter or digit, got "has space"',
    ],
    [
      'predecessor field name (snake_case)',
      { action: 'BUY', symbol: BTC, size: 0.1, size_pct: 0.1 },
      'unknown field "size_pct"; allowed: action, symbol, confidence, reasoning, size, orderType, limitPrice, slippageTolerance, stopLoss, takeProfit, intent, tag',
    ],
    [
      'stop-loss on a SELL',
      { action: 'SELL', symbol: BTC, size: 0.1, stopLoss: 90 },
      'unknown field "stopLoss"; allowed: action, symbol, confidence, reasoning, size, orderType, limitPrice, slippageTolerance, intent, tag',
    ],
    ['size on CLOSE', { action: 'CLOSE', symbol: BTC, size: 0.5 }, 'size: CLOSE exits the whole position and takes no size; omit it or send 0, got 0.5'],
    ['MODIFY without tag', { action: 'MODIFY', symbol: BTC, stopLoss: 90 }, 'tag: is required for MODIFY'],
    ['MODIFY without change', { action: 'MODIFY', symbol: BTC, tag: 't1' }, 'MODIFY must change at least one of stopLoss, takeProfit, intent'],
    [
      'MODIFY with a size',
      { action: 'MODIFY', symbol: BTC, tag: 't1', stopLoss: 90, size: 0.1 },
      'size: MODIFY changes only stopLoss/takeProfit/intent and takes no size; omit it or send 0, got 0.1',
    ],
    ['reasoning too long', { action: 'CLOSE', symbol: BTC, reasoning: 'x'.repeat(2001) }, 'reasoning: must have at most 2000 characters, got 2001'],
  ];
  for (const [name, raw, reason] of cases) {
    it(name, () => expect(reasonOf(raw)).toBe(reason));
  }

  it('lists every problem of one signal, not only the first', () => {
    expect(reasonOf({ action: 'BUY', symbol: 'BTC', size: 2, extra: 1 })).toBe(
      'symbol: must be a pair like "BTC/USD" (A-Z, 0-9, one "/"), got "BTC"; size: must be ≤ 1, got 2; unknown field "extra"; allowed: action, symbol, confidence, reasoning, size, orderType, limitPrice, slippageTolerance, stopLoss, takeProfit, intent, tag',
    );
  });
});

describe('market context', () => {
  const ctx = { symbols: [BTC, 'ETH/USD'], prices: { [BTC]: 100 } };
  it('rejects pairs the fund does not trade', () => {
    expect(reasonOf({ action: 'BUY', symbol: 'DOGE/USD', size: 0.1 }, ctx)).toBe(
      'symbol: "DOGE/USD" is not traded by this fund; allowed: BTC/USD, ETH/USD',
    );
  });
  it('checks a MARKET BUY bracket against the current price', () => {
    expect(reasonOf({ action: 'BUY', symbol: BTC, size: 0.1, stopLoss: 100.5 }, ctx)).toBe(
      'stopLoss: must be below the current price 100 for a long position (it would fire at once), got 100.5',
    );
    expect(reasonOf({ action: 'BUY', symbol: BTC, size: 0.1, takeProfit: 99 }, ctx)).toBe(
      'takeProfit: must be above the current price 100 for a long position (it would fire at once), got 99',
    );
    expect(signalOf({ action: 'BUY', symbol: BTC, size: 0.1, stopLoss: 98, takeProfit: 104 }, ctx).action).toBe('BUY');
  });
  it('a LIMIT above the market enters at about the market: the stop must be below that', () => {
    expect(reasonOf({ action: 'BUY', symbol: BTC, size: 0.1, orderType: 'LIMIT', limitPrice: 105, stopLoss: 102 }, ctx)).toBe(
      'stopLoss: must be below the current price 100 for a long position (it would fire at once), got 102',
    );
    // A dip-buy limit below the market may take profit below today's price.
    expect(signalOf({ action: 'BUY', symbol: BTC, size: 0.1, orderType: 'LIMIT', limitPrice: 90, stopLoss: 85, takeProfit: 95 }, ctx).action).toBe('BUY');
  });
  it('checks MODIFY against the current price', () => {
    expect(reasonOf({ action: 'MODIFY', symbol: BTC, tag: 't', stopLoss: 100 }, ctx)).toBe(
      'stopLoss: must be below the current price 100 for a long position (it would fire at once), got 100',
    );
  });
  it('without a price for the symbol only the price-free rules apply', () => {
    expect(signalOf({ action: 'BUY', symbol: 'ETH/USD', size: 0.1, stopLoss: 5000 }, ctx).action).toBe('BUY');
  });
});

describe('parseSignals and parseStrategyOutput', () => {
  it('gives one verdict per element, in order, with its index', () => {
    const results = parseSignals([{ action: 'CLOSE', symbol: BTC }, 'junk', { action: 'SELL', symbol: BTC, size: 0.5 }]);
    expect(results.map((r) => [r.ok, r.index])).toEqual([
      [true, 0],
      [false, 1],
      [true, 2],
    ]);
  });
  it('rejects a non-array or an oversized batch as a whole', () => {
    expect(parseSignals({ action: 'BUY' })).toEqual([{ ok: false, index: null, reason: 'signals: must be an array of signals, got an object' }]);
    const many = Array.from({ length: MAX_SIGNALS_PER_CALL + 1 }, () => ({ action: 'CLOSE', symbol: BTC }));
    expect(parseSignals(many)).toEqual([{ ok: false, index: null, reason: 'signals: at most 100 per analyze() call, got 101' }]);
    expect(parseSignals([])).toEqual([]);
  });
  it('accepts a bare array or { signals, regime }', () => {
    expect(parseStrategyOutput([])).toEqual({ ok: true, results: [], regime: null });
    const out = parseStrategyOutput({ signals: [{ action: 'CLOSE', symbol: BTC }], regime: 'trending_up' });
    expect(out.ok && out.regime).toBe('trending_up');
    expect(parseStrategyOutput({ signals: [], regime: '' })).toEqual({ ok: false, reason: 'regime: must not be empty, got ""' });
    expect(parseStrategyOutput({ signals: [], mood: 1 })).toEqual({ ok: false, reason: 'output: unknown field "mood"; allowed: signals, regime' });
    expect(parseStrategyOutput({ regime: 'x' })).toEqual({ ok: false, reason: 'signals: must be an array of signals, got nothing' });
    expect(parseStrategyOutput(42)).toEqual({ ok: false, reason: 'output: must be an array of signals or { signals, regime }, got 42' });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties. The oracle below restates the contract by hand (independent of the zod schemas).

function violatesContract(s: Signal): string | null {
  const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  if (!(ACTIONS as readonly string[]).includes(s.action)) return 'action';
  if (!SYMBOL_RE.test(s.symbol)) return 'symbol';
  if (!isNum(s.confidence) || s.confidence < 0 || s.confidence > 1) return 'confidence';
  if (typeof s.reasoning !== 'string' || s.reasoning.length > 2000) return 'reasoning';
  if (s.tag !== undefined && !TAG_RE.test(s.tag)) return 'tag';
  if ('intent' in s && s.intent !== undefined && !(INTENTS as readonly string[]).includes(s.intent)) return 'intent';
  if (s.action === 'MODIFY') {
    if (s.tag === undefined) return 'modify tag';
    if (s.stopLoss === undefined && s.takeProfit === undefined && s.intent === undefined) return 'modify change';
    if ('size' in s || 'orderType' in s) return 'modify extra';
  } else {
    if (!(ORDER_TYPES as readonly string[]).includes(s.orderType)) return 'orderType';
    if ((s.orderType === 'LIMIT') !== (s.limitPrice !== undefined)) return 'limitPrice presence';
    if (s.limitPrice !== undefined && !(isNum(s.limitPrice) && s.limitPrice > 0)) return 'limitPrice';
    if (s.slippageTolerance !== undefined && (s.orderType !== 'MARKET' || !isNum(s.slippageTolerance) || s.slippageTolerance < 0 || s.slippageTolerance > 0.05)) {
      return 'slippage';
    }
  }
  if (s.action === 'BUY' || s.action === 'SELL') {
    if (!isNum(s.size) || s.size <= 0 || s.size > 1) return 'size';
  } else if ('size' in s) return 'size present';
  if (s.action === 'BUY' || s.action === 'MODIFY') {
    for (const p of [s.stopLoss, s.takeProfit]) if (p !== undefined && !(isNum(p) && p > 0)) return 'bracket price';
    if (s.stopLoss !== undefined && s.takeProfit !== undefined && s.stopLoss >= s.takeProfit) return 'sl<tp';
    if (s.action === 'BUY' && s.limitPrice !== undefined) {
      if (s.stopLoss !== undefined && s.stopLoss >= s.limitPrice) return 'sl<limit';
      if (s.takeProfit !== undefined && s.takeProfit <= s.limitPrice) return 'tp>limit';
    }
  } else if ('stopLoss' in s || 'takeProfit' in s) return 'bracket on exit';
  for (const v of Object.values(s)) if (v === undefined || v === null) return 'empty key';
  return null;
}

const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  BUY: ['size', 'orderType', 'limitPrice', 'stopLoss', 'takeProfit', 'intent', 'tag', 'slippageTolerance'],
  SELL: ['size', 'orderType', 'limitPrice', 'intent', 'tag', 'slippageTolerance'],
  CLOSE: ['orderType', 'limitPrice', 'intent', 'tag', 'slippageTolerance'],
  MODIFY: ['tag', 'stopLoss', 'takeProfit', 'intent'],
};
const junk = fc.oneof(
  fc.constantFrom(null, Number.NaN, Number.POSITIVE_INFINITY, -1, 0, 2, 1e308, '', 'x', 'SHORT', true, [], {}),
  fc.double(),
  fc.string({ maxLength: 4 }),
);

/** Raw objects near the contract: mostly valid values for the action's fields, sometimes one field replaced by junk. */
const nearSignal = fc
  .tuple(
    fc.record(
      {
        action: fc.constantFrom(...ACTIONS),
        symbol: fc.constantFrom(BTC, 'ETH/USD', '1INCH/USD'),
        size: fc.double({ min: 1e-9, max: 1, noNaN: true }),
        orderType: fc.constantFrom(...ORDER_TYPES),
        limitPrice: fc.double({ min: 50, max: 150, noNaN: true }),
        stopLoss: fc.double({ min: 1, max: 49, noNaN: true }),
        takeProfit: fc.double({ min: 151, max: 500, noNaN: true }),
        intent: fc.constantFrom(...INTENTS),
        confidence: fc.double({ min: 0, max: 1, noNaN: true }),
        reasoning: fc.string({ maxLength: 20 }),
        tag: fc.stringMatching(/^[a-z0-9][a-z0-9_]{0,9}$/),
        slippageTolerance: fc.double({ min: 0, max: 0.05, noNaN: true }),
      },
      { requiredKeys: ['action', 'symbol'] },
    ),
    fc.option(fc.tuple(fc.constantFrom('action', 'symbol', 'size', 'orderType', 'limitPrice', 'stopLoss', 'takeProfit', 'tag', 'confidence', 'extra'), junk), {
      freq: 4,
    }),
  )
  .map(([fields, mutation]) => {
    const allowed = new Set(['action', 'symbol', 'confidence', 'reasoning', ...(ALLOWED[fields.action] ?? [])]);
    const raw: Record<string, unknown> = Object.fromEntries(Object.entries(fields).filter(([k]) => allowed.has(k)));
    // Keep the order-type pairing valid so that most samples are accepted; mutations break it.
    if (raw.orderType === 'LIMIT') delete raw.slippageTolerance;
    else delete raw.limitPrice;
    if (fields.action === 'MODIFY') raw.tag ??= 'm1';
    if (mutation) raw[mutation[0]] = mutation[1];
    return raw;
  });

describe('signal properties', () => {
  it('arbitrary JSON never throws and never yields an ok signal that breaks the contract', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.array(fc.jsonValue(), { maxLength: 4 }), fc.anything()), (raw) => {
        for (const r of parseSignals(Array.isArray(raw) ? raw : [raw])) {
          if (r.ok) expect(violatesContract(r.signal)).toBeNull();
          else expect(r.reason.length).toBeGreaterThan(0);
        }
        parseStrategyOutput(raw);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('near-contract objects: every ok signal satisfies the contract, keeps the values sent, and re-parses to itself', () => {
    let accepted = 0;
    fc.assert(
      fc.property(nearSignal, (raw) => {
        const r = parseSignal(raw);
        if (!r.ok) return;
        accepted++;
        expect(violatesContract(r.signal)).toBeNull();
        // never coerced: every field the strategy sent (non-null) comes back unchanged
        for (const [k, v] of Object.entries(raw)) {
          if (v === null || (k === 'size' && v === 0 && (r.signal.action === 'CLOSE' || r.signal.action === 'MODIFY'))) continue;
          expect((r.signal as unknown as Record<string, unknown>)[k]).toEqual(v);
        }
        const again = parseSignal(JSON.parse(JSON.stringify(r.signal)));
        expect(again.ok && JSON.stringify(again.signal)).toBe(JSON.stringify(r.signal)); // JSON: -0 and 0 are one value
        expect(signalSchema.parse(r.signal)).toEqual(r.signal);
      }),
      { numRuns: runs(2000) },
    );
    expect(accepted).toBeGreaterThan(runs(2000) / 8); // the generator does reach valid signals often
  });
});
