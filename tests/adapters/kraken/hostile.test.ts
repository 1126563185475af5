/**
 * Malformed, truncated, out-of-order and hostile messages (generated with fast-check from the
 * golden fixtures) must come back as typed `malformed` errors — never a throw, never NaN or
 * Infinity in the output. runs(1000) per property; deep mode multiplies by 100.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Json,
  type Parsed,
  decodeRestEnvelope,
  decodeWsMessage,
  parseAddOrder,
  parseAmendOrder,
  parseAssetPairs,
  parseBalance,
  parseBalanceEx,
  parseCancel,
  parseClosedOrders,
  parseDepth,
  parseEditOrder,
  parseOhlc,
  parseOpenOrders,
  parseQueryOrders,
  parseResult,
  parseSystemStatus,
  parseTicker,
  parseTime,
  parseTradeBalance,
  parseTradesHistory,
  parseTradeVolume,
  parseWebSocketsToken,
  splitCommitted,
  toCandle,
} from '../../../adapters/kraken/index.ts';
import { runs } from '../../support/runs.ts';
import { fixture } from './support.ts';

const REST: readonly [string, (r: Json, p: string) => unknown][] = [
  ['rest_time.json', parseTime],
  ['rest_system_status.json', parseSystemStatus],
  ['rest_asset_pairs.json', parseAssetPairs],
  ['rest_ticker.json', parseTicker],
  ['rest_ohlc.json', (r, p) => parseOhlc(r, p, 1)],
  ['rest_depth.json', parseDepth],
  ['rest_balance.json', parseBalance],
  ['rest_balance_ex.json', parseBalanceEx],
  ['rest_trade_balance.json', parseTradeBalance],
  ['rest_trade_volume.json', parseTradeVolume],
  ['rest_open_orders.json', parseOpenOrders],
  ['rest_closed_orders.json', parseClosedOrders],
  ['rest_query_orders.json', parseQueryOrders],
  ['rest_add_order.json', parseAddOrder],
  ['rest_amend_order.json', parseAmendOrder],
  ['rest_edit_order.json', parseEditOrder],
  ['rest_cancel_order.json', parseCancel],
  ['rest_trades_history.json', parseTradesHistory],
  ['rest_ws_token.json', parseWebSocketsToken],
];

const WS = [
  'ws_status.json',
  'ws_heartbeat.json',
  'ws_pong.json',
  'ws_subscribe_ack_ohlc.json',
  'ws_subscribe_error.json',
  'ws_ticker_snapshot.json',
  'ws_ohlc_snapshot.json',
  'ws_book_snapshot.json',
  'ws_executions_pending_new.json',
  'ws_executions_trade.json',
  'ws_executions_snapshot.json',
];

/** Decodes a REST body and runs a result parser, like the client does. */
function parseRest(text: string, parser: (r: Json, p: string) => unknown): Parsed<unknown> {
  const env = decodeRestEnvelope(text);
  if (!env.ok) return env;
  if (env.value.errors.length > 0) return { ok: true, value: env.value.errors };
  return parseResult(env.value, parser);
}

/** Every number in a parsed value must be finite; bigints are exact by construction. */
function assertNoNaN(value: unknown, path = '$'): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`non-finite number at ${path}: ${value}`);
    return;
  }
  if (Array.isArray(value)) value.forEach((v, i) => assertNoNaN(v, `${path}[${i}]`));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) assertNoNaN(v, `${path}.${k}`);
}

function checkOutcome(result: Parsed<unknown>): void {
  if (result.ok) {
    assertNoNaN(result.value);
    return;
  }
  expect(result.error.kind).toBe('malformed');
  expect(result.error.path.startsWith('$')).toBe(true);
  expect(result.error.detail.length).toBeGreaterThan(0);
}

/** Hostile replacement values; `__RAW:` strings become raw JSON tokens after stringify. */
const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom<unknown>(
    'NaN',
    'Infinity',
    '-Infinity',
    '',
    ' ',
    '0x1F',
    '1,5',
    '+5%',
    '١٢٣',
    '1e999',
    '-1',
    '99999999999999999999999999999999999999999',
    '0.1234567890123456789012345',
    '2023-13-45T99:99:99Z',
    '__proto__',
    null,
    -1,
    0,
    [],
    {},
    '__RAW:1e999',
    '__RAW:-0',
    '__RAW:1E400',
    '__RAW:123456789012345678901234567890',
    '__RAW:0.000000000000000000000000001',
    '__RAW:4294967296',
  ),
);

const operation = fc.record({
  steps: fc.array(fc.nat(), { maxLength: 6 }),
  kind: fc.constantFrom('replace', 'delete', 'duplicate', 'reverse', 'shuffleKeys'),
  value: hostileValue,
});

