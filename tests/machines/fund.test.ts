import { fromPromise } from 'xstate';
import { describe, expect, it } from 'vitest';
import {
  FUND_COMMAND_TABLE,
  type FundCommand,
  type FundEvent,
  type RevertResult,
  type TradingState,
  deriveTradingState,
  explainFundRefusal,
  symbolActorId,
} from '../../machines/fund.ts';
import { symbolMachine } from '../../machines/symbol.ts';
import { DAY, HOUR, SECOND, T0, flush, fundInput, pending, rejects } from './support/fixtures.ts';
import { startFund } from './support/fund-actor.ts';
import { type FundSnap, actorError, fundStepper, region, revertDone, run, toRunning } from './support/fund-steps.ts';

const now = { nowMs: T0 };
const ev = <T extends FundEvent['type']>(type: T, extra: Record<string, unknown> = {}) => ({ type, ...now, ...extra }) as Extract<FundEvent, { type: T }>;

describe('fund: startup', () => {
  it('boots, restores, reconciles, runs; spawns one symbol actor per pair, the orchestrator and the scheduler', async () => {
    const f = startFund();
    await flush();
    const s = f.snapshot();
    expect(s.value).toEqual({ running: { trading: 'active', strategy: 'live', paperTest: 'idle', feed: 'connecting', health: 'healthy' } });
    expect(Object.keys(s.children).sort()).toEqual(['orchestrator', 'scheduler', symbolActorId('BTC/USD')]);
    expect(s.context.strategy).toMatchObject({ status: 'live', version: 'v1', source: 'file', previousVersion: 'v0' });
    expect(f.calls).toEqual(['announceOnline', 'connectFeed']);
    expect(f.errors).toEqual([]);
    f.actor.stop();
  });

  it('the DB copy of the strategy runs as fallback; no strategy means paused', () => {
    const stepper = fundStepper();
    expect(region(toRunning(stepper, { strategy: { version: 'v1', source: 'db' } }), 'strategy')).toBe('fallback');
    const none = toRunning(stepper, { strategy: null });
    expect([region(none, 'trading'), region(none, 'strategy')]).toEqual(['paused', 'none']);
    expect(explainFundRefusal(none, ev('operator.resume'))).toBe('trading is paused because no usable strategy is loaded (strategy none: no valid strategy found at restore)');
  });

  it('the reconcile step can demand a halt (startup halt re-evaluation)', () => {
    const s = toRunning(fundStepper(), {}, { halt: { reason: 'drawdown 41% > max 40%' } });
    expect(region(s, 'trading')).toBe('halted');
    expect(s.context.halt).toEqual({ source: 'system', reason: 'drawdown 41% > max 40%', sinceMs: T0 });
  });

  it('retries a failing phase with backoff from context, then succeeds', async () => {
    let attempts = 0;
    const f = startFund({
      actors: {
        boot: fromPromise(async () => {
          attempts++;
          if (attempts <= 2) throw new Error(`database locked (${attempts})`);
          return { nowMs: T0 };
        }),
      },
    });
    await flush();
    expect(f.snapshot().value).toEqual({ booting: 'retrying' });
    expect(f.snapshot().context.phase).toEqual({ attempts: 1, retryAtMs: T0 + SECOND, lastError: 'Error: database locked (1)' });
    f.clock.increment(SECOND);
    await flush();
    expect(f.snapshot().context.phase.retryAtMs).toBe(T0 + 2 * SECOND + SECOND); // second backoff: 2 s, from the first retry at T0+1s
    f.clock.increment(2 * SECOND);
    await flush();
    expect(f.snapshot().matches('running')).toBe(true);
    expect(attempts).toBe(3);
    expect(f.errors).toEqual([]);
    f.actor.stop();
  });

  it('faults after the retry budget, alerts, and still stops cleanly', async () => {
    const f = startFund({ actors: { restore: rejects('strategy store unreadable') } });
    await flush();
    f.clock.increment(SECOND);
    await flush();
    f.clock.increment(2 * SECOND);
    await flush();
    expect(f.snapshot().value).toBe('faulted');
    expect(f.snapshot().context.fault).toBe('Error: strategy store unreadable');
    expect(f.calls).toEqual(['alertFaulted']);
    f.send({ type: 'system.stop', reason: 'operator' });
    await flush();
    expect(f.snapshot().status).toBe('done');
    expect(f.errors).toEqual([]);
  });

  it('records halts and pauses that arrive while starting', () => {
    const stepper = fundStepper();
    const booting = run(stepper, stepper.initial, [ev('operator.halt', { reason: 'maintenance' }), ev('operator.pause')]);
    expect(booting.context.halt?.reason).toBe('maintenance');
    expect(booting.can(ev('operator.resume'))).toBe(false);
    expect(explainFundRefusal(booting, ev('operator.resume'))).toBe('the fund is booting; operator.resume is accepted only while running');
    expect(region(toRunning(stepper, {}, {}, booting), 'trading')).toBe('halted');
  });
});

