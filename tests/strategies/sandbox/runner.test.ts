/**
 * The runner process as the host manages it: evaluation through the port, transparent reload,
 * crash → restart, wall-clock overrun → kill + restart, the restart cap, message size caps,
 * aborts, and the protections report.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrategyRunner } from '../../../domain/ports/strategy.ts';
import { type SandboxEvent, SandboxHost, createSandboxedStrategyRunner, detectSandboxProtections, permissionFlagFor } from '../../../strategies/sandbox/index.ts';
import { LIMITS, SYMBOLS, candles, tickAt } from './support.ts';

/** Counts its calls in its state; loops forever when BTC's price is 666 (to be killed), works a while at 555. */
const COUNTER = `
let calls = 0;
export function initialize() {}
export function getState() { return { calls }; }
export function loadState(s) { calls = s.calls; }
export function analyze(markets, portfolio, time) {
  if (markets['BTC/USD'].price === 666) for (;;) {}
  if (markets['BTC/USD'].price === 555) { let x = 0; for (let i = 0; i < 3e5; i++) x += i; }
  if (markets['BTC/USD'].price === 777) { let s = 'x'; for (;;) { s = s + s; s.charCodeAt(s.length - 1); } }
  calls++;
  return { signals: [], regime: 'calls=' + calls + ' candles=' + markets['BTC/USD'].candles5m.length };
}`;

const priced = (i: number, price: number) => {
  const t = tickAt(i);
  return { ...t, markets: { ...t.markets, 'BTC/USD': { ...t.markets['BTC/USD']!, price } } };
};

