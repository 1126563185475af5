/** The actor-logic factories: each runs its one effect through the injected port and shapes the machine's output. */
import { createActor, toPromise } from 'xstate';
import { describe, expect, it } from 'vitest';
import { createBootActor, createEvaluateStrategyActor, createReconcileActor, createRestoreActor, createRevertStrategyActor, createShutdownActor } from '../../actors/index.ts';

const clock = { now: () => 1_700_000_000_000 };
const run = <T>(logic: Parameters<typeof createActor>[0], input?: unknown): Promise<T> => toPromise(createActor(logic, input === undefined ? {} : { input: input as never }).start()) as Promise<T>;

describe('actor factories', () => {
  it('boot checks the store and fails when it throws', async () => {
    await expect(run(createBootActor({ clock, checkStore: () => {} }))).resolves.toEqual({ nowMs: clock.now() });
    await expect(run(createBootActor({ clock, checkStore: () => { throw new Error('database is locked'); } }))).rejects.toThrow('database is locked');
  });

  it('restore maps a loaded strategy and a refusal (never throwing for an expected failure)', async () => {
    await expect(run(createRestoreActor({ clock, restoreStrategy: async () => ({ ok: true, version: 'v002', source: 'file', previousVersion: 'v001' }) }))).resolves.toEqual({ nowMs: clock.now(), strategy: { version: 'v002', source: 'file' }, previousVersion: 'v001', symbols: null });
    await expect(run(createRestoreActor({ clock, restoreStrategy: async () => ({ ok: false, reason: 'no file, no stored copy' }) }))).resolves.toEqual({ nowMs: clock.now(), strategy: null, previousVersion: null, symbols: null });
  });

  it('reconcile returns the halt the startup re-evaluation demands', async () => {
    await expect(run(createReconcileActor({ clock, reconcile: async () => ({ haltReason: 'drawdown 12 % beyond 10 %' }) }))).resolves.toEqual({ nowMs: clock.now(), halt: { reason: 'drawdown 12 % beyond 10 %' } });
    await expect(run(createReconcileActor({ clock, reconcile: async () => ({ haltReason: null }) }))).resolves.toEqual({ nowMs: clock.now(), halt: null });
  });

  it('revertStrategy reverts for real or fails naming the versions', async () => {
    const calls: string[] = [];
    const port = { revert: async (v: string) => (calls.push(v), v === 'v001' ? { ok: true as const, previousVersion: 'v002' } : { ok: false as const, reason: `no strategy version "${v}"` }) };
    await expect(run(createRevertStrategyActor({ clock, port }), { fromVersion: 'v002', toVersion: 'v001', trigger: 'losses', nowMs: 0 })).resolves.toEqual({ nowMs: clock.now(), version: 'v001', source: 'db', previousVersion: 'v002' });
    await expect(run(createRevertStrategyActor({ clock, port }), { fromVersion: 'v002', toVersion: 'v000', trigger: 'losses', nowMs: 0 })).rejects.toThrow(/v002 → v000 failed: no strategy version "v000"/);
    await expect(run(createRevertStrategyActor({ clock, port }), { fromVersion: 'v002', toVersion: '', trigger: 'losses', nowMs: 0 })).rejects.toThrow(/no previous version/);
    expect(calls).toEqual(['v001', 'v000']);
  });

  it('evaluateStrategy waits for its share of the scan, and fails when no scan runs', async () => {
    const share = Promise.resolve({ nowMs: 5, signals: [] });
    const scan = { shareOf: (s: string) => (s === 'BTC/USD' ? share : null) };
    await expect(run(createEvaluateStrategyActor({ scan }), { symbol: 'BTC/USD', candleCloseMs: 0, nowMs: 0 })).resolves.toEqual({ nowMs: 5, signals: [] });
    await expect(run(createEvaluateStrategyActor({ scan }), { symbol: 'ETH/USD', candleCloseMs: 0, nowMs: 0 })).rejects.toThrow(/no scan is in progress for ETH\/USD/);
  });

  it('shutdown announces the reason', async () => {
    const said: string[] = [];
    await expect(run(createShutdownActor({ clock, announce: (r) => void said.push(r) }), { reason: 'SIGTERM received', nowMs: 0 })).resolves.toEqual({ nowMs: clock.now() });
    expect(said).toEqual(['SIGTERM received']);
  });
});
