/**
 * Vetoing and forcing a candidate. A veto cancels the fund's paper test (fund event
 * `paperTest.canceled`), ends the orchestrator's shadow test with a failed verdict, resolves
 * the stored candidate first and announces `candidate.canceled`. A force needs a confirmation
 * token (issued for one action, expiring, single use) and is sent to the orchestrator as
 * `operator.forcePromotion`, which the orchestrator must accept in `shadowTesting`.
 */
import { setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { type Decision, type StepVerdict, orchestratorMachine } from '../../../machines/index.ts';
import { ConfirmationBook } from '../../../supervisor/operator/index.ts';
import { resolves } from '../../machines/support/fixtures.ts';
import { DAY, MINUTE, T0, flush, operatorHarness, seedCandidate } from './support.ts';

const CANDIDATE = 'v9_candidate';

/** The real orchestrator whose steps all succeed, so an operator cycle reaches shadowTesting with CANDIDATE. */
const succeedingOrchestrator = orchestratorMachine.provide({
  actors: {
    checkBudget: resolves({ nowMs: T0, tokensRemaining: 1_000_000 }),
    gatherContext: resolves({ nowMs: T0, contextId: 'ctx-1' }),
    decide: resolves<Decision>({ nowMs: T0, decision: 'changeStrategy', reasoning: 'stops too tight' }),
    generateStrategy: resolves({ nowMs: T0, candidateVersion: CANDIDATE }),
    reviewStrategy: resolves<StepVerdict>({ nowMs: T0, ok: true, feedback: '' }),
    validateStrategy: resolves<StepVerdict>({ nowMs: T0, ok: true, feedback: '' }),
    backtestStrategy: resolves<StepVerdict>({ nowMs: T0, ok: true, feedback: '' }),
  },
});

/** A stand-in orchestrator that has the forced-promotion transition the real one still lacks. */
const forcingOrchestrator = setup({
  types: {} as { context: { cycle: { id: string; candidateVersion: string } | null }; events: { type: 'operator.forcePromotion'; candidateVersion: string; nowMs: number } },
}).createMachine({
  id: 'orchestrator',
  context: { cycle: { id: 'cycle-1', candidateVersion: CANDIDATE } },
  initial: 'shadowTesting',
  states: {
    shadowTesting: {
      on: { 'operator.forcePromotion': { guard: ({ context, event }) => event.candidateVersion === context.cycle?.candidateVersion, target: 'promoting' } },
    },
    promoting: {},
  },
});

async function inShadowTest() {
  const h = await operatorHarness({ actors: { orchestrator: succeedingOrchestrator } });
  expect(h.operator.execute({ kind: 'orchestrate' }).ok).toBe(true);
  await flush();
  h.fund.send({ type: 'paperTest.started', candidateVersion: CANDIDATE, durationMs: 7 * DAY });
  const candidateId = seedCandidate(h.repos, 1, CANDIDATE);
  expect(h.operator.state()).toMatchObject({ orchestrator: 'shadowTesting', paperTest: { status: 'running', candidateVersion: CANDIDATE } });
  return { ...h, candidateId };
}

describe('veto a candidate', () => {
  it('cancels the paper test, ends the shadow test with a failed verdict, resolves the stored candidate and announces it', async () => {
    const { operator, repos, fund, candidateId } = await inShadowTest();
    const r = operator.execute({ kind: 'vetoCandidate', slot: 1, reason: 'too risky', via: 'telegram' });
    expect(r).toMatchObject({
      ok: true,
      message: `candidate ${CANDIDATE} in slot 1 vetoed: its paper test is canceled; the orchestrator cycle ended inconclusive`,
      state: { paperTest: { status: 'idle' }, orchestrator: 'idle' },
    });
    const orchestrator = fund.snapshot().children['orchestrator'] as unknown as { getSnapshot(): { context: { lastOutcome: { outcome: string; candidateVersion: string } } } };
    // No shadow trades yet (< promotion.minTrades 5): the orchestrator's gate calls it inconclusive; the incumbent stays.
    expect(orchestrator.getSnapshot().context.lastOutcome).toMatchObject({ outcome: 'inconclusive', candidateVersion: CANDIDATE, reason: 'shadow test failed: 0 trades, PSR n/a' });
    expect(repos.candidates.byId(candidateId)).toMatchObject({ status: 'canceled', resolutionReason: 'operator veto: too risky', resolvedAt: T0 });
    expect(repos.paperTests.listFor(candidateId).map((t) => t.status)).toEqual(['canceled']);
    const announced = repos.activityLog.list({ category: 'strategy' });
    expect(announced.map((a) => a.summary)).toEqual([`candidate ${CANDIDATE} (slot 1) canceled by the operator: operator veto: too risky`]);
  });

  it('refuses an empty slot or one outside 1..max_candidates, with the running ones listed', async () => {
    const { operator, repos } = await operatorHarness();
    seedCandidate(repos, 2, 'v7_candidate');
    expect(operator.execute({ kind: 'vetoCandidate', slot: 1 })).toMatchObject({ ok: false, reason: 'slot 1 holds no running candidate; running: slot 2: v7_candidate' });
    expect(operator.execute({ kind: 'vetoCandidate', slot: 4 })).toMatchObject({
      ok: false,
      reason: 'slot must be an integer from 1 to 3 (orchestrator.max_candidates); got 4',
    });
    expect(operator.execute({ kind: 'vetoCandidate', slot: 1.5 })).toMatchObject({ ok: false });
    // A candidate no machine tracks is vetoed in the store alone.
    expect(operator.execute({ kind: 'vetoCandidate', slot: 2 })).toMatchObject({ ok: true, message: 'candidate v7_candidate in slot 2 vetoed' });
    expect(operator.execute({ kind: 'vetoCandidate', slot: 2 })).toMatchObject({ ok: false, reason: 'slot 2 holds no running candidate; running: none' });
  });
});

describe('force a candidate', () => {
  it('is refused while the orchestrator machine has no forced-promotion transition', async () => {
    const { operator } = await inShadowTest();
    expect(operator.execute({ kind: 'forceCandidate', slot: 1 })).toMatchObject({
      ok: false,
      reason: 'the orchestrator does not accept operator.forcePromotion in state shadowTesting; a forced promotion needs that transition (shadowTesting → promoting)',
      state: { orchestrator: 'shadowTesting' },
    });
  });

  it('is refused when no cycle shadow-tests that candidate', async () => {
    const { operator, repos } = await operatorHarness();
    seedCandidate(repos, 1, CANDIDATE);
    expect(operator.execute({ kind: 'forceCandidate', slot: 1 })).toMatchObject({
      ok: false,
      reason: `no orchestrator cycle is shadow-testing ${CANDIDATE} (orchestrator: idle); only a candidate under its shadow test can be promoted`,
    });
  });

  it('asks for a confirmation, then sends operator.forcePromotion with a valid token', async () => {
    const { operator, repos } = await operatorHarness({ actors: { orchestrator: forcingOrchestrator } });
    seedCandidate(repos, 1, CANDIDATE);
    const ask = operator.execute({ kind: 'forceCandidate', slot: 1, via: 'telegram' });
    const expires = T0 + 2 * MINUTE;
    expect(ask).toMatchObject({
      ok: false,
      reason: `confirmation required: this will promote candidate ${CANDIDATE} (slot 1) to the live strategy now, without the promotion gate; repeat with confirmation tok-1 before ${new Date(expires).toISOString()}`,
      confirmation: { token: 'tok-1', expiresAtMs: expires },
    });
    expect(operator.state().orchestrator).toBe('shadowTesting');

    expect(operator.execute({ kind: 'forceCandidate', slot: 1, confirmation: 'tok-999' })).toMatchObject({
      ok: false,
      reason: 'the confirmation token is unknown or was already used; ask again for a fresh one',
    });
    expect(operator.execute({ kind: 'forceCandidate', slot: 1, confirmation: 'tok-1' })).toMatchObject({
      ok: true,
      message: `promoting candidate ${CANDIDATE} (slot 1) without the gate; the previous version stays ready for rollback`,
      state: { orchestrator: 'promoting' },
    });
  });

  it('an expired token is refused and spent', async () => {
    const { operator, repos, fund } = await operatorHarness({ actors: { orchestrator: forcingOrchestrator } });
    seedCandidate(repos, 1, CANDIDATE);
    const token = (operator.execute({ kind: 'forceCandidate', slot: 1 }) as { confirmation: { token: string } }).confirmation.token;
    fund.clock.increment(2 * MINUTE + 1);
    expect(operator.execute({ kind: 'forceCandidate', slot: 1, confirmation: token })).toMatchObject({
      ok: false,
      reason: `the confirmation token expired at ${new Date(T0 + 2 * MINUTE).toISOString()}; ask again for a fresh one`,
    });
    expect(operator.execute({ kind: 'forceCandidate', slot: 1, confirmation: token })).toMatchObject({ ok: false, reason: expect.stringMatching(/unknown or was already used/) });
    expect(operator.state().orchestrator).toBe('shadowTesting');
  });
});

describe('ConfirmationBook', () => {
  it('confirms only the action a token was issued for, once, until it expires', () => {
    let n = 0;
    const book = new ConfirmationBook(1000, () => `t${++n}`);
    const a = book.issue('forceCandidate:1:v9', 0);
    expect(a).toEqual({ token: 't1', expiresAtMs: 1000 });
    expect(book.redeem('t1', 'forceCandidate:2:v8', 10)).toEqual({
      ok: false,
      reason: 'the confirmation token was issued for a different action (forceCandidate:1:v9); ask again for a fresh one',
    });
    const b = book.issue('forceCandidate:1:v9', 20);
    expect(book.redeem(b.token, 'forceCandidate:1:v9', 1020)).toEqual({ ok: true }); // the last valid ms
    expect(book.redeem(b.token, 'forceCandidate:1:v9', 1021)).toMatchObject({ ok: false });
    expect(() => new ConfirmationBook(0, () => 'x')).toThrow('confirmation TTL must be an integer > 0 ms, got 0');
  });
});
