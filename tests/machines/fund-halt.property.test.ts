/**
 * The halt rules, over random event sequences (pure steps of the fund machine):
 * - once halted, the halt record (source, reason, time) is unchanged by every event but
 *   `operator.resume` — including restarts (`system.restored` back through startup), kills,
 *   further breaches, strategy changes, child failures and timers;
 * - the trading region leaves `halted` only on `operator.resume`;
 * - while running, the trading region always equals `deriveTradingState(context)`;
 * - the fund never ends in an error state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveTradingState } from '../../machines/fund.ts';
import { runs } from '../support/runs.ts';
import { T0 } from './support/fixtures.ts';
import { type FundSnap, fundStepper, region, run, toRunning } from './support/fund-steps.ts';

const stepper = fundStepper();
const running = toRunning(stepper);
const starts: Record<string, FundSnap> = {
  booting: stepper.initial,
  active: running,
  halted: run(stepper, running, [{ type: 'risk.haltTriggered', reason: 'drawdown 41% > 40%', nowMs: T0 }]),
  killed: run(stepper, running, [{ type: 'operator.kill', nowMs: T0 }]),
  haltedAtBoot: run(stepper, stepper.initial, [{ type: 'system.halt', reason: 'halt re-evaluation', nowMs: T0 }]),
};

const version = fc.constantFrom('v0', 'v1', 'v2', 'v3');
const reason = fc.constantFrom('drawdown', 'kill', 'manual', 'mismatch');
const childId = fc.constantFrom('symbol:BTC/USD', 'orchestrator', 'scheduler', 'ghost', 'boot', 'revertStrategy');
const afterEvents = [
  'xstate.after.phaseRetryDelay.fund.booting.retrying',
  'xstate.after.phaseRetryDelay.fund.restoring.retrying',
  'xstate.after.phaseRetryDelay.fund.reconciling.retrying',
  'xstate.after.untilPaperTestDeadline.fund.running.paperTest.running',
  'xstate.after.untilFeedStaleCheck.fund.running.feed.live',
  'xstate.after.feedStaleTimeout.fund.running.feed.stale',
  'xstate.after.feedConnectTimeout.fund.running.feed.connecting',
  'xstate.after.feedReconnectDelay.fund.running.feed.reconnecting',
  'xstate.after.feedReconnectDelay.fund.running.feed.lost.waiting',
  'xstate.after.feedConnectTimeout.fund.running.feed.lost.trying',
];

/** An event without its time (stamped in sequence, so time only moves forward). */
const eventArb: fc.Arbitrary<{ type: string; [k: string]: unknown }> = fc.oneof(
  // operator and system commands
  { weight: 4, arbitrary: fc.constantFrom({ type: 'operator.pause' }, { type: 'operator.resume' }, { type: 'operator.kill' }) },
  { weight: 3, arbitrary: reason.map((r) => ({ type: 'operator.halt', reason: r })) },
  { weight: 2, arbitrary: reason.map((r) => ({ type: 'system.halt', reason: r })) },
  { weight: 1, arbitrary: fc.constant({ type: 'system.stop', reason: 'SIGTERM' }) },
  { weight: 2, arbitrary: fc.constantFrom({ type: 'system.restored' }, { type: 'clock.ticked' }) },
  // startup and shutdown phases finishing or failing
  {
    weight: 3,
    arbitrary: fc.oneof(
      fc.constant({ type: 'xstate.done.actor.boot', output: { nowMs: T0 } }),
      fc.record({ strategy: fc.option(fc.record({ version, source: fc.constantFrom('file', 'db') })), previousVersion: fc.option(version) }).map((o) => ({
        type: 'xstate.done.actor.restore',
        output: { nowMs: T0, symbols: null, ...o },
      })),
      fc.option(reason).map((r) => ({ type: 'xstate.done.actor.reconcile', output: { nowMs: T0, halt: r === null ? null : { reason: r } } })),
      fc.constant({ type: 'xstate.done.actor.shutdown', output: { nowMs: T0 } }),
      fc.constantFrom('boot', 'restore', 'reconcile', 'shutdown').map((id) => ({ type: `xstate.error.actor.${id}`, error: new Error(id) })),
    ),
  },
  // risk facts
  { weight: 3, arbitrary: reason.map((r) => ({ type: 'risk.haltTriggered', reason: r })) },
  { weight: 2, arbitrary: reason.map((r) => ({ type: 'risk.rollbackTriggered', trigger: r })) },
  { weight: 2, arbitrary: fc.constantFrom({ type: 'risk.dailyLossLimitReached', reason: 'daily loss' }, { type: 'schedule.dailyResetDue' }) },
  // strategy
  {
    weight: 3,
    arbitrary: fc.oneof(
      fc.record({ version, source: fc.constantFrom('file', 'db'), previousVersion: fc.option(version) }).map((o) => ({ type: 'strategy.loaded', ...o })),
      fc.constant({ type: 'strategy.invalidated', reason: 'bad' }),
      fc.record({ version, source: fc.constantFrom('file', 'db'), previousVersion: fc.option(version) }).map((o) => ({
        type: 'xstate.done.actor.revertStrategy',
        output: { nowMs: T0, ...o },
      })),
    ),
  },
  // paper test, feed
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.constant({ type: 'paperTest.started', candidateVersion: 'c', durationMs: 3_600_000 }),
      fc.integer({ min: -50, max: 50 }).map((p) => ({ type: 'paperTest.tradeClosed', candidateVersion: 'c', pnl: String(p) })),
      fc.constant({ type: 'paperTest.canceled', reason: 'x' }),
      fc.constantFrom({ type: 'feed.connected' }, { type: 'feed.messageReceived' }, { type: 'feed.disconnected', reason: 'x' }),
    ),
  },
  // timers, child failures, restarts
  { weight: 3, arbitrary: fc.constantFrom(...afterEvents).map((type) => ({ type })) },
  { weight: 2, arbitrary: childId.map((id) => ({ type: `xstate.error.actor.${id}`, error: new Error(`${id} crashed`) })) },
  { weight: 1, arbitrary: childId.map((id) => ({ type: 'supervision.restartDue', childId: id })) },
);