/** Running snapshots in each trading state (and both kinds of pause). */
function tradingStates(): Record<string, FundSnap> {
  const stepper = fundStepper();
  const active = toRunning(stepper);
  return {
    active,
    pausedByOperator: run(stepper, active, [ev('operator.pause')]),
    pausedNoStrategy: run(stepper, active, [ev('strategy.invalidated', { reason: 'syntax error' })]),
    halted: run(stepper, active, [ev('risk.haltTriggered', { reason: 'drawdown' })]),
    reducing: run(stepper, active, [ev('risk.dailyLossLimitReached', { reason: 'daily loss 10%' })]),
  };
}

const COMMANDS: FundCommand[] = [
  ev('operator.pause'),
  ev('operator.resume'),
  ev('operator.halt', { reason: 'r' }),
  ev('operator.kill'),
  ev('system.halt', { reason: 'r' }),
  ev('system.stop', { reason: 'r' }),
];

describe('fund: trading commands', () => {
  it('accepts exactly the documented commands in each trading state', () => {
    const s = tradingStates();
    const accepted = (snap: FundSnap) => COMMANDS.filter((c) => snap.can(c)).map((c) => c.type);
    expect(accepted(s.active!)).toEqual(FUND_COMMAND_TABLE.active);
    expect(accepted(s.halted!)).toEqual(FUND_COMMAND_TABLE.halted);
    expect(accepted(s.reducing!)).toEqual(FUND_COMMAND_TABLE.reducing);
    // paused: the operator's own pause can be resumed; a missing strategy cannot
    expect(accepted(s.pausedByOperator!)).toEqual(FUND_COMMAND_TABLE.paused.filter((c) => c !== 'operator.pause'));
    expect(accepted(s.pausedNoStrategy!)).toEqual(FUND_COMMAND_TABLE.paused.filter((c) => c !== 'operator.resume'));
    for (const [name, snap] of Object.entries(s)) {
      expect(region(snap, 'trading'), name).toBe(deriveTradingState(snap.context));
    }
  });

  it('explains every refusal with the current state', () => {
    const s = tradingStates();
    expect(explainFundRefusal(s.active!, ev('operator.resume'))).toBe('trading is already active');
    expect(explainFundRefusal(s.reducing!, ev('operator.resume'))).toMatch(/daily loss limit until the daily reset/);
    expect(explainFundRefusal(s.halted!, ev('operator.pause'))).toBe('trading is halted (drawdown); only operator.resume leaves halted');
    expect(explainFundRefusal(s.halted!, ev('operator.halt', { reason: 'x' }))).toBe('already halted (risk: drawdown)');
    expect(explainFundRefusal(s.pausedByOperator!, ev('operator.pause'))).toBe('already paused');
    expect(explainFundRefusal(s.active!, ev('operator.pause'))).toBeNull();
  });

  it('halt → resume; the first cause stays on record; kill closes everything even when halted', () => {
    const stepper = fundStepper();
    const active = toRunning(stepper);
    let s = run(stepper, active, [ev('operator.halt', { reason: 'suspicious fills' })]);
    expect(region(s, 'trading')).toBe('halted');
    expect(s.context.halt).toEqual({ source: 'operator', reason: 'suspicious fills', sinceMs: T0 });
    s = run(stepper, s, [ev('operator.kill'), ev('risk.haltTriggered', { reason: 'later breach' })]);
    expect(s.context.halt).toEqual({ source: 'operator', reason: 'suspicious fills', sinceMs: T0 });
    s = run(stepper, s, [ev('operator.resume')]);
    expect(region(s, 'trading')).toBe('active');
    expect(s.context.halt).toBeNull();
  });

  it('kill: positions closed, halted with the kill switch as cause (actor)', async () => {
    const f = startFund();
    await flush();
    f.send({ type: 'operator.kill' });
    expect(f.snapshot().context.halt?.source).toBe('killSwitch');
    f.send({ type: 'operator.kill' });
    expect(f.calls.filter((c) => c === 'closeAllPositions')).toHaveLength(2);
    expect(f.calls.filter((c) => c === 'announceHalt')).toHaveLength(1);
    f.actor.stop();
  });

  it('daily loss limit: exits only until the daily reset; the lock outlives a halt', () => {
    const stepper = fundStepper();
    let s = run(stepper, toRunning(stepper), [ev('risk.dailyLossLimitReached', { reason: 'daily loss 10%' })]);
    expect(region(s, 'trading')).toBe('reducing');
    s = run(stepper, s, [ev('operator.halt', { reason: 'x' }), ev('operator.resume')]);
    expect(region(s, 'trading')).toBe('reducing');
    s = run(stepper, s, [ev('schedule.dailyResetDue')]);
    expect(region(s, 'trading')).toBe('active');
  });
});

