/**
 * `Signal`: what a strategy asks the fund to do (predecessor §3), and the parser that turns the
 * strategy's untrusted output into signals or reasons. Pure; never throws on any input.
 *
 * Prices, sizes and tolerances are JSON **numbers** (finite float64), because strategy output is
 * JSON computed with float indicators; a decimal string would only repeat `String(x)`. The host
 * converts each price with `fromNumber` (its shortest round-trip decimal, exact as `Fixed`) and
 * rounds it to the pair's `pair_decimals` when it builds an order.
 *
 * Semantics the host applies (predecessor §3):
 * - BUY without tag opens a new position with an auto tag; BUY with the tag of an open position
 *   of the same symbol averages into it; BUY with a new tag opens a position with that tag.
 * - SELL sells qty = min(size × portfolio value / price, position qty) of the tagged position,
 *   or without tag of the oldest position of the symbol (FIFO by open time).
 * - CLOSE with tag closes that position; without tag closes every position of the symbol.
 * - MODIFY (tag required) changes stop-loss / take-profit / intent of one position: no order,
 *   no fee, no trade row.
 *
 * Invalid signals are rejected with a reason naming the field and what is allowed; nothing is
 * clamped, rounded or guessed. Only absent optional fields take documented defaults
 * (orderType MARKET, confidence 0.5, reasoning '', BUY intent DAY), and JSON `null` counts as
 * absent for optional fields.
 */
import { z } from 'zod';
import {
  ACTIONS,
  type Intent,
  type OrderType,
  actionSchema,
  intentSchema,
  orderTypeSchema,
  symbolSchema,
  tagSchema,
} from './enums.ts';
import { type IssueWording, describeValue, formatIssues } from './issues.ts';

/** Most signals accepted from one `analyze()` call; more rejects the whole output. */
export const MAX_SIGNALS_PER_CALL = 100;
/** Longest `reasoning` text accepted (characters). */
export const MAX_REASONING_CHARS = 2000;
/** Largest per-signal slippage tolerance (fraction; 0.05 = 5 %), as the predecessor's config rule. */
export const MAX_SLIPPAGE_TOLERANCE = 0.05;
/** Longest `regime` label accepted (characters). */
export const MAX_REGIME_CHARS = 100;
/** Confidence used when a signal omits it (predecessor default). */
export const DEFAULT_CONFIDENCE = 0.5;

interface SignalBase {
  readonly symbol: string;
  /** 0..1, the strategy's own confidence; informational. */
  readonly confidence: number;
  readonly reasoning: string;
}

/** Open a position or add to one. `size` is the fraction (0, 1] of total portfolio value to spend. */
export interface BuySignal extends SignalBase {
  readonly action: 'BUY';
  readonly size: number;
  readonly orderType: OrderType;
  /** Quote-currency price; present iff orderType is LIMIT. */
  readonly limitPrice?: number;
  /** Absolute trigger prices (quote currency): stopLoss < entry < takeProfit for a long. */
  readonly stopLoss?: number;
  readonly takeProfit?: number;
  readonly intent: Intent;
  readonly tag?: string;
  /** Fraction 0..0.05 overriding the configured slippage for this MARKET order. */
  readonly slippageTolerance?: number;
}

/** Reduce a position: sell the fraction `size` (0, 1] of total portfolio value, capped at the position. */
export interface SellSignal extends SignalBase {
  readonly action: 'SELL';
  readonly size: number;
  readonly orderType: OrderType;
  readonly limitPrice?: number;
  readonly intent?: Intent;
  readonly tag?: string;
  readonly slippageTolerance?: number;
}

/** Exit fully: the tagged position, or without tag every position of the symbol. */
export interface CloseSignal extends SignalBase {
  readonly action: 'CLOSE';
  readonly orderType: OrderType;
  readonly limitPrice?: number;
  readonly intent?: Intent;
  readonly tag?: string;
  readonly slippageTolerance?: number;
}

/** Change stop-loss, take-profit and/or intent of the tagged position (at least one). No fee. */
export interface ModifySignal extends SignalBase {
  readonly action: 'MODIFY';
  readonly tag: string;
  readonly stopLoss?: number;
  readonly takeProfit?: number;
  /** Absent means unchanged (the predecessor treated DAY as "unset"; here DAY is a real value). */
  readonly intent?: Intent;
}

/** A validated strategy signal. Narrow on `action`. */
export type Signal = BuySignal | SellSignal | CloseSignal | ModifySignal;

/** One signal's verdict; `index` is its position in the strategy's array (null: the whole output was unusable). */
export type SignalParseResult =
  | { readonly ok: true; readonly index: number; readonly signal: Signal }
  | { readonly ok: false; readonly index: number | null; readonly reason: string };

