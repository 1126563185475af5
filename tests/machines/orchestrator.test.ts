import { type AnyActorLogic, SimulatedClock, createActor, fromPromise, initialTransition, transition } from 'xstate';
import { describe, expect, it } from 'vitest';
import {
  type BudgetStatus,
  CycleStepError,
  type CycleStepInput,
  type Decision,
  type GeneratedCandidate,
  type OrchestratorEvent,
  type Promotion,
  type StepVerdict,
  orchestratorMachine,
  stepErrorKind,
} from '../../machines/orchestrator.ts';
import { DAY, HOUR, T0, flush, orchestratorInput, pending, rejects, resolves } from './support/fixtures.ts';

const ok: StepVerdict = { nowMs: T0, ok: true, feedback: '' };
const refused = (why: string): StepVerdict => ({ nowMs: T0, ok: false, feedback: why });

/** Fakes for every step; override per test. */
function fakes(over: Partial<Record<string, AnyActorLogic>> = {}) {
  return {
    checkBudget: resolves<BudgetStatus>({ nowMs: T0, tokensRemaining: 1_000_000 }),
    gatherContext: resolves({ nowMs: T0, contextId: 'ctx-1' }),
    decide: resolves<Decision>({ nowMs: T0, decision: 'changeStrategy', reasoning: 'momentum decayed' }),
    generateStrategy: resolves<GeneratedCandidate>({ nowMs: T0, candidateVersion: 'cand-1' }),
    reviewStrategy: resolves(ok),
    validateStrategy: resolves(ok),
    backtestStrategy: resolves(ok),
    promoteStrategy: resolves<Promotion>({ nowMs: T0, version: 'cand-1' }),
    ...over,
  };
}

function start(over: Partial<Record<string, AnyActorLogic>> = {}, input = orchestratorInput(), clock?: SimulatedClock) {
  const log: string[] = [];
  const machine = orchestratorMachine.provide({
    actors: fakes(over) as never,
    actions: {
      startShadowTest: ({ context }) => void log.push(`shadow:${context.cycle?.candidateVersion}`),
      stopShadowTest: () => void log.push('stopShadow'),
      vetoShadowTest: ({ event }) => void log.push(`veto:${(event as { reason?: string }).reason}`),
      announceCycleOutcome: ({ context }) => void log.push(`outcome:${context.lastOutcome?.outcome}`),
    },
  });
  const actor = createActor(machine, { input, ...(clock ? { clock } : {}) });
  let error: unknown;
  actor.subscribe({ error: (e) => (error = e) });
  actor.start();
  return { actor, log, error: () => error };
}

const request: OrchestratorEvent = { type: 'orchestrator.requested', source: 'operator', nowMs: T0 };
const verdict = (v: Partial<Extract<OrchestratorEvent, { type: 'paperTest.completed' }>> = {}): OrchestratorEvent => ({
  type: 'paperTest.completed',
  candidateVersion: 'cand-1',
  verdict: 'passed',
  trades: 8,
  psr: 0.97,
  nowMs: T0 + 3 * DAY,
  ...v,
});