async function waitFor(predicate: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('a strategy through the runner', () => {
  let host: SandboxHost;
  const events: SandboxEvent[] = [];
  beforeAll(() => {
    host = new SandboxHost({ maxMessageBytes: 64 * 1024, maxOutputChars: 1000, callDeadlineMs: 10_000, onEvent: (e) => events.push(e) });
  });
  afterAll(() => host.close());

  it('loads with history, evaluates all symbols in one call per timestamp, and forwards notices', async () => {
    const s = host.openStrategy();
    const code = `let fills = 0;
      export default class {
        initialize(limits, symbols) { this.symbols = symbols; }
        onFill() { fills++; }
        analyze(markets, portfolio, time) {
          console.log('symbols', Object.keys(markets).join(' '));
          return this.symbols.map((symbol) => ({ symbol, action: 'BUY', size: 0.01, reasoning: markets[symbol].candles5m.length + ' candles, ' + fills + ' fills' }));
        }
      }`;
    expect(await s.load({ version: 'v-basic', code, limits: LIMITS, symbols: [...SYMBOLS], history: { 'BTC/USD': { '5m': candles(0, 10) } } })).toEqual({ ok: true, value: { scanIntervalMinutes: 5 } });
    expect(await s.notify([{ type: 'fill', symbol: 'BTC/USD', action: 'BUY', qty: 1, price: 100, intent: 'DAY', tag: 'a' }])).toEqual({ ok: true, value: undefined });
    const r = await s.analyze(tickAt(10));
    expect(r).toEqual({
      ok: true,
      value: {
        rawSignals: [
          { symbol: 'BTC/USD', action: 'BUY', size: 0.01, reasoning: '11 candles, 1 fills' },
          { symbol: 'ETH/USD', action: 'BUY', size: 0.01, reasoning: '1 candles, 1 fills' },
          { symbol: 'SOL/USD', action: 'BUY', size: 0.01, reasoning: '1 candles, 1 fills' },
        ],
        regime: null,
      },
    });
    expect(await s.getState()).toEqual({ ok: true, value: null });
    expect(events).toContainEqual({ type: 'strategy.log', session: s.id, version: 'v-basic', call: 'analyze', lines: ['symbols BTC/USD ETH/USD SOL/USD'] });
    await s.close();
    await s.close();
    expect(await s.analyze(tickAt(11))).toEqual({ ok: false, error: { kind: 'unavailable', reason: 'this sandbox session is closed' } });
  });

  it('refuses input above max_message_bytes before sending it', async () => {
    const s = host.openStrategy();
    const r = await s.load({ version: 'v-big', code: COUNTER, limits: LIMITS, symbols: ['BTC/USD'], history: { 'BTC/USD': { '5m': candles(0, 3000) } } });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('rejected');
      expect(r.error.reason).toMatch(/^the load input is a message of \d+(\.\d)? KiB is above sandbox\.max_message_bytes \(64 KiB\)$/);
    }
    await s.close();
  });

  it('refuses output above the output cap and above max_message_bytes', async () => {
    const s = host.openStrategy();
    const code = `export function initialize() {}
      export function getState() { return { blob: 'x'.repeat(100000) }; }
      export function analyze() { return [{ symbol: 'BTC/USD', action: 'BUY', size: 0.01, reasoning: 'y'.repeat(1500) }]; }`;
    expect((await s.load({ version: 'v-out', code, limits: LIMITS, symbols: ['BTC/USD'], history: {} })).ok).toBe(true);
    const a = await s.analyze(tickAt(0, ['BTC/USD']));
    expect(a.ok).toBe(false);
    if (!a.ok) expect(a.error).toEqual({ kind: 'invalidOutput', reason: expect.stringMatching(/^the analyze\(\) output is \d+ characters of JSON, above the cap of 1000$/) });
    // getState's 100 000 characters pass no cap inside the engine here (1000 applies to it too),
    // so it is refused there as well; both caps name themselves.
    const g = await s.getState();
    expect(g.ok).toBe(false);
    if (!g.ok) expect(g.error.reason).toMatch(/above the cap of 1000|above sandbox\.max_message_bytes/);
    await s.close();
  });

  it('refuses a scan interval that is not a whole number of minutes', async () => {
    const s = host.openStrategy();
    const r = await s.load({ version: 'v-scan', code: `export function initialize() {}\nexport function analyze() { return []; }\nexport const scanIntervalMinutes = 2.5;`, limits: LIMITS, symbols: ['BTC/USD'], history: {} });
    expect(r).toEqual({ ok: false, error: { kind: 'rejected', reason: 'scanIntervalMinutes must be a whole number of minutes from 1 to 1440 (or absent for 5), got 2.5' } });
    expect(await s.analyze(tickAt(0, ['BTC/USD']))).toEqual({ ok: false, error: { kind: 'unavailable', reason: 'no strategy is loaded in this sandbox session; call load() first' } });
    await s.close();
  });

  it('a strategy that hits the heap limit fails that call as memory and keeps running', async () => {
    const s = host.openStrategy();
    expect((await s.load({ version: 'v-oom', code: COUNTER, limits: LIMITS, symbols: [...SYMBOLS], history: {} })).ok).toBe(true);
    expect(await s.analyze(tickAt(0))).toMatchObject({ ok: true, value: { regime: 'calls=1 candles=1' } });
    expect(await s.getState()).toEqual({ ok: true, value: { calls: 1 } });
    const oom = await s.analyze(priced(1, 777));
    expect(oom).toEqual({ ok: false, error: { kind: 'memory', reason: 'analyze(): out of memory (the sandbox heap limit is 64 MiB)' } });
    // The harness caught the out-of-memory error, so the instance stays; the next call runs on it.
    expect(await s.analyze(tickAt(2))).toMatchObject({ ok: true, value: { regime: 'calls=2 candles=3' } });
    await s.close();
  });

  it('an aborted call resolves at once as unavailable; later calls still work', async () => {
    const s = host.openStrategy();
    expect((await s.load({ version: 'v-abort', code: COUNTER, limits: LIMITS, symbols: [...SYMBOLS], history: {} })).ok).toBe(true);
    const early = new AbortController();
    early.abort();
    expect(await s.analyze(tickAt(0), early.signal)).toEqual({ ok: false, error: { kind: 'unavailable', reason: 'aborted by the caller before it was sent' } });
    const late = new AbortController();
    const pending = s.analyze(priced(1, 555), late.signal); // busy for a while inside the runner
    await waitFor(() => host.status().busy);
    late.abort();
    expect(await pending).toEqual({ ok: false, error: { kind: 'unavailable', reason: 'aborted by the caller' } });
    // The next call waits for the aborted one to finish in the runner, then runs normally.
    expect(await s.analyze(tickAt(2))).toMatchObject({ ok: true, value: { regime: expect.stringMatching(/^calls=2 /) } });
    await s.close();
  });
});