/** Optional market context that makes validation stricter. */
export interface SignalContext {
  /** The fund's configured pairs; a signal for any other symbol is rejected. */
  readonly symbols?: readonly string[];
  /** Current price (quote currency) per symbol; enables the stop/target-versus-price rules. */
  readonly prices?: Readonly<Record<string, number>>;
}

// ---------------------------------------------------------------------------------------------
// Shapes (structure), then cross-field rules (superRefine), then the typed output.

const price = z.number().positive();
const fraction = z.number().gt(0).lte(1);

const common = {
  symbol: symbolSchema,
  confidence: z.number().min(0).max(1).nullish(),
  reasoning: z.string().max(MAX_REASONING_CHARS).nullish(),
};
const order = {
  orderType: orderTypeSchema.nullish(),
  limitPrice: price.nullish(),
  slippageTolerance: z.number().min(0).max(MAX_SLIPPAGE_TOLERANCE).nullish(),
};

const buyShape = z.strictObject({
  action: z.literal('BUY'),
  ...common,
  size: fraction,
  ...order,
  stopLoss: price.nullish(),
  takeProfit: price.nullish(),
  intent: intentSchema.nullish(),
  tag: tagSchema.nullish(),
});
const sellShape = z.strictObject({
  action: z.literal('SELL'),
  ...common,
  size: fraction,
  ...order,
  intent: intentSchema.nullish(),
  tag: tagSchema.nullish(),
});
const closeShape = z.strictObject({
  action: z.literal('CLOSE'),
  ...common,
  size: z.number().nullish(),
  ...order,
  intent: intentSchema.nullish(),
  tag: tagSchema.nullish(),
});
const modifyShape = z.strictObject({
  action: z.literal('MODIFY'),
  ...common,
  tag: tagSchema,
  size: z.number().nullish(),
  stopLoss: price.nullish(),
  takeProfit: price.nullish(),
  intent: intentSchema.nullish(),
});

type Ctx = z.core.$RefinementCtx;
type OrderFields = { orderType?: OrderType | null; limitPrice?: number | null; slippageTolerance?: number | null };

function orderRules(v: OrderFields, ctx: Ctx): void {
  const type = v.orderType ?? 'MARKET';
  if (type === 'LIMIT' && v.limitPrice == null) {
    ctx.addIssue({ code: 'custom', path: ['limitPrice'], message: 'is required when orderType is LIMIT (a positive price)' });
  }
  if (type === 'MARKET' && v.limitPrice != null) {
    ctx.addIssue({
      code: 'custom',
      path: ['limitPrice'],
      message: `is only allowed with orderType LIMIT (this order is MARKET), got ${v.limitPrice}`,
    });
  }
  if (type === 'LIMIT' && v.slippageTolerance != null) {
    ctx.addIssue({
      code: 'custom',
      path: ['slippageTolerance'],
      message: `applies only to MARKET orders (a LIMIT fills at its limit or better), got ${v.slippageTolerance}`,
    });
  }
}

function noSize(action: 'CLOSE' | 'MODIFY', size: number | null | undefined, ctx: Ctx): void {
  if (size != null && size !== 0) {
    const what = action === 'CLOSE' ? 'CLOSE exits the whole position' : 'MODIFY changes only stopLoss/takeProfit/intent';
    ctx.addIssue({ code: 'custom', path: ['size'], message: `${what} and takes no size; omit it or send 0, got ${size}` });
  }
}

/** A usable price: zod runs refinements after range issues too, so rules compare only valid prices. */
function isPrice(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x > 0;
}

function stopBelowTarget(v: { stopLoss?: number | null; takeProfit?: number | null }, ctx: Ctx): void {
  if (isPrice(v.stopLoss) && isPrice(v.takeProfit) && v.stopLoss >= v.takeProfit) {
    ctx.addIssue({
      code: 'custom',
      path: ['stopLoss'],
      message: `must be below takeProfit (${v.takeProfit}) for a long position, got ${v.stopLoss}`,
    });
  }
}

/**
 * Long-side protective rules against a reference price: stopLoss < reference < takeProfit (a stop
 * at or above it, or a target at or below it, would fire at once). Returns field + message pairs.
 */
function bracketProblems(
  reference: number,
  referenceText: string,
  v: { stopLoss?: number | null | undefined; takeProfit?: number | null | undefined },
): { field: 'stopLoss' | 'takeProfit'; message: string }[] {
  const out: { field: 'stopLoss' | 'takeProfit'; message: string }[] = [];
  if (isPrice(v.stopLoss) && v.stopLoss >= reference) {
    out.push({ field: 'stopLoss', message: `must be below ${referenceText} ${reference} for a long position (it would fire at once), got ${v.stopLoss}` });
  }
  if (isPrice(v.takeProfit) && v.takeProfit <= reference) {
    out.push({ field: 'takeProfit', message: `must be above ${referenceText} ${reference} for a long position (it would fire at once), got ${v.takeProfit}` });
  }
  return out;
}

