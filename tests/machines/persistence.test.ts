/**
 * Persistence round trip: getPersistedSnapshot → JSON text → createActor(machine, { snapshot }).
 * A restored fund keeps its halt, re-arms its absolute deadlines (timers themselves are lost on
 * restore, statelyai/xstate#5331), keeps its children, and goes back through restore and
 * reconcile before trading.
 */
import { SimulatedClock } from 'xstate';
import { describe, expect, it } from 'vitest';
import { symbolActorId } from '../../machines/fund.ts';
import { symbolMachine } from '../../machines/symbol.ts';
import { DAY, HOUR, MINUTE, SECOND, T0, flush } from './support/fixtures.ts';
import { startFund } from './support/fund-actor.ts';
import { region } from './support/fund-steps.ts';

function roundTrip(value: unknown): unknown {
  const text = JSON.stringify(value);
  const parsed = JSON.parse(text);
  expect(JSON.stringify(parsed)).toBe(text); // nothing JSON cannot carry (no bigint, Map, Error)
  return parsed;
}

const clockAt = (ms: number) => {
  const c = new SimulatedClock();
  c.set(ms);
  return c;
};

describe('fund persistence round trip', () => {
  it('a halted fund with a running paper test restores halted, with the paper deadline unchanged', async () => {
    const first = startFund();
    await flush();
    first.send({ type: 'risk.haltTriggered', reason: 'drawdown 41% > 40%' });
    first.send({ type: 'paperTest.started', candidateVersion: 'cand-1', durationMs: DAY });
    first.send({ type: 'paperTest.tradeClosed', candidateVersion: 'cand-1', pnl: '12.5' });
    first.clock.increment(HOUR);
    first.send({ type: 'clock.ticked' });
    const persisted = roundTrip(first.actor.getPersistedSnapshot());
    first.actor.stop();

    // The process comes back five hours later.
    const second = startFund({ clock: clockAt(T0 + 6 * HOUR), snapshot: persisted });
    expect(region(second.snapshot(), 'trading')).toBe('halted');
    second.send({ type: 'system.restored' });
    expect(second.snapshot().value).toEqual({ restoring: 'working' }); // one path: restore, reconcile, resume
    await flush();
    const s = second.snapshot();
    expect(region(s, 'trading')).toBe('halted');
    expect(s.context.halt).toEqual({ source: 'risk', reason: 'drawdown 41% > 40%', sinceMs: T0 });
    expect(s.context.paperTest).toMatchObject({ status: 'running', deadlineMs: T0 + DAY, trades: 1, pnl: '12.5' });
    expect(second.errors).toEqual([]);

    // The deadline fires at its absolute time, not 24 h after the restore.
    second.clock.increment(DAY - 6 * HOUR - 1);
    expect(region(second.snapshot(), 'paperTest')).toBe('running');
    second.clock.increment(1);
    expect(region(second.snapshot(), 'paperTest')).toBe('inconclusive'); // 1 trade < 3
    expect(second.snapshot().context.paperTest.concludedAtMs).toBe(T0 + DAY);
    // Still halted: only operator.resume leaves.
    expect(region(second.snapshot(), 'trading')).toBe('halted');
    second.send({ type: 'operator.resume' });
    expect(region(second.snapshot(), 'trading')).toBe('active');
    second.actor.stop();
  });

  it('children are persisted and restored with their state', async () => {
    const first = startFund();
    await flush();
    const id = symbolActorId('BTC/USD');
    for (let i = 1; i <= 2; i++) {
      first.snapshot().children[id]!.send({ type: 'candle.closed', symbol: 'BTC/USD', candleCloseMs: T0 + i * 5 * MINUTE, nowMs: T0 + i * 5 * MINUTE });
    }
    const persisted = roundTrip(first.actor.getPersistedSnapshot());
    first.actor.stop();

    const second = startFund({ clock: clockAt(T0 + HOUR), snapshot: persisted });
    const child = second.snapshot().children[id] as unknown as { getSnapshot(): { context: { candleCount: number; lastCandleCloseMs: number } } };
    expect(child.getSnapshot().context).toMatchObject({ candleCount: 2, lastCandleCloseMs: T0 + 10 * MINUTE });
    second.send({ type: 'system.restored' });
    await flush();
    expect(Object.keys(second.snapshot().children).sort()).toEqual(['orchestrator', 'scheduler', id]);
    expect(second.snapshot().children[id]).toBe(child); // kept, not respawned
    second.actor.stop();
  });

  it('a pending child restart survives the restore and fires at its absolute time', async () => {
    const crashing = symbolMachine.provide({
      actions: {
        disable: () => {
          throw new Error('bug');
        },
      },
    });
    const first = startFund({ actors: { symbol: crashing } });
    await flush();
    const id = symbolActorId('BTC/USD');
    first.snapshot().children[id]!.send({ type: 'operator.disable', reason: 'x', nowMs: T0 });
    expect(first.snapshot().context.children[id]).toMatchObject({ status: 'restarting', restartAtMs: T0 + SECOND });
    const persisted = roundTrip(first.actor.getPersistedSnapshot());
    first.actor.stop();

    const second = startFund({ clock: clockAt(T0 + 500), snapshot: persisted, actors: { symbol: symbolMachine } });
    second.send({ type: 'system.restored' });
    await flush();
    expect(second.snapshot().context.children[id]?.status).toBe('restarting');
    second.clock.increment(499);
    expect(second.snapshot().children[id]).toBeUndefined();
    second.clock.increment(1);
    expect(second.snapshot().context.children[id]?.status).toBe('running');
    expect(second.snapshot().children[id]).toBeDefined();
    expect(second.errors).toEqual([]);
    second.actor.stop();
  });

  it('a degraded child gets a fresh budget after a process restart', async () => {
    const crashing = symbolMachine.provide({
      actions: {
        disable: () => {
          throw new Error('bug');
        },
      },
    });
    const first = startFund({ actors: { symbol: crashing } });
    await flush();
    const id = symbolActorId('BTC/USD');
    for (const wait of [SECOND, 2 * SECOND, 0]) {
      first.snapshot().children[id]!.send({ type: 'operator.disable', reason: 'x', nowMs: first.clock.now() });
      first.clock.increment(wait);
      first.send({ type: 'clock.ticked' });
    }
    expect(region(first.snapshot(), 'health')).toBe('degraded');
    const persisted = roundTrip(first.actor.getPersistedSnapshot());
    first.actor.stop();

    const second = startFund({ clock: clockAt(T0 + HOUR), snapshot: persisted, actors: { symbol: symbolMachine } });
    second.send({ type: 'system.restored' });
    await flush();
    second.clock.increment(0);
    expect(second.snapshot().context.children[id]).toMatchObject({ status: 'running', restartTimesMs: [] });
    expect(region(second.snapshot(), 'health')).toBe('healthy');
    second.actor.stop();
  });
});