describe('fund: strategy and rollback', () => {
  it('a rollback reverts for real: recorded, announced, previous version live', async () => {
    const f = startFund({
      actors: { revertStrategy: fromPromise<RevertResult, unknown>(async () => ({ nowMs: T0 + 5 * SECOND, version: 'v0', source: 'file', previousVersion: null })) },
    });
    await flush();
    f.send({ type: 'risk.rollbackTriggered', trigger: 'daily drop 16% > 15%' });
    expect(f.snapshot().value).toMatchObject({ running: { strategy: 'rollingBack', trading: 'paused' } });
    await flush();
    const s = f.snapshot();
    expect(s.value).toMatchObject({ running: { strategy: 'live', trading: 'active' } });
    expect(s.context.strategy).toMatchObject({ version: 'v0', previousVersion: null, rollback: null });
    expect(s.context.strategy.history).toEqual([
      { trigger: 'daily drop 16% > 15%', fromVersion: 'v1', toVersion: 'v0', startedAtMs: T0, endedAtMs: T0 + 5 * SECOND, ok: true, error: null },
    ]);
    expect(f.calls).toContain('announceRollback');
    f.actor.stop();
  });

  it('a failed rollback halts trading (strategy failed); a load replaces it, only resume un-halts', async () => {
    const f = startFund({ actors: { revertStrategy: rejects('v0 missing from the store') } });
    await flush();
    f.send({ type: 'risk.rollbackTriggered', trigger: '5 consecutive losses' });
    await flush();
    let s = f.snapshot();
    expect(s.value).toMatchObject({ running: { strategy: 'failed', trading: 'halted' } });
    expect(s.context.halt).toMatchObject({ source: 'rollbackFailed', reason: 'rollback of v1 failed: Error: v0 missing from the store' });
    expect(f.calls).toEqual(expect.arrayContaining(['announceRollbackFailed', 'announceHalt']));
    expect(f.errors).toEqual([]);
    f.send({ type: 'strategy.loaded', version: 'v2', source: 'file', previousVersion: 'v1' });
    s = f.snapshot();
    expect(s.value).toMatchObject({ running: { strategy: 'live', trading: 'halted' } });
    f.send({ type: 'operator.resume' });
    expect(f.snapshot().value).toMatchObject({ running: { trading: 'active' } });
    f.actor.stop();
  });

  it('a rollback trigger with nothing to revert to halts at once', () => {
    const stepper = fundStepper();
    const s = run(stepper, toRunning(stepper, { previousVersion: null }), [ev('risk.rollbackTriggered', { trigger: 'daily drop' })]);
    expect([region(s, 'strategy'), region(s, 'trading')]).toEqual(['failed', 'halted']);
    expect(s.context.halt?.reason).toBe("rollback trigger 'daily drop' fired but there is no previous version to revert to");
  });

  it('an invalid strategy pauses trading; loading one resumes it (not an operator pause)', () => {
    const stepper = fundStepper();
    let s = run(stepper, toRunning(stepper), [ev('strategy.invalidated', { reason: 'sandbox rejected v1' })]);
    expect([region(s, 'trading'), region(s, 'strategy')]).toEqual(['paused', 'none']);
    s = run(stepper, s, [ev('strategy.loaded', { version: 'v1', source: 'db', previousVersion: 'v0' })]);
    expect([region(s, 'trading'), region(s, 'strategy')]).toEqual(['active', 'fallback']);
  });
});