const scenario = fc.record({
  start: fc.constantFrom(...Object.keys(starts)),
  steps: fc.array(fc.tuple(eventArb, fc.integer({ min: 0, max: 120_000 })), { maxLength: 40 }),
});

describe('fund halt rules (fast-check)', () => {
  it('nothing but operator.resume leaves halted or changes the halt record', () => {
    fc.assert(
      fc.property(scenario, ({ start, steps }) => {
        let s = starts[start]!;
        let t = s.context.nowMs;
        for (const [raw, dt] of steps) {
          t += dt;
          const event = raw.type.startsWith('xstate.') || raw.type === 'supervision.restartDue' ? raw : { ...raw, nowMs: t };
          const next = stepper.step(s, event as never);
          expect(next.status).not.toBe('error');
          if (s.context.halt !== null && event.type !== 'operator.resume') {
            expect(next.context.halt, `${event.type} changed the halt record`).toEqual(s.context.halt);
          }
          const before = region(s, 'trading');
          const after = region(next, 'trading');
          if (before === 'halted' && after !== undefined && after !== 'halted') {
            expect(event.type, `left halted for ${String(after)}`).toBe('operator.resume');
          }
          if (after !== undefined) expect(after).toBe(deriveTradingState(next.context));
          s = next;
        }
      }),
      { numRuns: runs(1000), seed: 20260105 },
    );
  });

  it('a halted fund that is restored stays halted until resumed', () => {
    fc.assert(
      fc.property(fc.constantFrom('halted', 'killed', 'haltedAtBoot'), (start) => {
        // Back through startup (phase events that do not apply are ignored).
        const s = toRunning(stepper, {}, {}, run(stepper, starts[start]!, [{ type: 'system.restored', nowMs: T0 + 1 }]));
        expect(region(s, 'trading')).toBe('halted');
        expect(region(run(stepper, s, [{ type: 'operator.resume', nowMs: T0 + 2 }]), 'trading')).not.toBe('halted');
      }),
      { numRuns: 3 },
    );
  });
});
