import { type FakeKraken, type FakeKrakenOptions, startFakeKraken } from '../../adapters/fake-kraken/index.ts';
import {
  type KrakenClientOptions,
  type KrakenRestOptions,
  type Runtime,
  createKrakenClient,
  createKrakenRestClient,
  createMemoryNonceStore,
} from '../../adapters/kraken/index.ts';
import { type KrakenVenue, type KrakenVenueOptions, createKrakenVenue } from '../../adapters/kraken/venue.ts';
import { type SimVenue, createSimVenue } from '../../adapters/sim/index.ts';
import type { KrakenClient } from '../../adapters/kraken/index.ts';
import type { KrakenWsClient } from '../../adapters/kraken/index.ts';
import { fromString as f } from '../../domain/money/index.ts';
import type { ConformanceHarness } from './suite.ts';
import type { ConformanceScript } from './script.ts';

/**
 * Harnesses that set each venue up for a `ConformanceScript` identically: same candles, spread,
 * fee tier, pair rules and balances, no slippage (the fake exchange has none).
 */

/** The sim venue on a manual clock: each candle is fed at its close, orders placed then match from the next candle on. */
export async function simHarness(script: ConformanceScript): Promise<ConformanceHarness & { venue: SimVenue }> {
  const first = script.candles[0]!;
  let clock = first.tsOpen + script.intervalMs;
  const venue = createSimVenue({
    markets: [{ symbol: script.symbol, rules: script.rules, fees: script.fees, spread: script.spread }],
    balances: { USD: f(script.balances.USD), BTC: f(script.balances.BTC) },
    now: () => clock,
    slippage: 0n,
  });
  venue.onCandle(script.symbol, first);
  let index = 0;
  return {
    venue,
    async nextCandle() {
      const c = script.candles[++index];
      if (c === undefined) throw new Error('no more candles');
      clock = c.tsOpen + script.intervalMs;
      venue.onCandle(script.symbol, c);
      return c;
    },
    async close() {},
  };
}

/**
 * A runtime for REST tests: `sleep` resolves at once (backoff and rate-limit waits are recorded,
 * not waited), timers are real unless `manualTimers` (then `fireTimers()` runs every pending one —
 * how a test makes an HTTP request time out without waiting).
 */
export function testRuntime(options: { manualTimers?: boolean } = {}): Runtime & { readonly sleeps: number[]; fireTimers(): number } {
  const sleeps: number[] = [];
  const pending = new Map<number, () => void>();
  let next = 1;
  return {
    sleeps,
    now: () => Date.now(),
    setTimeout(fn, ms) {
      if (!options.manualTimers) return setTimeout(fn, ms);
      const id = next++;
      pending.set(id, fn);
      return id;
    },
    clearTimeout(h) {
      if (!options.manualTimers) clearTimeout(h as ReturnType<typeof setTimeout>);
      else pending.delete(h as number);
    },
    async sleep(ms, signal) {
      if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
      sleeps.push(ms);
    },
    random: () => 0.5,
    fireTimers() {
      const due = [...pending.values()];
      pending.clear();
      for (const fn of due) fn();
      return due.length;
    },
  };
}

/** Everything a Kraken-side test may need besides the harness. */
export interface KrakenSetup {
  readonly fake: FakeKraken;
  readonly client: KrakenClient;
  readonly venue: KrakenVenue;
  readonly runtime: ReturnType<typeof testRuntime>;
}

/** Options of `krakenSetup` beyond the script. */
export interface KrakenSetupOptions {
  readonly fake?: Partial<FakeKrakenOptions>;
  readonly rest?: Partial<KrakenRestOptions>;
  readonly client?: Partial<KrakenClientOptions>;
  readonly venue?: KrakenVenueOptions;
  readonly manualTimers?: boolean;
  readonly ws?: (fake: FakeKraken, client: KrakenClient) => KrakenWsClient;
}

/**
 * The fake exchange replaying the script's candles (the first one is replayed up to its close),
 * our REST + domain client against it over real HTTP, and the Kraken venue on top. The venue's
 * clock is the exchange's simulated clock.
 */
export async function krakenSetup(script: ConformanceScript, options: KrakenSetupOptions = {}): Promise<KrakenSetup & { harness: ConformanceHarness }> {
  const fake = await startFakeKraken({
    markets: [
      {
        pair: script.symbol,
        candles: script.candles.map((c) => ({ tsOpenMs: c.tsOpen, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume })),
        intervalMinutes: script.intervalMs / 60_000,
      },
    ],
    historyCandles: 0,
    balances: { ZUSD: script.balances.USD, XXBT: script.balances.BTC },
    spreadBps: script.spreadBps,
    volume30dUsd: script.volume30dUsd,
    ...options.fake,
  });
  const runtime = testRuntime({ manualTimers: options.manualTimers ?? false });
  const rest = createKrakenRestClient({
    restUrl: fake.restUrl,
    credentials: fake.credentials[0]!,
    nonceStore: createMemoryNonceStore(),
    runtime,
    publicLimits: { max: 1000, decayPerSec: 1000 },
    privateLimits: { max: 1000, decayPerSec: 1000 },
    timeoutMs: 5_000,
    ...options.rest,
  });
  const client = createKrakenClient({ rest, runtime, ...options.client });
  const ws = options.ws?.(fake, client) ?? null;
  const venue = createKrakenVenue(client, ws, { runtime, now: () => fake.control.now(), ...options.venue });
  fake.control.advanceTo(script.candles[0]!.tsOpen + script.intervalMs - 1);
  let index = 0;
  const harness: ConformanceHarness = {
    venue,
    async nextCandle() {
      const c = script.candles[++index];
      if (c === undefined) throw new Error('no more candles');
      // Up to just before the next candle's open: all four trades of `c` are replayed.
      fake.control.advanceTo(c.tsOpen + script.intervalMs - 1);
      return c;
    },
    async close() {
      venue.close();
      await ws?.stop();
      await fake.close();
    },
  };
  return { fake, client, venue, runtime, harness };
}

/** Polls `cond` every few real ms until true (for network round trips and WS pushes); fails after `timeoutMs`. */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