describe('fund: paper test', () => {
  const start = (f: ReturnType<typeof startFund>) => f.send({ type: 'paperTest.started', candidateVersion: 'cand-1', durationMs: DAY });
  const trade = (f: ReturnType<typeof startFund>, pnl: string, candidateVersion = 'cand-1') => f.send({ type: 'paperTest.tradeClosed', candidateVersion, pnl });

  it('passes at its absolute deadline with enough trades and P&L ≥ 0 (exact sum)', async () => {
    const f = startFund();
    await flush();
    start(f);
    // 0.1 + 0.2 − 0.3 = 0 exactly: passes (P&L ≥ 0); float64 would give 5.55e-17
    trade(f, '0.1');
    trade(f, '0.2');
    trade(f, '-0.3');
    trade(f, '-1000', 'cand-0'); // another candidate's trade does not count
    f.clock.increment(DAY - 1);
    expect(region(f.snapshot(), 'paperTest')).toBe('running');
    f.clock.increment(1);
    expect(region(f.snapshot(), 'paperTest')).toBe('passed');
    expect(f.snapshot().context.paperTest).toMatchObject({ trades: 3, pnl: '0', deadlineMs: T0 + DAY, concludedAtMs: T0 + DAY });
    expect(f.calls).toContain('announcePaperTestResult');
    f.actor.stop();
  });

  it('fails with a loss, and is inconclusive with fewer than minPaperTestTrades', async () => {
    const f = startFund();
    await flush();
    start(f);
    ['5', '-7', '1'].forEach((p) => trade(f, p));
    f.clock.increment(DAY);
    expect(region(f.snapshot(), 'paperTest')).toBe('failed');
    start(f);
    trade(f, '50');
    f.clock.increment(DAY);
    expect(region(f.snapshot(), 'paperTest')).toBe('inconclusive');
    expect(f.snapshot().can({ type: 'paperTest.started', candidateVersion: 'c', durationMs: 0, nowMs: T0 })).toBe(false);
    f.actor.stop();
  });
});