const buyChecked = buyShape.superRefine((v, ctx) => {
  orderRules(v, ctx);
  stopBelowTarget(v, ctx);
  if (v.orderType === 'LIMIT' && isPrice(v.limitPrice)) {
    for (const p of bracketProblems(v.limitPrice, 'the limitPrice', v)) ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
  }
});
const sellChecked = sellShape.superRefine((v, ctx) => orderRules(v, ctx));
const closeChecked = closeShape.superRefine((v, ctx) => {
  orderRules(v, ctx);
  noSize('CLOSE', v.size, ctx);
});
const modifyChecked = modifyShape.superRefine((v, ctx) => {
  noSize('MODIFY', v.size, ctx);
  if (v.stopLoss == null && v.takeProfit == null && v.intent == null) {
    ctx.addIssue({ code: 'custom', path: [], message: 'MODIFY must change at least one of stopLoss, takeProfit, intent' });
  }
  stopBelowTarget(v, ctx);
});

const SHAPES = { BUY: buyChecked, SELL: sellChecked, CLOSE: closeChecked, MODIFY: modifyChecked } as const;
const WORDING: Readonly<Record<keyof typeof SHAPES, IssueWording>> = {
  BUY: { subject: 'BUY', allowedKeys: new Map([['', Object.keys(buyShape.shape)]]) },
  SELL: { subject: 'SELL', allowedKeys: new Map([['', Object.keys(sellShape.shape)]]) },
  CLOSE: { subject: 'CLOSE', allowedKeys: new Map([['', Object.keys(closeShape.shape)]]) },
  MODIFY: { subject: 'MODIFY', allowedKeys: new Map([['', Object.keys(modifyShape.shape)]]) },
};

type Defined<T> = { -readonly [K in keyof T]: Exclude<T[K], null | undefined> };

/** Copies only the fields that are present (null and undefined dropped), so outputs have no empty keys. */
function present<T extends object>(fields: T): Partial<Defined<T>> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== null && v !== undefined) out[k] = v;
  return out as Partial<Defined<T>>;
}

function toSignal(v: z.output<(typeof SHAPES)[keyof typeof SHAPES]>): Signal {
  const base = { symbol: v.symbol, confidence: v.confidence ?? DEFAULT_CONFIDENCE, reasoning: v.reasoning ?? '' };
  switch (v.action) {
    case 'BUY':
      return {
        action: 'BUY',
        ...base,
        size: v.size,
        orderType: v.orderType ?? 'MARKET',
        intent: v.intent ?? 'DAY',
        ...present({ limitPrice: v.limitPrice, stopLoss: v.stopLoss, takeProfit: v.takeProfit, tag: v.tag, slippageTolerance: v.slippageTolerance }),
      };
    case 'SELL':
      return {
        action: 'SELL',
        ...base,
        size: v.size,
        orderType: v.orderType ?? 'MARKET',
        ...present({ limitPrice: v.limitPrice, intent: v.intent, tag: v.tag, slippageTolerance: v.slippageTolerance }),
      };
    case 'CLOSE':
      return {
        action: 'CLOSE',
        ...base,
        orderType: v.orderType ?? 'MARKET',
        ...present({ limitPrice: v.limitPrice, intent: v.intent, tag: v.tag, slippageTolerance: v.slippageTolerance }),
      };
    case 'MODIFY':
      return {
        action: 'MODIFY',
        ...base,
        tag: v.tag,
        ...present({ stopLoss: v.stopLoss, takeProfit: v.takeProfit, intent: v.intent }),
      };
  }
}

/**
 * The complete zod schema of one signal (structure + cross-field rules, defaults applied):
 * `signalSchema.safeParse(x)` yields a `Signal`. Prefer `parseSignal` for reason texts and the
 * market-context rules.
 */
export const signalSchema = z
  .discriminatedUnion('action', [buyChecked, sellChecked, closeChecked, modifyChecked])
  .transform((v): Signal => toSignal(v));

// ---------------------------------------------------------------------------------------------