/** Applies one mutation at a path chosen by `steps` (index modulo the children count). */
function mutate(root: unknown, op: { steps: number[]; kind: string; value: unknown }): unknown {
  const clone = structuredClone(root);
  let parent: unknown = null;
  let key: string | number | null = null;
  let node: unknown = clone;
  for (const s of op.steps) {
    if (Array.isArray(node) && node.length > 0) {
      parent = node;
      key = s % node.length;
      node = node[key];
    } else if (node !== null && typeof node === 'object' && Object.keys(node).length > 0) {
      const keys = Object.keys(node);
      parent = node;
      key = keys[s % keys.length]!;
      node = (node as Record<string, unknown>)[key];
    } else break;
  }
  const set = (v: unknown) => {
    if (parent === null || key === null) return v;
    (parent as Record<string | number, unknown>)[key] = v;
    return clone;
  };
  switch (op.kind) {
    case 'replace':
      return set(op.value);
    case 'delete':
      if (parent === null || key === null) return op.value;
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete (parent as Record<string, unknown>)[key as string];
      return clone;
    case 'duplicate':
      if (Array.isArray(node)) return set([...node, ...node]);
      return set([node, node]);
    case 'reverse':
      if (Array.isArray(node)) return set([...node].reverse());
      return set(node);
    default:
      if (node !== null && typeof node === 'object' && !Array.isArray(node)) return set(Object.fromEntries(Object.entries(node).reverse()));
      return set(node);
  }
}

function render(value: unknown): string {
  return JSON.stringify(value).replace(/"__RAW:([^"]*)"/g, '$1');
}

describe('hostile input never throws and never yields NaN', () => {
  it('truncated REST and WS messages give typed errors', () => {
    const all = [...REST.map(([n, p]) => [fixture(n), (t: string) => parseRest(t, p)] as const), ...WS.map((n) => [fixture(n), decodeWsMessage] as const)];
    fc.assert(
      fc.property(fc.nat({ max: all.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), (i, cut) => {
        const [text, parse] = all[i]!;
        const truncated = text.slice(0, Math.floor(text.length * cut));
        const r = parse(truncated);
        checkOutcome(r);
        if (truncated.length < text.length) expect(r.ok).toBe(false);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('mutated REST fixtures: typed errors or clean values', () => {
    fc.assert(
      fc.property(fc.nat({ max: REST.length - 1 }), fc.array(operation, { minLength: 1, maxLength: 3 }), (i, ops) => {
        const [name, parser] = REST[i]!;
        let value: unknown = JSON.parse(fixture(name));
        for (const op of ops) value = mutate(value, op);
        const r = parseRest(render(value), parser);
        checkOutcome(r);
        // Parsed candles must convert to finite domain candles, and the committed split must hold.
        if (r.ok && name === 'rest_ohlc.json' && !Array.isArray(r.value)) {
          const series = r.value as ReturnType<typeof parseOhlc>;
          const { committed } = splitCommitted(series);
          for (const row of committed) assertNoNaN(toCandle(row));
        }
      }),
      { numRuns: runs(1000) },
    );
  });

  it('mutated WS fixtures: typed errors or clean values', () => {
    fc.assert(
      fc.property(fc.constantFrom(...WS), fc.array(operation, { minLength: 1, maxLength: 3 }), (name, ops) => {
        let value: unknown = JSON.parse(fixture(name));
        for (const op of ops) value = mutate(value, op);
        checkOutcome(decodeWsMessage(render(value)));
      }),
      { numRuns: runs(1000) },
    );
  });

  it('arbitrary JSON and arbitrary text through every parser', () => {
    const parsers = [...REST.map(([, p]) => (t: string) => parseRest(t, p)), decodeWsMessage];
    fc.assert(
      fc.property(fc.nat({ max: parsers.length - 1 }), fc.oneof(fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify({ error: [], result: v })), fc.jsonValue().map((v) => JSON.stringify(v)), fc.string()), (i, text) => {
        checkOutcome(parsers[i]!(text));
      }),
      { numRuns: runs(1000) },
    );
  });

  it('out-of-order OHLC rows and book levels are rejected with the offending path', () => {
    const ohlc = JSON.parse(fixture('rest_ohlc.json'));
    ohlc.result.XXBTZUSD.reverse();
    const r = parseRest(JSON.stringify(ohlc), (x, p) => parseOhlc(x, p, 1));
    expect(r).toEqual({ ok: false, error: { kind: 'malformed', path: '$.result.XXBTZUSD[1]', detail: 'rows must be strictly ascending by time' } });
    const depth = JSON.parse(fixture('rest_depth.json'));
    depth.result.XXBTZUSD.asks.reverse();
    expect(parseRest(JSON.stringify(depth), parseDepth)).toMatchObject({ ok: false, error: { path: '$.result.XXBTZUSD.asks[1]' } });
  });

  it('specific hostile values are refused with a reason', () => {
    const cases: [string, RegExp][] = [
      ['{"error":[],"result":{"XXBTZUSD":[[1688671200,"NaN","1","1","1","1","1",1]],"last":1688671200}}', /not a decimal number/],
      ['{"error":[],"result":{"XXBTZUSD":[[1688671200,"1e999","1","1","1","1","1",1]],"last":1688671200}}', /out of range/],
      ['{"error":[],"result":{"XXBTZUSD":[[1688671200,"2","1","1","1","1","1",1]],"last":1688671200}}', /open is outside/],
      ['{"error":[],"result":{"XXBTZUSD":[[1688671200,"1","1","1","1","1","-1",1]],"last":1688671200}}', /≥ 0/],
      ['{"error":[],"result":{"XXBTZUSD":[[1688671230,"1","1","1","1","1","1",1]],"last":1688671200}}', /1-minute boundary/],
    ];
    for (const [text, detail] of cases) {
      const r = parseRest(text, (x, p) => parseOhlc(x, p, 1));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.detail).toMatch(detail);
    }
  });
});