describe('fund: feed', () => {
  it('connects, goes stale on silence, recovers, reconnects with backoff, is lost once and keeps retrying', async () => {
    const f = startFund();
    await flush();
    f.send({ type: 'feed.connected' });
    expect(region(f.snapshot(), 'feed')).toBe('live');
    f.clock.increment(20 * SECOND);
    f.send({ type: 'feed.messageReceived' });
    f.clock.increment(10 * SECOND); // first check at T0+30s: a message came at T0+20s → re-armed to T0+50s
    expect(region(f.snapshot(), 'feed')).toBe('live');
    f.clock.increment(20 * SECOND);
    expect(region(f.snapshot(), 'feed')).toBe('stale');
    expect(f.calls).toContain('alertFeedStale');
    f.send({ type: 'feed.messageReceived' });
    expect(region(f.snapshot(), 'feed')).toBe('live');

    const connects = () => f.calls.filter((c) => c === 'connectFeed').length;
    const before = connects();
    f.send({ type: 'feed.disconnected', reason: 'socket closed 1006' });
    expect(region(f.snapshot(), 'feed')).toBe('reconnecting');
    f.clock.increment(SECOND); // backoff 1 s
    expect(connects()).toBe(before + 1);
    f.send({ type: 'feed.disconnected', reason: 'ECONNREFUSED' });
    f.clock.increment(2 * SECOND); // backoff 2 s
    f.send({ type: 'feed.disconnected', reason: 'ECONNREFUSED' });
    expect(region(f.snapshot(), 'feed')).toEqual({ lost: 'waiting' });
    expect(f.calls.filter((c) => c === 'alertFeedLost')).toHaveLength(1);
    f.clock.increment(4 * SECOND);
    expect(region(f.snapshot(), 'feed')).toEqual({ lost: 'trying' });
    f.send({ type: 'feed.disconnected', reason: 'ECONNREFUSED' });
    f.clock.increment(8 * SECOND);
    expect(f.calls.filter((c) => c === 'alertFeedLost')).toHaveLength(1); // alerted once per outage
    expect(connects()).toBe(before + 4); // reconnecting ×2, then lost.trying ×2
    f.send({ type: 'feed.connected' });
    expect(region(f.snapshot(), 'feed')).toBe('live');
    expect(f.snapshot().context.feed).toMatchObject({ attempts: 0, lostSinceMs: null });
    expect(f.calls).toContain('announceFeedRecovered');
    f.actor.stop();
  });
});

describe('fund: supervision (no child failure escapes)', () => {
  it('a spawned child that throws is restarted with backoff, then degraded and alerted; the fund keeps running', async () => {
    const crashingSymbol = symbolMachine.provide({
      actions: {
        disable: () => {
          throw new Error('symbol actor bug');
        },
      },
    });
    const f = startFund({ actors: { symbol: crashingSymbol } });
    await flush();
    const id = symbolActorId('BTC/USD');
    const crash = () => f.snapshot().children[id]!.send({ type: 'operator.disable', reason: 'x', nowMs: f.clock.now() });

    crash();
    expect(f.snapshot().context.children[id]).toMatchObject({ status: 'restarting', restartAtMs: T0 + SECOND, lastError: 'Error: symbol actor bug' });
    expect(f.snapshot().children[id]).toBeUndefined();
    f.clock.increment(SECOND);
    expect(f.snapshot().context.children[id]?.status).toBe('running');
    expect(f.snapshot().children[id]?.getSnapshot().status).toBe('active');
    f.send({ type: 'clock.ticked' });
    crash();
    expect(f.snapshot().context.children[id]?.restartAtMs).toBe(T0 + SECOND + 2 * SECOND); // backoff doubled
    f.clock.increment(2 * SECOND);
    f.send({ type: 'clock.ticked' });
    crash(); // third failure inside the 1 h window: budget of 2 restarts used up
    const s = f.snapshot();
    expect(s.context.children[id]?.status).toBe('degraded');
    expect(region(s, 'health')).toBe('degraded');
    expect(f.calls.filter((c) => c === 'alertChildDegraded')).toHaveLength(1);
    expect(f.calls.filter((c) => c === 'announceChildRestarted')).toHaveLength(2);
    expect(s.status).toBe('active');
    expect(region(s, 'trading')).toBe('active');
    expect(f.errors).toEqual([]); // the error listener was never called
    f.actor.stop();
  });

  it('restarts outside the window do not count towards the cap', async () => {
    const f = startFund({ actors: { symbol: symbolMachine.provide({ actions: { disable: () => { throw new Error('bug'); } } }) } });
    await flush();
    const id = symbolActorId('BTC/USD');
    for (let i = 0; i < 4; i++) {
      f.snapshot().children[id]!.send({ type: 'operator.disable', reason: 'x', nowMs: f.clock.now() });
      f.clock.increment(HOUR);
      f.send({ type: 'clock.ticked' });
    }
    expect(f.snapshot().context.children[id]?.status).toBe('running');
    expect(region(f.snapshot(), 'health')).toBe('healthy');
    expect(f.errors).toEqual([]);
    f.actor.stop();
  });

  it('an invoked child that rejects is handled by its state', async () => {
    const f = startFund({ actors: { revertStrategy: rejects('boom') } });
    await flush();
    f.send({ type: 'risk.rollbackTriggered', trigger: 't' });
    await flush();
    expect(f.snapshot().status).toBe('active');
    expect(f.errors).toEqual([]);
    f.actor.stop();
  });

  it('errors of unknown children, or stray errors of finished invokes, are recorded, never escalated', () => {
    const stepper = fundStepper();
    const running = toRunning(stepper);
    const ghost = stepper.step(running, actorError('ghost', 'who') as never);
    expect(ghost.status).toBe('active');
    expect(ghost.context).toMatchObject({ unexpectedErrors: 1, fault: "unexpected failure of child 'ghost': Error: who" });
    const stray = stepper.step(running, actorError('boot') as never);
    expect(stray.status).toBe('active');
    expect(stray.context.unexpectedErrors).toBe(0);
  });
});

