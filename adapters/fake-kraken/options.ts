import { createHash } from 'node:crypto';
import { type Fixed, fromString } from '../../domain/money/index.ts';
import type { ApiCredential } from './auth.ts';
import { type CandleInput, type CandleSeries, fromCandleInputs, loadCandleFile, snapToPair } from './candles.ts';
import type { SystemStatus } from './engine.ts';
import { KNOWN_PAIRS, type PairSpec, findPairByRestName } from './pairs.ts';
import type { RestRateLimit } from './rest.ts';

/**
 * Options of `startFakeKraken`, their defaults, and validation (every problem is collected and
 * reported at once, naming the option, the value and what is allowed).
 */

/** One replayed market. */
export interface MarketOptions {
  /** `BTC/USD`, `ETH/USD` or `SOL/USD` in any Kraken spelling (`XBTUSD`, `XXBTZUSD`, …). */
  readonly pair: string;
  /**
   * A CSV file (`time,open,high,low,close,volume` with header, or Kraken's headerless OHLCVT;
   * gzip'd or plain) or in-code candles.
   */
  readonly candles: string | readonly CandleInput[];
  /** Length of one source candle in minutes (default 5). */
  readonly intervalMinutes?: number;
}

/** Options of the fake exchange. Everything but `markets` has a default. */
export interface FakeKrakenOptions {
  /** The pairs to list and replay (at least one). Only these pairs exist on the exchange. */
  readonly markets: readonly MarketOptions[];
  /** TCP port on 127.0.0.1 (default 0: any free port). */
  readonly port?: number;
  /**
   * Simulated time (ms) at which the replay starts (default: the real open time of the first
   * market's first replayed candle). Every series is shifted so its first replayed candle opens
   * then; must lie on the candle grid.
   */
  readonly startMs?: number;
  /** Candles of each file that are already history at the start (default 720, what REST OHLC can return). */
  readonly historyCandles?: number;
  /** Simulated ms per real ms; 0 (default) = the clock moves only through `control`. */
  readonly speed?: number;
  /** Real ms between clock updates when `speed` > 0 (default 50). */
  readonly realtimeStepMs?: number;
  /** Seed of ids, tokens and book sizes (default 1). */
  readonly seed?: number;
  /** API keys of the single account (default: one key derived from the seed, see `credentials`). */
  readonly credentials?: readonly ApiCredential[];
  /** Starting balances by Kraken asset id (default `{ ZUSD: '100000' }`). */
  readonly balances?: Readonly<Record<string, string | number>>;
  /** 30-day USD volume before the first fill, selects the fee tier (default 0). */
  readonly volume30dUsd?: string | number;
  /** Quoted spread around the last trade in basis points (default 1). */
  readonly spreadBps?: number;
  /** Price distance between deeper book levels in basis points of the start price (default 0.5; at least one tick). */
  readonly bookStepBps?: number;
  /** Typical size of one book level in quote units (default 25000). */
  readonly bookLevelNotionalUsd?: number;
  /** Resting limits fill when the market trades `through` them (default) or merely `touch`es them. */
  readonly limitFillRule?: 'through' | 'touch';
  /** A post-only limit that would take is accepted then `cancel`led (default) or `reject`ed with `EOrder:Post only order`. */
  readonly postOnlyCross?: 'cancel' | 'reject';
  /** Any `validate` value, even `false`, means validate-only (Kraken's historical behaviour; default true). */
  readonly validateAnyValue?: boolean;
  /** Error for a cl_ord_id already used by an open order (default `EOrder:Duplicate order`; unconfirmed). */
  readonly duplicateClOrdIdError?: string;
  /** Initial system status (default `online`). */
  readonly systemStatus?: SystemStatus;
  /** Real ms between WS heartbeats on an idle subscribed connection (default 1000). */
  readonly heartbeatMs?: number;
  /** Real ms without client messages before a WS connection is closed (default 60000). */
  readonly wsIdleTimeoutMs?: number;
  /** Candles in a WS ohlc snapshot (default 5). */
  readonly wsOhlcSnapshotSize?: number;
  /** Real ms a WS token is usable before its first subscription (default 900000). */
  readonly tokenTtlMs?: number;
  /** `maxratecount` in the executions ack (default 180, Pro). */
  readonly maxRateCount?: number;
  /** REST call counter; null (default) disables it. */
  readonly restRateLimit?: RestRateLimit | null;
  /** The real clock in ms (default `Date.now`); injectable for token-expiry and heartbeat tests. */
  readonly realNow?: () => number;
}