/** Validates one raw signal. Pure; never throws. */
export function parseSignal(raw: unknown, context: SignalContext = {}): { ok: true; signal: Signal } | { ok: false; reason: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, reason: `a signal must be an object with an action field, got ${describeValue(raw)}` };
  }
  const action = actionSchema.safeParse((raw as { action?: unknown }).action);
  if (!action.success) {
    const got = (raw as { action?: unknown }).action;
    return {
      ok: false,
      reason: got === undefined ? `action: is required; allowed: ${ACTIONS.join(', ')}` : `action: must be one of ${ACTIONS.join(', ')}, got ${describeValue(got)}`,
    };
  }
  const parsed = SHAPES[action.data].safeParse(raw, { reportInput: true });
  if (!parsed.success) return { ok: false, reason: formatIssues(parsed.error.issues, WORDING[action.data]) };
  const signal = toSignal(parsed.data);
  const problem = contextProblems(signal, context);
  return problem === null ? { ok: true, signal } : { ok: false, reason: problem };
}

/**
 * Validates the array a strategy's `analyze()` returned: one result per element, in order.
 * A non-array or an array longer than `MAX_SIGNALS_PER_CALL` yields a single failure with
 * `index: null`. Pure; never throws, never coerces.
 */
export function parseSignals(raw: unknown, context: SignalContext = {}): SignalParseResult[] {
  const problem = batchProblem(raw);
  if (problem !== null) return [{ ok: false, index: null, reason: problem }];
  return (raw as unknown[]).map((item, index): SignalParseResult => {
    const r = parseSignal(item, context);
    return r.ok ? { ok: true, index, signal: r.signal } : { ok: false, index, reason: r.reason };
  });
}

/** Why a strategy's signal array is unusable as a whole, or null. */
function batchProblem(raw: unknown): string | null {
  if (!Array.isArray(raw)) return `signals: must be an array of signals, got ${describeValue(raw)}`;
  if (raw.length > MAX_SIGNALS_PER_CALL) return `signals: at most ${MAX_SIGNALS_PER_CALL} per analyze() call, got ${raw.length}`;
  return null;
}

const regimeSchema = z.string().min(1).max(MAX_REGIME_CHARS);

/**
 * Validates a strategy's whole output: either a bare signal array, or
 * `{ signals: [...], regime?: string | null }` where `regime` is the strategy's own market-regime
 * label (its opinion, stored with each signal; not truth). Pure; never throws.
 */
export function parseStrategyOutput(
  raw: unknown,
  context: SignalContext = {},
): { ok: true; results: SignalParseResult[]; regime: string | null } | { ok: false; reason: string } {
  if (Array.isArray(raw)) return { ok: true, results: parseSignals(raw, context), regime: null };
  if (typeof raw !== 'object' || raw === null) {
    return { ok: false, reason: `output: must be an array of signals or { signals, regime }, got ${describeValue(raw)}` };
  }
  const extra = Object.keys(raw).filter((k) => k !== 'signals' && k !== 'regime');
  if (extra.length > 0) {
    return { ok: false, reason: `output: unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => JSON.stringify(k)).join(', ')}; allowed: signals, regime` };
  }
  const { signals, regime } = raw as { signals?: unknown; regime?: unknown };
  let label: string | null = null;
  if (regime !== undefined && regime !== null) {
    const r = regimeSchema.safeParse(regime, { reportInput: true });
    if (!r.success) return { ok: false, reason: formatIssues(r.error.issues.map((i) => ({ ...i, path: ['regime'] }))) };
    label = r.data;
  }
  const problem = batchProblem(signals);
  if (problem !== null) return { ok: false, reason: problem };
  return { ok: true, results: parseSignals(signals, context), regime: label };
}

/** Rules that need the fund's configuration or the current price. Returns the reason, or null. */
function contextProblems(signal: Signal, context: SignalContext): string | null {
  if (context.symbols !== undefined && !context.symbols.includes(signal.symbol)) {
    return `symbol: ${JSON.stringify(signal.symbol)} is not traded by this fund; allowed: ${context.symbols.join(', ') || '(none configured)'}`;
  }
  const prices = context.prices;
  const current = prices !== undefined && Object.hasOwn(prices, signal.symbol) ? prices[signal.symbol] : undefined;
  if (current === undefined || !Number.isFinite(current) || current <= 0) return null;
  let problems: { field: string; message: string }[] = [];
  if (signal.action === 'BUY') {
    // A LIMIT above the market fills at about the market; below it, at the limit.
    const limit = signal.orderType === 'LIMIT' ? signal.limitPrice : undefined;
    const entry = limit !== undefined && limit < current ? limit : current;
    problems = bracketProblems(entry, entry === current ? 'the current price' : 'the limitPrice', signal);
  } else if (signal.action === 'MODIFY') {
    problems = bracketProblems(current, 'the current price', signal);
  }
  return problems.length === 0 ? null : problems.map((p) => `${p.field}: ${p.message}`).join('; ');
}