describe('crashes, overruns and the restart cap', () => {
  let runner: (StrategyRunner & { host: SandboxHost }) | null = null;
  afterAll(() => runner?.close());

  it('a runner killed while idle is restarted at the next call; the strategy is reloaded with its history and latest state', async () => {
    const events: SandboxEvent[] = [];
    runner = createSandboxedStrategyRunner({ onEvent: (e) => events.push(e) });
    const load = await runner.load({ version: 'v-counter', code: COUNTER, limits: LIMITS, symbols: [...SYMBOLS], history: { 'BTC/USD': { '5m': candles(0, 5) } } });
    expect(load.ok).toBe(true);
    expect(await runner.analyze(tickAt(5))).toMatchObject({ ok: true, value: { regime: 'calls=1 candles=6' } });
    expect(await runner.analyze(tickAt(6))).toMatchObject({ ok: true, value: { regime: 'calls=2 candles=7' } });
    expect(await runner.getState()).toEqual({ ok: true, value: { calls: 2 } });
    const pid = runner.host.pid!;
    process.kill(pid, 'SIGKILL');
    await waitFor(() => runner!.host.pid === null);
    expect(events).toContainEqual(expect.objectContaining({ type: 'runner.exited', pid, signal: 'SIGKILL' }));
    // Reloaded from code + 7 candles + the state {calls: 2}, then this tick's candle.
    expect(await runner.analyze(tickAt(7))).toMatchObject({ ok: true, value: { regime: 'calls=3 candles=8' } });
    expect(runner.host.status()).toMatchObject({ state: 'running', generation: 2, restartsInWindow: 1 });
  });

  it('a runner that dies during a call fails that call as crashed; the next call works', async () => {
    const r = runner!;
    const pending = r.analyze(priced(8, 666)); // loops; the engine deadline (1 s) would stop it, the kill comes first
    await waitFor(() => r.host.status().busy);
    process.kill(r.host.pid!, 'SIGKILL');
    const failed = await pending;
    expect(failed.ok).toBe(false);
    if (!failed.ok) {
      expect(failed.error.kind).toBe('crashed');
      expect(failed.error.reason).toMatch(/^the sandbox runner exited unexpectedly \(signal SIGKILL\)/);
    }
    expect(await r.analyze(tickAt(9))).toMatchObject({ ok: true, value: { regime: 'calls=3 candles=10' } });
    await r.close();
    runner = null;
  });

  it('a strategy stopped at its engine deadline loses its instance and is reloaded with its latest state; the runner stays', async () => {
    const r = createSandboxedStrategyRunner({ callDeadlineMs: 300 });
    try {
      expect((await r.load({ version: 'v-deadline', code: COUNTER, limits: LIMITS, symbols: [...SYMBOLS], history: {} })).ok).toBe(true);
      expect(await r.analyze(tickAt(0))).toMatchObject({ ok: true, value: { regime: 'calls=1 candles=1' } });
      expect(await r.getState()).toEqual({ ok: true, value: { calls: 1 } });
      const pid = r.host.pid;
      expect(await r.analyze(priced(1, 666))).toEqual({ ok: false, error: { kind: 'timeout', reason: 'the strategy ran past its 300 ms deadline in analyze and was stopped' } });
      expect(await r.analyze(tickAt(2))).toMatchObject({ ok: true, value: { regime: 'calls=2 candles=3' } });
      expect(r.host.pid).toBe(pid);
      expect(r.host.status().generation).toBe(1);
    } finally {
      await r.close();
    }
  });

  it('a runner that overruns its wall-clock budget is killed and restarted', async () => {
    // The engine would allow 60 s; the host allows 200 ms + 300 ms grace.
    const r = createSandboxedStrategyRunner({ callDeadlineMs: 200, graceMs: 300, engineDeadlineMs: 60_000 });
    try {
      expect((await r.load({ version: 'v-overrun', code: COUNTER, limits: LIMITS, symbols: [...SYMBOLS], history: {} })).ok).toBe(true);
      const firstPid = r.host.pid;
      const started = Date.now();
      const timedOut = await r.analyze(priced(0, 666));
      expect(Date.now() - started).toBeLessThan(5000);
      expect(timedOut).toEqual({
        ok: false,
        error: { kind: 'timeout', reason: 'the sandbox runner did not answer within 500 ms; it was killed and will be restarted' },
      });
      expect(await r.analyze(tickAt(1))).toMatchObject({ ok: true, value: { regime: 'calls=1 candles=2' } });
      expect(r.host.pid).not.toBe(firstPid);
      expect(r.host.status().generation).toBe(2);
    } finally {
      await r.close();
    }
  });

  it('past max_runner_restarts within the window calls fail as unavailable, until the window moves on', async () => {
    let now = 1_000_000;
    const r = createSandboxedStrategyRunner({ maxRunnerRestarts: 1, restartWindowMs: 60_000, now: () => now });
    try {
      expect((await r.load({ version: 'v-cap', code: COUNTER, limits: LIMITS, symbols: [...SYMBOLS], history: {} })).ok).toBe(true);
      process.kill(r.host.pid!, 'SIGKILL');
      await waitFor(() => r.host.pid === null);
      expect((await r.analyze(tickAt(0))).ok).toBe(true); // restart 1 of 1
      process.kill(r.host.pid!, 'SIGKILL');
      await waitFor(() => r.host.pid === null);
      now += 30_000;
      const refused = await r.analyze(tickAt(1));
      expect(refused.ok).toBe(false);
      if (!refused.ok) {
        expect(refused.error.kind).toBe('unavailable');
        expect(refused.error.reason).toMatch(/^the sandbox runner was restarted 1 times within 1 min \(sandbox\.max_runner_restarts = 1\); no further restart until 1970-01-01T00:17:40\.000Z; last exit: the sandbox runner exited unexpectedly \(signal SIGKILL\)/);
      }
      expect(r.host.status().state).toBe('restartCapReached');
      now += 31_000; // the first restart (at 1 000 000) has left the 60 s window
      expect(await r.analyze(tickAt(2))).toMatchObject({ ok: true, value: { regime: 'calls=1 candles=3' } });
    } finally {
      await r.close();
    }
  });
});