/** Options after defaults and validation, with candles loaded. */
export interface ResolvedOptions {
  readonly markets: readonly { pair: PairSpec; candles: CandleSeries; intervalMs: number }[];
  readonly port: number;
  readonly startMs: number;
  readonly historyCandles: number;
  readonly speed: number;
  readonly realtimeStepMs: number;
  readonly seed: number;
  readonly credentials: readonly ApiCredential[];
  readonly balances: ReadonlyMap<string, Fixed>;
  readonly volume30dUsd: Fixed;
  readonly spreadBps: number;
  readonly bookStepBps: number;
  readonly bookLevelNotionalUsd: number;
  readonly limitFillRule: 'through' | 'touch';
  readonly postOnlyCross: 'cancel' | 'reject';
  readonly validateAnyValue: boolean;
  readonly duplicateClOrdIdError: string;
  readonly systemStatus: SystemStatus;
  readonly heartbeatMs: number;
  readonly wsIdleTimeoutMs: number;
  readonly wsOhlcSnapshotSize: number;
  readonly tokenTtlMs: number;
  readonly maxRateCount: number;
  readonly restRateLimit: RestRateLimit | null;
  readonly realNow: () => number;
}

/** Thrown by `resolveOptions` with every problem found. */
export class FakeKrakenOptionsError extends Error {
  override readonly name = 'FakeKrakenOptionsError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid fake-kraken options:\n- ${problems.join('\n- ')}`);
  }
}

/** The default API key of a seed: `fake-kraken-key-<seed>` with a 64-byte secret derived from the seed. */
export function defaultCredential(seed: number): ApiCredential {
  return { apiKey: `fake-kraken-key-${seed}`, apiSecret: createHash('sha512').update(`fake-kraken secret ${seed}`).digest('base64') };
}

const STATUSES: readonly SystemStatus[] = ['online', 'maintenance', 'cancel_only', 'post_only'];

/**
 * Applies defaults, loads candle files and validates everything. Throws
 * `FakeKrakenOptionsError` listing all problems (bad values, unknown pairs, unreadable files).
 */
