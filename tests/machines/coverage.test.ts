/**
 * Every state node and every transition of every machine is reachable. The lists come from the
 * machine definitions (see support/coverage.ts); a state or transition that becomes unreachable,
 * or a new one without a way to reach it, fails here with its name.
 */
import { setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { fromString, toString } from '../../domain/money/index.ts';
import { type FundContext, fundMachine } from '../../machines/fund.ts';
import { orchestratorMachine } from '../../machines/orchestrator.ts';
import { positionMachine } from '../../machines/position.ts';
import { schedulerMachine } from '../../machines/scheduler.ts';
import { symbolMachine } from '../../machines/symbol.ts';
import { type CoverageReport, type SampleFactory, allStateIds, allTransitions, measureCoverage } from './support/coverage.ts';
import { DAY, MINUTE, T0, fundInput, orchestratorInput, positionInput, schedulerInput, symbolInput } from './support/fixtures.ts';
import { actorError, run, toRunning } from './support/fund-steps.ts';

type Ctx<T> = { context: T; value: unknown };

function expectFull(report: CoverageReport): void {
  expect(report.missingStates, 'unreachable states').toEqual([]);
  expect(report.missingTransitions, 'untaken transitions').toEqual([]);
  expect(report.states.length).toBeGreaterThan(1);
  expect(report.transitions.length).toBeGreaterThan(1);
}

const half = (q: string) => toString(fromString(q) / 2n);

describe('coverage engine', () => {
  it('reports a state and a transition that nothing reaches', () => {
    const m = setup({ types: {} as { events: { type: 'go' } | { type: 'never' } } }).createMachine({
      id: 'toy',
      initial: 'a',
      states: {
        a: { on: { go: 'b' } },
        b: { on: { go: { guard: () => false, target: 'c' } } },
        c: {},
      },
    });
    const report = measureCoverage({ machine: m, input: undefined, samples: {} });
    expect(report.missingStates).toEqual(['toy.c']);
    expect(report.missingTransitions).toEqual(['toy.b ── go [0]']);
  });

  it('lists states and transitions from the definition', () => {
    // position: 8 state nodes + root; the list must not depend on the traversal
    expect(allStateIds(positionMachine)).toEqual([
      'position',
      'position.opening',
      'position.open',
      'position.open.protecting',
      'position.open.protected',
      'position.open.unprotected',
      'position.reducing',
      'position.closing',
      'position.closed',
    ]);
    const keys = [...allTransitions(positionMachine).values()];
    expect(keys).toContain('position.open ── position.modify [0]');
    expect(keys).toContain('position.opening ── order.filled [1]');
  });
});

describe('every state and transition is reachable', () => {
  it('position', () => {
    const input = positionInput();
    const held = (s: Ctx<{ held: string }>) => s.context.held;
    const exitFills = (type: string) => (s: Ctx<{ held: string; nowMs: number }>) => {
      const h = held(s);
      const base = [{ type, role: 'entry', quantity: '0.2', price: '100000', nowMs: s.context.nowMs }];
      if (h === '0') return base;
      return [
        ...base,
        { type, role: 'exit', quantity: h, price: '100000', nowMs: s.context.nowMs },
        { type, role: 'exit', quantity: half(h), price: '100000', nowMs: s.context.nowMs },
        { type, role: 'stopLoss', quantity: h, price: '90000', nowMs: s.context.nowMs },
        { type, role: 'takeProfit', quantity: half(h), price: '110000', nowMs: s.context.nowMs },
      ];
    };
    const ended = (type: string) => (s: Ctx<{ nowMs: number }>) => [
      { type, role: 'entry', reason: 'venue said no', nowMs: s.context.nowMs },
      { type, role: 'exit', reason: 'venue said no', nowMs: s.context.nowMs },
    ];
    const samples: Record<string, SampleFactory> = {
      'order.partiallyFilled': exitFills('order.partiallyFilled') as SampleFactory,
      'order.filled': exitFills('order.filled') as SampleFactory,
      'order.rejected': ended('order.rejected') as SampleFactory,
      'order.canceled': ended('order.canceled') as SampleFactory,
      'order.expired': ended('order.expired') as SampleFactory,
      'protection.failed': (s) => [{ type: 'protection.failed', reason: 'EOrder:Insufficient funds', nowMs: s.context.nowMs }],
      'position.modify': (s) => [
        { type: 'position.modify', stopLoss: '95000', nowMs: s.context.nowMs },
        { type: 'position.modify', stopLoss: '120000', nowMs: s.context.nowMs }, // above take-profit: refused
      ],
      'position.reduce': (s) => [
        { type: 'position.reduce', quantity: half(s.context.held), reason: 'signal', nowMs: s.context.nowMs },
        { type: 'position.reduce', quantity: s.context.held, reason: 'signal', nowMs: s.context.nowMs },
      ],
      'position.close': (s) => [{ type: 'position.close', reason: 'signal', nowMs: s.context.nowMs }],
      'position.stopTriggered': (s) => [{ type: 'position.stopTriggered', price: '89900', nowMs: s.context.nowMs }],
      'position.takeProfitTriggered': (s) => [{ type: 'position.takeProfitTriggered', price: '110100', nowMs: s.context.nowMs }],
    };
    const report = measureCoverage({
      machine: positionMachine,
      input,
      samples,
      key: (s) =>
        JSON.stringify([s.value, s.context.held === '0' ? 0 : s.context.held === input.entryQuantity ? 2 : 1, s.context.closeAfterEntry !== null]),
    });
    expectFull(report);
  });

  it('symbol', () => {
    const own = 'BTC/USD';
    const positionPayload: Record<string, object> = {
      'order.partiallyFilled': { role: 'entry', quantity: '0.1', price: '100000' },
      'order.filled': { role: 'entry', quantity: '0.5', price: '100000' },
      'order.rejected': { role: 'entry', reason: 'no' },
      'order.canceled': { role: 'entry' },
      'order.expired': { role: 'entry' },
      'protection.placed': {},
      'protection.failed': { reason: 'no' },
      'position.modify': { stopLoss: '95000' },
      'position.reduce': { quantity: '0.1', reason: 'signal' },
      'position.close': { reason: 'signal' },
      'position.stopTriggered': { price: '89000' },
      'position.takeProfitTriggered': { price: '111000' },
    };
    const samples: Record<string, SampleFactory> = {
      'candle.closed': (s) => {
        const last = (s.context.lastCandleCloseMs as number | null) ?? T0;
        const nowMs = s.context.nowMs + 5 * MINUTE;
        return [
          { type: 'candle.closed', symbol: own, candleCloseMs: last + 5 * MINUTE, nowMs },
          { type: 'candle.closed', symbol: own, candleCloseMs: last, nowMs }, // duplicate: ignored
          { type: 'candle.closed', symbol: 'ETH/USD', candleCloseMs: last + 5 * MINUTE, nowMs }, // not ours
        ];
      },
      'operator.disable': (s) => [{ type: 'operator.disable', reason: 'pair delisted', nowMs: s.context.nowMs }],
      'position.opened': (s) =>
        ['T1', 'T2'].map((tag) => ({
          type: 'position.opened',
          tag,
          intent: 'DAY',
          entryQuantity: '0.5',
          stopLoss: null,
          takeProfit: null,
          nowMs: s.context.nowMs,
        })),
      ...Object.fromEntries(
        Object.entries(positionPayload).map(([type, payload]) => [
          type,
          (s: Ctx<{ nowMs: number }>) => [
            { type, tag: 'T1', nowMs: s.context.nowMs, ...payload },
            { type, tag: 'unknown', nowMs: s.context.nowMs, ...payload },
          ],
        ]),
      ),
      'xstate.done.actor.*': (s) =>
        (s.context.positions as string[]).map((tag) => ({
          type: `xstate.done.actor.position:${tag}`,
          output: { tag, symbol: own, closeReason: 'signal', closedAtMs: s.context.nowMs },
        })),
      'xstate.error.actor.*': (s) =>
        (s.context.positions as string[]).map((tag) => ({ type: `xstate.error.actor.position:${tag}`, error: new Error('position bug') })),
      'xstate.done.actor.evaluateStrategy': (s) => [{ type: 'xstate.done.actor.evaluateStrategy', output: { nowMs: s.context.nowMs, signals: [] } }],
    };
    const input = symbolInput({ warmupCandles: 2 });
    const report = measureCoverage({
      machine: symbolMachine,
      input,
      samples,
      key: (s) =>
        JSON.stringify([s.value, Math.min(s.context.candleCount, input.warmupCandles), s.context.positions, s.context.evaluation !== null]),
    });
    expectFull(report);
  });

  it('orchestrator', () => {
    const done = (id: string, outputs: object[]) => (s: Ctx<{ nowMs: number }>) =>
      outputs.map((o) => ({ type: `xstate.done.actor.${id}`, output: { nowMs: s.context.nowMs, ...o } }));
    const samples: Record<string, SampleFactory> = {
      'orchestrator.requested': (s) => [{ type: 'orchestrator.requested', source: 'operator', nowMs: s.context.nowMs }],
      'xstate.done.actor.checkBudget': done('checkBudget', [{ tokensRemaining: 1_000_000 }, { tokensRemaining: 10_000 }]) as SampleFactory,
      'xstate.done.actor.gatherContext': done('gatherContext', [{ contextId: 'ctx-1' }]) as SampleFactory,
      'xstate.done.actor.decide': done('decide', [
        { decision: 'noChange', reasoning: 'fine' },
        { decision: 'changeStrategy', reasoning: 'drift' },
        { decision: 'resumeCandidate', reasoning: 'let the gate judge', candidateVersion: 'cand-1' },
        { decision: 'OVERHAUL', reasoning: 'outside the closed set' },
      ]) as SampleFactory,
      'xstate.done.actor.generateStrategy': done('generateStrategy', [{ candidateVersion: 'cand-1' }]) as SampleFactory,
      ...Object.fromEntries(
        ['reviewStrategy', 'validateStrategy', 'backtestStrategy'].map((id) => [
          `xstate.done.actor.${id}`,
          done(id, [{ ok: true, feedback: '' }, { ok: false, feedback: `${id} refused` }, { ok: false, final: true, feedback: `${id} abandoned` }]),
        ]),
      ),
      // Step errors by kind: budget → budgetExhausted, timeout → timedOut, others → failed.
      ...Object.fromEntries(
        ['checkBudget', 'gatherContext', 'decide', 'generateStrategy', 'validateStrategy', 'reviewStrategy', 'backtestStrategy', 'promoteStrategy'].map((id) => [
          `xstate.error.actor.${id}`,
          () => [
            { type: `xstate.error.actor.${id}`, error: Object.assign(new Error(`${id}: budget`), { kind: 'budgetExhausted' }) },
            { type: `xstate.error.actor.${id}`, error: Object.assign(new Error(`${id}: timeout`), { kind: 'timeout' }) },
            { type: `xstate.error.actor.${id}`, error: new Error(`${id} crashed`) },
          ],
        ]),
      ),
      'operator.vetoCandidate': (s) => [{ type: 'operator.vetoCandidate', candidateVersion: 'cand-1', reason: 'no', nowMs: s.context.nowMs }],
      'operator.forcePromotion': (s) => [{ type: 'operator.forcePromotion', candidateVersion: 'cand-1', confirm: 'cand-1', nowMs: s.context.nowMs }],
      'xstate.done.actor.promoteStrategy': done('promoteStrategy', [{ version: 'cand-1' }]) as SampleFactory,
      'paperTest.completed': (s) =>
        [
          { verdict: 'passed', trades: 9, psr: 0.97 },
          { verdict: 'inconclusive', trades: 2, psr: null },
          { verdict: 'failed', trades: 9, psr: 0.4 },
        ].map((v) => ({ type: 'paperTest.completed', candidateVersion: 'cand-1', nowMs: s.context.nowMs, ...v })),
    };
    const report = measureCoverage({
      machine: orchestratorMachine,
      input: orchestratorInput(),
      samples,
      focuses: (stepper) => [
        {
          name: 'with advisor',
          from: stepper.initial,
          exercises: () => true,
          key: (s) => JSON.stringify([s.value, s.context.cycle?.attempt ?? null, s.context.hasAdvisor]),
        },
        {
          name: 'without advisor',
          from: stepper.initialFor(orchestratorInput({ hasAdvisor: false })),
          exercises: () => true,
          key: (s) => JSON.stringify([s.value, s.context.cycle?.attempt ?? null, s.context.hasAdvisor]),
        },
      ],
    });
    expectFull(report);
  });

  it('scheduler', () => {
    const report = measureCoverage({ machine: schedulerMachine, input: schedulerInput(), samples: {} });
    expectFull(report);
    expect(report.explored.all).toBe(1); // every transition re-enters the same configuration
  });

  it('fund', () => {
    const input = fundInput();
    const t = T0;
    const lifecycle = new Set([
      'system.stop',
      'system.restored',
      'operator.halt',
      'system.halt',
      'risk.haltTriggered',
      'operator.pause',
      'risk.dailyLossLimitReached',
      'schedule.dailyResetDue',
    ]);
    const tradingAndStrategy = new Set([
      'operator.pause',
      'operator.resume',
      'operator.halt',
      'operator.kill',
      'system.halt',
      'risk.haltTriggered',
      'risk.rollbackTriggered',
      'risk.dailyLossLimitReached',
      'schedule.dailyResetDue',
      'strategy.loaded',
      'strategy.invalidated',
      'xstate.done.actor.revertStrategy',
      'xstate.error.actor.revertStrategy',
    ]);
    const phaseIds = ['boot', 'restore', 'reconcile', 'shutdown'];
    const top = (s: { value: unknown }) => (typeof s.value === 'string' ? s.value : JSON.stringify(s.value).includes('"running"') ? 'running' : JSON.stringify(s.value));
    const c = (s: { context: unknown }) => s.context as FundContext;
    const samples: Record<string, SampleFactory> = {
      'xstate.done.actor.boot': () => [{ type: 'xstate.done.actor.boot', output: { nowMs: t } }],
      'xstate.done.actor.restore': () => [
        { type: 'xstate.done.actor.restore', output: { nowMs: t, strategy: { version: 'v1', source: 'file' }, previousVersion: 'v0', symbols: null } },
        { type: 'xstate.done.actor.restore', output: { nowMs: t, strategy: { version: 'v1', source: 'db' }, previousVersion: null, symbols: null } },
        { type: 'xstate.done.actor.restore', output: { nowMs: t, strategy: null, previousVersion: null, symbols: [] } },
      ],
      'xstate.done.actor.reconcile': () => [
        { type: 'xstate.done.actor.reconcile', output: { nowMs: t, halt: null } },
        { type: 'xstate.done.actor.reconcile', output: { nowMs: t, halt: { reason: 'drawdown 41% > 40%' } } },
      ],
      'xstate.done.actor.shutdown': () => [{ type: 'xstate.done.actor.shutdown', output: { nowMs: t } }],
      'system.stop': (s) => [{ type: 'system.stop', reason: 'SIGTERM', nowMs: s.context.nowMs }],
      'operator.halt': (s) => [{ type: 'operator.halt', reason: 'manual', nowMs: s.context.nowMs }],
      'system.halt': (s) => [{ type: 'system.halt', reason: 'reconcile mismatch', nowMs: s.context.nowMs }],
      'risk.haltTriggered': (s) => [{ type: 'risk.haltTriggered', reason: 'drawdown 41% > 40%', nowMs: s.context.nowMs }],
      'risk.rollbackTriggered': (s) => [{ type: 'risk.rollbackTriggered', trigger: 'daily drop 16% > 15%', nowMs: s.context.nowMs }],
      'risk.dailyLossLimitReached': (s) => [{ type: 'risk.dailyLossLimitReached', reason: 'daily loss 10%', nowMs: s.context.nowMs }],
      'strategy.loaded': (s) => [
        { type: 'strategy.loaded', version: 'v2', source: 'file', previousVersion: 'v1', nowMs: s.context.nowMs },
        { type: 'strategy.loaded', version: 'v2', source: 'db', previousVersion: 'v1', nowMs: s.context.nowMs },
        { type: 'strategy.loaded', version: 'v9', source: 'file', previousVersion: 'v9', nowMs: s.context.nowMs }, // nothing to revert to
      ],
      'strategy.invalidated': (s) => [{ type: 'strategy.invalidated', reason: 'file failed validation', nowMs: s.context.nowMs }],
      'xstate.done.actor.revertStrategy': (s) => [
        { type: 'xstate.done.actor.revertStrategy', output: { nowMs: s.context.nowMs, version: 'v0', source: 'file', previousVersion: null } },
        { type: 'xstate.done.actor.revertStrategy', output: { nowMs: s.context.nowMs, version: 'v0', source: 'db', previousVersion: null } },
      ],
      'paperTest.started': (s) => [
        { type: 'paperTest.started', candidateVersion: 'cand-1', durationMs: DAY, nowMs: s.context.nowMs },
        { type: 'paperTest.started', candidateVersion: 'cand-1', durationMs: 0, nowMs: s.context.nowMs }, // refused
      ],
      'paperTest.tradeClosed': (s) =>
        [
          ['cand-1', '10'],
          ['cand-1', '-25'],
          ['cand-0', '5'],
        ].map(([candidateVersion, pnl]) => ({ type: 'paperTest.tradeClosed', candidateVersion, pnl, nowMs: s.context.nowMs })),
      'paperTest.canceled': (s) => [{ type: 'paperTest.canceled', reason: 'orchestrator cancelled', nowMs: s.context.nowMs }],
      'feed.messageReceived': (s) => [{ type: 'feed.messageReceived', nowMs: s.context.nowMs + 1000 }],
      'feed.disconnected': (s) => [{ type: 'feed.disconnected', reason: 'socket closed', nowMs: s.context.nowMs }],
      'xstate.error.actor.*': (s) => [
        ...Object.entries(c(s).children)
          .filter(([, r]) => r.status === 'running')
          .map(([id]) => ({ type: `xstate.error.actor.${id}`, error: new Error(`${id} crashed`) })),
        { type: 'xstate.error.actor.ghost', error: new Error('who is this') },
        { type: 'xstate.error.actor.boot', error: new Error('late error of a finished invoke') },
      ],
      'supervision.restartDue': (s) => [
        ...Object.entries(c(s).children)
          .filter(([, r]) => r.status === 'restarting')
          .map(([childId]) => ({ type: 'supervision.restartDue', childId })),
      ],
    };
    const report = measureCoverage({
      machine: fundMachine,
      input,
      samples,
      focuses: (stepper) => {
        const running = toRunning(stepper);
        const at = (events: object[]) => run(stepper, running, events as never);
        const now = { nowMs: T0 };
        // Running configurations worth restarting from: each resolving state must pick them up.
        const restartFrom = [
          at([{ type: 'risk.rollbackTriggered', trigger: 'daily drop', ...now }]), // rollingBack
          at([{ type: 'strategy.invalidated', reason: 'bad file', ...now }]), // none
          at([{ type: 'risk.rollbackTriggered', trigger: 'x', ...now }, actorError('revertStrategy')]), // failed
          at([{ type: 'paperTest.started', candidateVersion: 'c', durationMs: DAY, ...now }]), // paper running
          at([{ type: 'paperTest.started', candidateVersion: 'c', durationMs: DAY, ...now }, { type: 'xstate.after.untilPaperTestDeadline.fund.running.paperTest.running' }]), // inconclusive
          at([
            { type: 'paperTest.started', candidateVersion: 'c', durationMs: DAY, ...now },
            ...[1, 2, 3].map(() => ({ type: 'paperTest.tradeClosed', candidateVersion: 'c', pnl: '1', ...now })),
            { type: 'xstate.after.untilPaperTestDeadline.fund.running.paperTest.running' },
          ]), // passed
          at([
            { type: 'paperTest.started', candidateVersion: 'c', durationMs: DAY, ...now },
            ...[1, 2, 3].map(() => ({ type: 'paperTest.tradeClosed', candidateVersion: 'c', pnl: '-1', ...now })),
            { type: 'xstate.after.untilPaperTestDeadline.fund.running.paperTest.running' },
          ]), // failed
          at([
            { type: 'xstate.after.feedConnectTimeout.fund.running.feed.connecting' },
            { type: 'xstate.after.feedReconnectDelay.fund.running.feed.reconnecting' },
            { type: 'xstate.after.feedConnectTimeout.fund.running.feed.connecting' },
            { type: 'xstate.after.feedReconnectDelay.fund.running.feed.reconnecting' },
            { type: 'xstate.after.feedConnectTimeout.fund.running.feed.connecting' },
          ]), // feed lost
        ];
        const strictFeed = stepper.initialFor(fundInput({ feed: { ...input.feed, lostAfterAttempts: 1 } }));
        const r = (s: { value: unknown }, name: string) => JSON.stringify((s.value as { running?: Record<string, unknown> }).running?.[name] ?? null);
        return [
          {
            name: 'lifecycle',
            from: stepper.initial,
            exercises: (d) =>
              lifecycle.has(d) || phaseIds.some((id) => d === `xstate.done.actor.${id}` || d === `xstate.error.actor.${id}`) || d.startsWith('xstate.after.phaseRetryDelay'),
            key: (s) =>
              // halt and pause drive the startup guards; the restored strategy picks the running substate
              JSON.stringify([top(s), s.status, c(s).phase.attempts, c(s).halt !== null, c(s).pausedByOperator, c(s).strategy.status]),
          },
          {
            name: 'trading and strategy',
            from: running,
            exercises: (d) => tradingAndStrategy.has(d),
            key: (s) =>
              JSON.stringify([
                top(s),
                r(s, 'trading'),
                r(s, 'strategy'),
                c(s).halt !== null,
                c(s).pausedByOperator,
                c(s).dailyLossLock,
                c(s).strategy.status,
                c(s).strategy.previousVersion !== null && c(s).strategy.previousVersion !== c(s).strategy.version,
              ]),
          },
          {
            name: 'paper test',
            from: running,
            exercises: (d) => d.startsWith('paperTest.') || d.startsWith('xstate.after.untilPaperTestDeadline'),
            key: (s) =>
              JSON.stringify([r(s, 'paperTest'), Math.min(c(s).paperTest.trades, input.minPaperTestTrades), fromString(c(s).paperTest.pnl) >= 0n]),
          },
          {
            name: 'feed',
            from: running,
            exercises: (d) => d.startsWith('feed.') || /^xstate\.after\.(untilFeedStaleCheck|feedStaleTimeout|feedConnectTimeout|feedReconnectDelay)\./.test(d),
            key: (s) => {
              const f = c(s).feed;
              const silent = (f.lastMessageMs ?? -Infinity) + input.feed.staleAfterMs <= (f.staleCheckAtMs ?? c(s).nowMs);
              return JSON.stringify([r(s, 'feed'), Math.min(f.attempts, input.feed.lostAfterAttempts), f.lostSinceMs !== null, silent]);
            },
          },
          {
            name: 'feed, lost on the first failure',
            from: toRunning(stepper, {}, {}, strictFeed),
            exercises: (d) => d.startsWith('feed.') || /^xstate\.after\.(untilFeedStaleCheck|feedStaleTimeout|feedConnectTimeout)\./.test(d),
            key: (s) => JSON.stringify([r(s, 'feed'), c(s).feed.attempts > 0, c(s).feed.lostSinceMs !== null]),
          },
          {
            name: 'restart',
            from: restartFrom,
            exercises: (d) =>
              d === 'system.restored' ||
              d === 'feed.connected' ||
              d === 'feed.disconnected' ||
              phaseIds.some((id) => d === `xstate.done.actor.${id}`) ||
              d.startsWith('xstate.after.feedConnectTimeout'),
            key: (s) =>
              JSON.stringify([
                top(s),
                r(s, 'strategy'),
                r(s, 'paperTest'),
                r(s, 'feed'),
                c(s).feed.lostSinceMs !== null,
              ]),
          },
          {
            name: 'supervision',
            // One supervised child is enough to reach every supervision transition.
            samples: {
              'xstate.error.actor.*': (s) => [
                ...(c(s).children['symbol:BTC/USD']?.status === 'running' ? [{ type: 'xstate.error.actor.symbol:BTC/USD', error: new Error('crashed') }] : []),
                { type: 'xstate.error.actor.ghost', error: new Error('who is this') },
                { type: 'xstate.error.actor.boot', error: new Error('late error of a finished invoke') },
              ],
            },
            from: running,
            // Child failures in every phase, across a restore (a child degraded while restoring
            // makes `running` start degraded).
            exercises: (d) =>
              d === 'xstate.error.actor.*' ||
              d === 'supervision.restartDue' ||
              d === 'clock.ticked' ||
              d === 'system.restored' ||
              d === 'xstate.done.actor.restore' ||
              d === 'xstate.done.actor.reconcile',
            key: (s) =>
              JSON.stringify([
                top(s),
                r(s, 'health'),
                Object.entries(c(s).children).map(([id, rec]) => [id, rec.status, rec.restartTimesMs.length]),
              ]),
          },
        ];
      },
    });
    expectFull(report);
    for (const [focus, n] of Object.entries(report.explored)) expect(n, focus).toBeGreaterThan(0);
  });
});