describe('protections', () => {
  it('reports what the runner really has, matching what this machine allows', async () => {
    const p = await detectSandboxProtections();
    const isRoot = process.getuid?.() === 0;
    const netnsPossible =
      process.platform === 'linux' &&
      ((isRoot && spawnSync('unshare', ['--net', '--', 'true']).status === 0) || spawnSync('unshare', ['--net', '--map-root-user', '--', 'true']).status === 0);
    expect(p.runnerStarted).toBe(true);
    expect(p.permissionModel).toBe(permissionFlagFor(process.version) !== null);
    expect(p.flag).toBe(permissionFlagFor(process.version));
    expect(p.netns).toBe(netnsPossible);
    expect(p.networkInterfaces).toEqual(netnsPossible ? [] : expect.any(Array));
    expect(p.emptyEnv).toBe(true);
    expect([p.fsWrite, p.childProcesses, p.workers]).toEqual([false, false, false]);
    expect(p.fsRead).toHaveLength(1);
    expect(p.fsRead[0]).toMatch(/runner-[0-9a-f]{16}\.mjs$/);
    if (isRoot) expect([p.uid, p.droppedPrivileges]).toEqual([65534, true]);
    expect(p.missing).toEqual(netnsPossible ? [] : [expect.stringMatching(/^network namespace: /)]);
  });
});