describe('fund: stop and carry-over', () => {
  it('stops children, shuts down, and hands halt/strategy/paper test to the next run', async () => {
    const f = startFund({ actors: { shutdown: pending() } });
    await flush();
    f.send({ type: 'operator.halt', reason: 'going on holiday' });
    f.send({ type: 'system.stop', reason: 'SIGTERM' });
    expect(f.snapshot().value).toBe('stopping');
    expect(Object.keys(f.snapshot().children)).toEqual(['shutdown']);
    f.actor.stop();

    const g = startFund();
    await flush();
    g.send({ type: 'operator.halt', reason: 'going on holiday' });
    g.send({ type: 'system.stop', reason: 'SIGTERM' });
    await flush();
    const out = g.snapshot().output!;
    expect(g.snapshot().status).toBe('done');
    expect(out.halt).toMatchObject({ source: 'operator', reason: 'going on holiday' });
    expect(out.strategy).toEqual({ version: 'v1', source: 'file', previousVersion: 'v0' });

    const next = startFund({ input: fundInput({ carryOver: out }) });
    await flush();
    expect(region(next.snapshot(), 'trading')).toBe('halted');
    expect(next.snapshot().context.halt).toEqual(out.halt);
    next.actor.stop();
  });

  it('rejects bad inputs with the field and value', () => {
    const errorOf = (over: Parameters<typeof fundInput>[0]) => {
      const f = startFund({ input: fundInput(over) });
      return String(f.errors[0]);
    };
    expect(errorOf({ minPaperTestTrades: 0 })).toMatch(/minPaperTestTrades must be an integer ≥ 1, got 0/);
    expect(errorOf({ supervision: { maxRestarts: 1, windowMs: 0, baseDelayMs: 1, maxDelayMs: 1 } })).toMatch(/supervision.windowMs = 0 is invalid/);
    const sym = fundInput().symbols[0]!;
    expect(errorOf({ symbols: [sym, sym] })).toMatch(/'BTC\/USD' is configured twice/);
  });
});

describe('fund: trading state is a function of context', () => {
  it('deriveTradingState precedence: halt > pause > daily loss lock > active', () => {
    const base = { halt: null, pausedByOperator: false, dailyLossLock: false, strategy: { status: 'live' } } as never as Parameters<typeof deriveTradingState>[0];
    const cases: [Partial<typeof base>, TradingState][] = [
      [{}, 'active'],
      [{ dailyLossLock: true }, 'reducing'],
      [{ dailyLossLock: true, pausedByOperator: true }, 'paused'],
      [{ strategy: { ...base.strategy, status: 'rollingBack' } }, 'paused'],
      [{ pausedByOperator: true, halt: { source: 'risk', reason: 'r', sinceMs: 0 } }, 'halted'],
    ];
    for (const [over, expected] of cases) expect(deriveTradingState({ ...base, ...over })).toBe(expected);
  });
});
