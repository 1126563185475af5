import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StrategyRunner } from '../../../domain/ports/strategy.ts';
import { checkStrategy, realDatasets, syntheticDataset, TRIAL_MAX_FAILURES } from '../../../strategies/loader/index.ts';
import { V001_SOURCE_PATH } from '../../../strategies/v001/index.ts';
import { BAD_SOURCE } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'brain-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One BUY of BTC/USD per call (valid with the trial's prices: SL below, TP above). */
const ONE_BUY = `
export function initialize() {}
export function analyze(markets) {
  const p = markets['BTC/USD'].price;
  return [{ symbol: 'BTC/USD', action: 'BUY', size: 0.05, stopLoss: p * 0.98, takeProfit: p * 1.04, reasoning: 'trial' }];
}`;

describe('trial data', () => {
  it('the synthetic walk is deterministic, 5m-spaced and has consistent OHLC', () => {
    const a = syntheticDataset(7, 300);
    expect(syntheticDataset(7, 300)).toEqual(a);
    expect(syntheticDataset(8, 300).candles['BTC/USD']).not.toEqual(a.candles['BTC/USD']);
    for (const series of Object.values(a.candles)) {
      expect(series).toHaveLength(300);
      series.forEach((c, i) => {
        if (i > 0) expect(c.tsOpen - series[i - 1]!.tsOpen).toBe(300_000);
        expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close));
        expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close));
        expect(c.low).toBeGreaterThan(0);
      });
    }
  });

  it('reads the bundled real slices', () => {
    const r = realDatasets();
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.datasets.map((d) => Object.keys(d.candles))).toEqual([['BTC/USD'], ['ETH/USD', 'SOL/USD']]);
    const btc = r.datasets[0]!.candles['BTC/USD']!;
    expect(btc).toHaveLength(1440);
    // tests/fixtures/candles/README.md: BTC/USD opens at 21,696.5 on 2023-03-09 00:00 UTC.
    expect(btc[0]).toMatchObject({ tsOpen: Date.UTC(2023, 2, 9), open: 21696.5 });
    expect(realDatasets(join(dir, 'nowhere')).ok).toBe(false);
  });
});

describe('checkStrategy', () => {
  it('rejects a file with static problems, without a trial', async () => {
    const file = join(dir, 'bad.ts');
    writeFileSync(file, BAD_SOURCE);
    const r = await checkStrategy({ file }, { trial: true });
    expect(r.verdict).toBe('rejected');
    expect(r.trial).toBeNull();
    expect(r.problems.map((p) => `${p.line}:${p.column}`)).toEqual(['2:3', '3:3']);
  });

  it('rejects a missing file with a reason', async () => {
    const r = await checkStrategy({ file: join(dir, 'missing.ts') });
    expect(r).toMatchObject({ verdict: 'rejected', readError: `${join(dir, 'missing.ts')}: no such file` });
  });

  it('passes valid code without a trial', async () => {
    expect((await checkStrategy({ code: ONE_BUY, filename: 'one.js' })).verdict).toBe('valid');
  });

  it('trial: counts calls and valid signals in the sandbox', async () => {
    const r = await checkStrategy({ code: ONE_BUY, filename: 'one.js' }, { trial: true, datasets: [syntheticDataset(1, 120)] });
    expect(r.verdict).toBe('valid');
    // 120 candles: warm-up min(200, 120/4) = 30 at load, then one call per remaining candle.
    expect(r.trial).toEqual([expect.objectContaining({ calls: 90, signals: 90, invalidSignals: 0, failures: [], stoppedEarly: null })]);
  });

  it('trial: reports invalid signals with their reasons', async () => {
    const code = `export function initialize() {}
      export function analyze() { return [{ symbol: 'DOGE/USD', action: 'BUY', size: 0.05, reasoning: 'x' }]; }`;
    const r = await checkStrategy({ code, filename: 's.js' }, { trial: true, datasets: [syntheticDataset(1, 40)] });
    expect(r.verdict).toBe('rejected');
    const t = r.trial![0]!;
    expect(t).toMatchObject({ calls: 30, signals: 30, invalidSignals: 30 });
    expect(t.invalidReasons).toHaveLength(1);
    expect(t.invalidReasons[0]!.count).toBe(30);
    expect(t.invalidReasons[0]!.reason).toContain('DOGE/USD');
  });

  it('trial: a throwing strategy fails and the run stops at the failure cap', async () => {
    const code = `export function initialize() {}
      export function analyze(markets, portfolio, time) { throw new Error('boom at ' + time); }`;
    const r = await checkStrategy({ code, filename: 's.js' }, { trial: true, datasets: [syntheticDataset(1, 100)] });
    expect(r.verdict).toBe('rejected');
    const t = r.trial![0]!;
    expect(t.calls).toBe(TRIAL_MAX_FAILURES);
    expect(t.failures.map((f) => f.kind)).toEqual(Array(TRIAL_MAX_FAILURES).fill('threw'));
    expect(t.failures[0]!.reason).toContain('boom at');
    expect(t.stoppedEarly).toContain(`${TRIAL_MAX_FAILURES} failed calls`);
  });

  it('trial: a strategy that does not load is rejected', async () => {
    const code = `export function analyze() { return []; }`; // no initialize
    const r = await checkStrategy({ code, filename: 's.js' }, { trial: true, datasets: [syntheticDataset(1, 40)] });
    expect(r.verdict).toBe('rejected');
    expect(r.trial![0]).toMatchObject({ calls: 0, stoppedEarly: 'the strategy did not load' });
    expect(r.trial![0]!.failures[0]).toMatchObject({ call: 'load', kind: 'rejected' });
  });

  it('trial: an unavailable runner is an internal failure, not the strategy’s fault', async () => {
    const unavailable = { ok: false as const, error: { kind: 'unavailable' as const, reason: 'runner cannot start' } };
    let closed = 0;
    const runner: StrategyRunner = {
      load: async () => unavailable,
      analyze: async () => unavailable,
      notify: async () => unavailable,
      getState: async () => unavailable,
      close: async () => void closed++,
    };
    const r = await checkStrategy({ code: ONE_BUY, filename: 'one.js' }, { trial: true, datasets: [syntheticDataset(1, 40)], createRunner: () => runner });
    expect(r.verdict).toBe('internalFailure');
    expect(closed).toBe(1);
  });

  it('trial: v001 runs on the synthetic walk and the real slices without failures', async () => {
    const r = await checkStrategy({ file: V001_SOURCE_PATH }, { trial: true, maxCalls: 150 });
    expect(r.internalErrors).toEqual([]);
    expect(r.trial?.map((t) => t.name)).toHaveLength(3);
    for (const t of r.trial!) {
      expect(t.calls).toBe(150);
      expect(t.failures).toEqual([]);
      expect(t.invalidSignals).toBe(0);
    }
    expect(r.verdict).toBe('valid');
  }, 30_000);
});