describe('orchestrator', () => {
  it('starts disabled without an advisor and idle with one', () => {
    expect(initialTransition(orchestratorMachine, orchestratorInput({ hasAdvisor: false }))[0].value).toBe('disabled');
    const [idle] = initialTransition(orchestratorMachine, orchestratorInput());
    expect(idle.value).toBe('idle');
    const [disabled] = transition(orchestratorMachine, idle, { type: 'advisor.removed', nowMs: T0 });
    expect(disabled.can(request)).toBe(false);
  });

  it('runs a full cycle to promotion, only through the shadow-test gate', async () => {
    const { actor, log, error } = start();
    actor.send(request);
    await flush();
    expect(actor.getSnapshot().value).toBe('shadowTesting');
    expect(actor.getSnapshot().context.cycle).toMatchObject({ id: `cycle-${T0}`, attempt: 1, candidateVersion: 'cand-1', shadowDeadlineMs: T0 + 7 * DAY });
    expect(log).toEqual(['shadow:cand-1']);
    actor.send(verdict());
    await flush();
    expect(actor.getSnapshot().value).toBe('idle');
    expect(actor.getSnapshot().context.lastOutcome).toMatchObject({ outcome: 'promoted', candidateVersion: 'cand-1' });
    expect(actor.getSnapshot().context.cycle).toBeNull();
    expect(log).toEqual(['shadow:cand-1', 'outcome:promoted']);
    expect(error()).toBeUndefined();
    actor.stop();
  });

  it('refuses a request while a cycle runs (overlap guard), in every cycle state', async () => {
    const states = ['scheduled', 'gathering', 'deciding', 'generating', 'validating', 'reviewing', 'backtesting'] as const;
    const actorFor: Record<(typeof states)[number], string> = {
      scheduled: 'checkBudget',
      gathering: 'gatherContext',
      deciding: 'decide',
      generating: 'generateStrategy',
      reviewing: 'reviewStrategy',
      validating: 'validateStrategy',
      backtesting: 'backtestStrategy',
    };
    for (const state of states) {
      const { actor } = start({ [actorFor[state]]: pending() });
      actor.send(request);
      await flush();
      expect(actor.getSnapshot().value).toBe(state);
      expect(actor.getSnapshot().can(request), state).toBe(false);
      actor.stop();
    }
    const { actor } = start();
    actor.send(request);
    await flush();
    expect(actor.getSnapshot().value).toBe('shadowTesting');
    expect(actor.getSnapshot().can(request)).toBe(false);
    actor.stop();
  });

  it('skips the cycle when the token budget is short', async () => {
    const { actor, log } = start({ checkBudget: resolves<BudgetStatus>({ nowMs: T0, tokensRemaining: 150_000 }) });
    actor.send(request);
    await flush();
    expect(actor.getSnapshot().value).toBe('idle');
    expect(actor.getSnapshot().context.lastOutcome).toMatchObject({ outcome: 'budgetExhausted', reason: '150000 tokens left, 200000 needed' });
    expect(log).toEqual(['outcome:budgetExhausted']);
    actor.stop();
  });

  it('no change is an outcome, not a failure', async () => {
    const { actor } = start({ decide: resolves<Decision>({ nowMs: T0, decision: 'noChange', reasoning: 'regime unchanged' }) });
    actor.send(request);
    await flush();
    expect(actor.getSnapshot().context.lastOutcome).toMatchObject({ outcome: 'noChange', reason: 'regime unchanged' });
    actor.stop();
  });

  it('a decision outside the closed set fails the cycle (never silently NO_CHANGE)', async () => {
    const { actor } = start({ decide: resolves({ nowMs: T0, decision: 'STRATEGY_OVERHAUL', reasoning: '' }) });
    actor.send(request);
    await flush();
    expect(actor.getSnapshot().context.lastOutcome).toMatchObject({
      outcome: 'failed',
      reason: "decision 'STRATEGY_OVERHAUL' is not one of: noChange, changeStrategy, resumeCandidate",
    });
    actor.stop();
  });

  it('refusals loop back to generation with feedback, up to maxRevisions, then reject', async () => {
    let reviews = 0;
    const counting = fromPromise<StepVerdict, CycleStepInput>(async ({ input }) => {
      reviews++;
      expect(input.attempt).toBe(reviews);
      return refused('no stop-loss on BUY');
    });
    const { actor } = start({ reviewStrategy: counting }, orchestratorInput({ maxRevisions: 2 }));
    actor.send(request);
    await flush();
    expect(reviews).toBe(2);
    expect(actor.getSnapshot().value).toBe('idle');
    expect(actor.getSnapshot().context.lastOutcome).toMatchObject({ outcome: 'rejected', reason: 'no stop-loss on BUY' });
    actor.stop();
  });

  it('feedback reaches the next attempt', () => {
    let [s] = initialTransition(orchestratorMachine, orchestratorInput({ maxRevisions: 3 }));
    const done = (id: string, output: object) => ({ type: `xstate.done.actor.${id}`, output: { nowMs: T0, ...output } }) as never;
    for (const e of [
      request,
      done('checkBudget', { tokensRemaining: 1e6 }),
      done('gatherContext', { contextId: 'c' }),
      done('decide', { decision: 'changeStrategy', reasoning: '' }),
      done('generateStrategy', { candidateVersion: 'cand-1' }),
      done('validateStrategy', { ok: true, feedback: '' }),
      done('reviewStrategy', { ok: false, feedback: 'imports fs' }),
    ]) {
      [s] = transition(orchestratorMachine, s, e);
    }
    expect(s.value).toBe('generating');
    expect(s.context.cycle).toMatchObject({ attempt: 2, feedback: ['imports fs'], candidateVersion: null });
  });

  it('a failing step fails the cycle; no error escapes', async () => {
    const { actor, error } = start({ gatherContext: rejects('analysis module crashed') });
    actor.send(request);
    await flush();
    expect(error()).toBeUndefined();
    expect(actor.getSnapshot().context.lastOutcome).toMatchObject({ outcome: 'failed', reason: 'Error: analysis module crashed' });
    expect(actor.getSnapshot().can(request)).toBe(true);
    actor.stop();
  });

  it('times out at the cycle deadline on a simulated clock', async () => {
    const clock = new SimulatedClock();
    clock.set(T0);
    const { actor } = start({ generateStrategy: pending() }, orchestratorInput({ cycleTimeoutMs: 3 * HOUR }), clock);
    actor.send(request);
    await flush();
    expect(actor.getSnapshot().value).toBe('generating');
    clock.increment(3 * HOUR - 1);
    expect(actor.getSnapshot().value).toBe('generating');
    clock.increment(1);
    expect(actor.getSnapshot().value).toBe('idle');
    expect(actor.getSnapshot().context.lastOutcome).toMatchObject({
      outcome: 'timedOut',
      endedAtMs: T0 + 3 * HOUR,
      reason: 'cycle exceeded its window of 10800000 ms',
    });
    actor.stop();
  });

  it('the promotion gate: too few trades is inconclusive, a weak PSR is rejected, other candidates are ignored', () => {
    const shadow = (() => {
      let [s] = initialTransition(orchestratorMachine, orchestratorInput());
      const done = (id: string, output: object) => ({ type: `xstate.done.actor.${id}`, output: { nowMs: T0, ...output } }) as never;
      for (const e of [
        request,
        done('checkBudget', { tokensRemaining: 1e6 }),
        done('gatherContext', { contextId: 'c' }),
        done('decide', { decision: 'changeStrategy', reasoning: '' }),
        done('generateStrategy', { candidateVersion: 'cand-1' }),
        done('validateStrategy', { ok: true, feedback: '' }),
        done('reviewStrategy', { ok: true, feedback: '' }),
        done('backtestStrategy', { ok: true, feedback: '' }),
      ]) {
        [s] = transition(orchestratorMachine, s, e);
      }
      return s;
    })();
    expect(shadow.value).toBe('shadowTesting');
    const after = (e: OrchestratorEvent) => transition(orchestratorMachine, shadow, e)[0];
    expect(after(verdict()).value).toBe('promoting');
    expect(after(verdict({ trades: 4 })).context.lastOutcome?.outcome).toBe('inconclusive'); // min 5 trades
    expect(after(verdict({ verdict: 'inconclusive', trades: 2, psr: null })).context.lastOutcome?.outcome).toBe('inconclusive');
    expect(after(verdict({ psr: 0.9 })).context.lastOutcome?.outcome).toBe('rejected'); // below 0.95
    expect(after(verdict({ psr: null })).context.lastOutcome?.outcome).toBe('rejected');
    expect(after(verdict({ verdict: 'failed' })).context.lastOutcome?.outcome).toBe('rejected');
    expect(shadow.can(verdict({ candidateVersion: 'cand-0' }))).toBe(false);
    // promotion happens only from shadowTesting: nothing else handles the verdict
    const [idle] = initialTransition(orchestratorMachine, orchestratorInput());
    expect(idle.can(verdict())).toBe(false);
  });

  it('the shadow deadline survives a restore and keeps the incumbent when it passes', async () => {
    const clock = new SimulatedClock();
    clock.set(T0);
    const { actor } = start({}, orchestratorInput({ shadowTestTimeoutMs: 7 * DAY }), clock);
    actor.send(request);
    await flush();
    const persisted = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
    actor.stop();

    const later = new SimulatedClock();
    later.set(T0 + 5 * DAY);
    const log: string[] = [];
    const restored = createActor(
      orchestratorMachine.provide({ actors: fakes() as never, actions: { stopShadowTest: () => void log.push('stopShadow') } }),
      { snapshot: persisted, input: orchestratorInput(), clock: later },
    ).start();
    restored.send({ type: 'system.restored', nowMs: later.now() });
    later.increment(2 * DAY - 1);
    expect(restored.getSnapshot().value).toBe('shadowTesting');
    later.increment(1);
    expect(restored.getSnapshot().value).toBe('idle');
    expect(restored.getSnapshot().context.lastOutcome).toMatchObject({ outcome: 'inconclusive', endedAtMs: T0 + 7 * DAY });
    expect(log).toEqual(['stopShadow']);
    restored.stop();
  });
  it('runs the pipeline in the issue order: generate → validate (sandbox) → review → backtest', async () => {
    const order: string[] = [];
    const step = (name: string) =>
      fromPromise<StepVerdict, CycleStepInput>(async () => {
        order.push(name);
        return ok;
      });
    const { actor } = start({ validateStrategy: step('validate'), reviewStrategy: step('review'), backtestStrategy: step('backtest') });
    actor.send(request);
    await flush();
    expect(order).toEqual(['validate', 'review', 'backtest']);
    expect(actor.getSnapshot().value).toBe('shadowTesting');
    actor.stop();
  });

  it('every step gets the absolute cycle deadline', async () => {
    const seen: CycleStepInput[] = [];
    const spy = fromPromise<StepVerdict, CycleStepInput>(async ({ input }) => {
      seen.push(input);
      return ok;
    });
    const { actor } = start({ validateStrategy: spy, reviewStrategy: spy }, orchestratorInput({ cycleTimeoutMs: 2 * HOUR }));
    actor.send(request);
    await flush();
    expect(seen).toHaveLength(2);
    for (const input of seen) expect(input).toMatchObject({ cycleId: `cycle-${T0}`, deadlineMs: T0 + 2 * HOUR, forced: false, candidateVersion: 'cand-1' });
    actor.stop();
  });

  it('a final refusal (backtest review: abandon) ends rejected at once, without another attempt', async () => {
    let generated = 0;
    const gen = fromPromise<GeneratedCandidate, CycleStepInput>(async () => {
      generated++;
      return { nowMs: T0, candidateVersion: `cand-${generated}` };
    });
    const { actor, error } = start({ generateStrategy: gen, backtestStrategy: resolves<StepVerdict>({ nowMs: T0, ok: false, final: true, feedback: 'backtest review: abandon — no edge' }) });
    actor.send(request);
    await flush();
    expect(generated).toBe(1);
    expect(actor.getSnapshot().value).toBe('idle');
    expect(actor.getSnapshot().context.lastOutcome).toMatchObject({ outcome: 'rejected', reason: 'backtest review: abandon — no edge', candidateVersion: 'cand-1' });
    expect(error()).toBeUndefined();
    actor.stop();
  });

  it('step errors end in the state their kind names: budget, timeout, anything else failed', async () => {
    const throwing = (err: unknown) =>
      fromPromise<Decision, CycleStepInput>(async () => {
        throw err;
      });
    const cases: [unknown, string][] = [
      [new CycleStepError('budgetExhausted', 'decision: budgetExhausted: 10 tokens left'), 'budgetExhausted'],
      [new CycleStepError('timeout', 'decision: timeout: deadline passed'), 'timedOut'],
      [Object.assign(new Error('x'), { kind: 'timeout' }), 'timedOut'],
      [Object.assign(new Error('y'), { name: 'BudgetExhaustedError' }), 'budgetExhausted'],
      [new CycleStepError('failed', 'invalidResponse: not JSON'), 'failed'],
      [new Error('plain'), 'failed'],
    ];
    for (const [err, outcome] of cases) {
      const { actor, error } = start({ decide: throwing(err) });
      actor.send(request);
      await flush();
      expect(actor.getSnapshot().value).toBe('idle');
      expect(actor.getSnapshot().context.lastOutcome?.outcome, String(err)).toBe(outcome);
      expect(error()).toBeUndefined();
      actor.stop();
    }
    expect(stepErrorKind('budgetExhausted')).toBe('failed');
    expect(stepErrorKind(null)).toBe('failed');
    expect(stepErrorKind({ kind: 'budgetExhausted' })).toBe('budgetExhausted');
  });

  it('resuming a running candidate goes from deciding straight to its shadow test', async () => {
    const never = (name: string) =>
      fromPromise<never, CycleStepInput>(async () => {
        throw new Error(`${name} must not run when resuming`);
      });
    const { actor, log } = start({
      decide: resolves<Decision>({ nowMs: T0, decision: 'resumeCandidate', reasoning: 'let the gate judge', candidateVersion: 'cand-7' }),
      generateStrategy: never('generate'),
      validateStrategy: never('validate'),
      reviewStrategy: never('review'),
      backtestStrategy: never('backtest'),
    });
    actor.send(request);
    await flush();
    expect(actor.getSnapshot().value).toBe('shadowTesting');
    expect(actor.getSnapshot().context.cycle).toMatchObject({ attempt: 0, candidateVersion: 'cand-7', shadowDeadlineMs: T0 + 7 * DAY });
    expect(log).toEqual(['shadow:cand-7']);
    actor.send(verdict({ candidateVersion: 'cand-7' }));
    await flush();
    expect(actor.getSnapshot().context.lastOutcome).toMatchObject({ outcome: 'promoted', candidateVersion: 'cand-7' });
    actor.stop();
    // Without a version the resume decision is a failure, not a silent no-op.
    const bad = start({ decide: resolves<Decision>({ nowMs: T0, decision: 'resumeCandidate', reasoning: '' }) });
    bad.actor.send(request);
    await flush();
    expect(bad.actor.getSnapshot().context.lastOutcome).toMatchObject({ outcome: 'failed', reason: 'resumeCandidate without a candidateVersion' });
    bad.actor.stop();
  });

  it('the operator vetoes the candidate under test: rejected, the test stopped', async () => {
    const { actor, log } = start();
    actor.send(request);
    await flush();
    expect(actor.getSnapshot().can({ type: 'operator.vetoCandidate', candidateVersion: 'cand-0', reason: 'x', nowMs: T0 })).toBe(false);
    actor.send({ type: 'operator.vetoCandidate', candidateVersion: 'cand-1', reason: 'trades into news', nowMs: T0 + HOUR });
    expect(actor.getSnapshot().value).toBe('idle');
    expect(actor.getSnapshot().context.lastOutcome).toMatchObject({ outcome: 'rejected', reason: 'vetoed by the operator: trades into news', endedAtMs: T0 + HOUR });
    expect(log).toEqual(['shadow:cand-1', 'veto:trades into news', 'outcome:rejected']);
    actor.stop();
  });

  it('a forced promotion needs the version as confirmation and skips the gate, flagged forced', async () => {
    let promotedWith: CycleStepInput | null = null;
    const promote = fromPromise<Promotion, CycleStepInput>(async ({ input }) => {
      promotedWith = input;
      return { nowMs: T0, version: 'cand-1' };
    });
    const { actor } = start({ promoteStrategy: promote });
    actor.send(request);
    await flush();
    const force = (confirm: string, candidateVersion = 'cand-1'): OrchestratorEvent => ({ type: 'operator.forcePromotion', candidateVersion, confirm, nowMs: T0 + HOUR });
    expect(actor.getSnapshot().can(force('yes'))).toBe(false);
    expect(actor.getSnapshot().can(force('cand-0', 'cand-0'))).toBe(false);
    actor.send(force('yes'));
    expect(actor.getSnapshot().value).toBe('shadowTesting');
    actor.send(force('cand-1'));
    expect(actor.getSnapshot().value).toBe('promoting');
    await flush();
    expect(promotedWith).toMatchObject({ forced: true, candidateVersion: 'cand-1' });
    expect(actor.getSnapshot().context.lastOutcome).toMatchObject({ outcome: 'promoted', candidateVersion: 'cand-1' });
    // Outside a shadow test nothing handles the operator's events.
    expect(actor.getSnapshot().can(force('cand-1'))).toBe(false);
    // The next cycle starts unforced.
    actor.send(request);
    await flush();
    expect(actor.getSnapshot().context.cycle).toMatchObject({ forced: false });
    actor.stop();
  });
});