export function resolveOptions(o: FakeKrakenOptions): ResolvedOptions {
  const problems: string[] = [];
  const num = (name: string, v: number | undefined, fallback: number, ok: (n: number) => boolean, allowed: string): number => {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) {
      problems.push(`${name} = ${JSON.stringify(v)}; allowed: ${allowed}`);
      return fallback;
    }
    return v;
  };
  const oneOf = <T extends string>(name: string, v: T | undefined, allowed: readonly T[], fallback: T): T => {
    if (v === undefined) return fallback;
    if (!allowed.includes(v)) {
      problems.push(`${name} = ${JSON.stringify(v)}; allowed: ${allowed.join(', ')}`);
      return fallback;
    }
    return v;
  };
  const decimal = (name: string, v: string | number): Fixed | null => {
    try {
      const f = fromString(String(v));
      if (f < 0n) throw new Error('negative');
      return f;
    } catch {
      problems.push(`${name} = ${JSON.stringify(v)}; allowed: a non-negative decimal`);
      return null;
    }
  };

  const markets: { pair: PairSpec; candles: CandleSeries; intervalMs: number }[] = [];
  if (!Array.isArray(o.markets) || o.markets.length === 0) problems.push('markets: at least one { pair, candles } is required');
  const known = Object.values(KNOWN_PAIRS);
  for (const [i, m] of (o.markets ?? []).entries()) {
    const pair = findPairByRestName(known, String(m.pair));
    if (!pair) {
      problems.push(`markets[${i}].pair = ${JSON.stringify(m.pair)}; allowed: ${known.map((p) => p.symbol).join(', ')} (or their REST names)`);
      continue;
    }
    if (markets.some((x) => x.pair.key === pair.key)) {
      problems.push(`markets[${i}].pair = ${JSON.stringify(m.pair)}: ${pair.symbol} is listed twice`);
      continue;
    }
    const minutes = num(`markets[${i}].intervalMinutes`, m.intervalMinutes, 5, (n) => Number.isInteger(n) && n >= 1 && n <= 1440, 'an integer number of minutes in 1..1440');
    const intervalMs = minutes * 60_000;
    try {
      const raw = typeof m.candles === 'string' ? loadCandleFile(m.candles, intervalMs) : fromCandleInputs(m.candles, intervalMs, `markets[${i}].candles`);
      markets.push({ pair, candles: snapToPair(raw, pair.pairDecimals, pair.lotDecimals), intervalMs });
    } catch (err) {
      problems.push(`markets[${i}].candles: ${(err as Error).message}`);
    }
  }

  const historyCandles = num('historyCandles', o.historyCandles, 720, (n) => Number.isInteger(n) && n >= 0, 'an integer ≥ 0');
  const seed = num('seed', o.seed, 1, (n) => Number.isInteger(n) && n >= 0, 'an integer ≥ 0');
  let startMs = 0;
  if (markets.length > 0) {
    const first = markets[0]!;
    const defaultStart = first.candles.tsOpenMs[Math.min(historyCandles, first.candles.length - 1)]!;
    const grid = Math.max(...markets.map((m) => m.intervalMs));
    startMs = num('startMs', o.startMs, defaultStart, (n) => Number.isSafeInteger(n) && n % grid === 0, `an integer ms on the ${grid / 60_000}-minute candle grid`);
  }

  const balances = new Map<string, Fixed>();
  for (const [asset, amount] of Object.entries(o.balances ?? { ZUSD: '100000' })) {
    const f = decimal(`balances.${asset}`, amount);
    if (f !== null) balances.set(asset, f);
  }
  const credentials = o.credentials ?? [defaultCredential(seed)];
  if (credentials.length === 0) problems.push('credentials: at least one { apiKey, apiSecret } is required');
  for (const [i, c] of credentials.entries()) {
    if (typeof c.apiKey !== 'string' || c.apiKey === '') problems.push(`credentials[${i}].apiKey: a non-empty string is required`);
    if (typeof c.apiSecret !== 'string' || Buffer.from(c.apiSecret, 'base64').length === 0) problems.push(`credentials[${i}].apiSecret: base64 text is required`);
  }
  const rl = o.restRateLimit ?? null;
  if (rl !== null && (!(rl.max > 0) || !(rl.decayPerSecond >= 0) || !(rl.historyCost > 0))) {
    problems.push(`restRateLimit = ${JSON.stringify(rl)}; allowed: { max > 0, decayPerSecond ≥ 0, historyCost > 0 } or null`);
  }

  const resolved: ResolvedOptions = {
    markets,
    port: num('port', o.port, 0, (n) => Number.isInteger(n) && n >= 0 && n <= 65_535, 'an integer port 0..65535'),
    startMs,
    historyCandles,
    speed: num('speed', o.speed, 0, (n) => n >= 0, 'a number ≥ 0 (0 = manual clock)'),
    realtimeStepMs: num('realtimeStepMs', o.realtimeStepMs, 50, (n) => n >= 5, 'a number ≥ 5'),
    seed,
    credentials,
    balances,
    volume30dUsd: decimal('volume30dUsd', o.volume30dUsd ?? '0') ?? 0n,
    spreadBps: num('spreadBps', o.spreadBps, 1, (n) => n > 0 && n < 10_000, 'a number in (0, 10000)'),
    bookStepBps: num('bookStepBps', o.bookStepBps, 0.5, (n) => n > 0, 'a number > 0'),
    bookLevelNotionalUsd: num('bookLevelNotionalUsd', o.bookLevelNotionalUsd, 25_000, (n) => n > 0, 'a number > 0'),
    limitFillRule: oneOf('limitFillRule', o.limitFillRule, ['through', 'touch'], 'through'),
    postOnlyCross: oneOf('postOnlyCross', o.postOnlyCross, ['cancel', 'reject'], 'cancel'),
    validateAnyValue: o.validateAnyValue ?? true,
    duplicateClOrdIdError: o.duplicateClOrdIdError ?? 'EOrder:Duplicate order',
    systemStatus: oneOf('systemStatus', o.systemStatus, STATUSES, 'online'),
    heartbeatMs: num('heartbeatMs', o.heartbeatMs, 1000, (n) => n >= 10, 'a number ≥ 10'),
    wsIdleTimeoutMs: num('wsIdleTimeoutMs', o.wsIdleTimeoutMs, 60_000, (n) => n >= 20, 'a number ≥ 20'),
    wsOhlcSnapshotSize: num('wsOhlcSnapshotSize', o.wsOhlcSnapshotSize, 5, (n) => Number.isInteger(n) && n >= 1 && n <= 720, 'an integer 1..720'),
    tokenTtlMs: num('tokenTtlMs', o.tokenTtlMs, 900_000, (n) => n > 0, 'a number > 0'),
    maxRateCount: num('maxRateCount', o.maxRateCount, 180, (n) => Number.isInteger(n) && n > 0, 'an integer > 0'),
    restRateLimit: rl,
    realNow: o.realNow ?? Date.now,
  };
  if (problems.length > 0) throw new FakeKrakenOptionsError(problems);
  return resolved;
}
