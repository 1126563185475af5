/** Reflection when due: graded predictions, a rewritten (archived) strategy document, new predictions, announced. */
import { afterEach, describe, expect, it } from 'vitest';
import { fakeReply } from '../../../adapters/fake-anthropic/index.ts';
import { noChange } from '../../adapters/anthropic/support.ts';
import { DAY, eventTypes, harness, runCycle, type Harness } from './support.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const doc2 = '# Strategy document v2\nRange regimes persist on BTC after a shock; keep exits tight and entries rare. (rewritten)';

describe('reflection', () => {
  it('runs when the document is older than the interval and observations were made since', async () => {
    h = await harness();
    const r = h.store.repos;
    r.strategyDocs.append('# Strategy document v1\nCapital preservation first; change rarely; evidence over opinion.', null, h.now - 8 * DAY);
    r.observations.upsert({ date: '2023-03-08', cycleId: 'old', marketSummary: 'SVB stress', strategyAssessment: 'flat', notableFindings: '', strategyVersion: 'v001', docFlag: true, flagReason: 'bank run', createdAt: h.now - 7 * DAY });
    const id = r.predictions.insert({ cycleId: 'old', claim: 'BTC stays within ±5% for 3 days', evidence: 'ATR fell', falsification: 'a close outside ±5%', confidence: 'medium', evaluationTimeframe: '3 days', category: 'regime', createdAt: h.now - 7 * DAY });
    h.fake!.enqueue(
      fakeReply.json({ gradedPredictions: [{ predictionId: id, grade: 'refuted', evidence: 'BTC rose 15% on 13 March.', learning: 'Shocks break ranges.' }], strategyDocument: doc2, summary: 'Ranges broke after the USDC re-peg.', newPredictions: [] }),
      fakeReply.json(noChange),
    );
    expect(await runCycle(h)).toBe('idle');
    const cycleId = h.actor.getSnapshot().context.lastOutcome.cycleId;
    expect(r.strategyDocs.latest()).toMatchObject({ version: 2, content: doc2, reflectionCycleId: cycleId });
    expect(r.strategyDocs.byVersion(1)!.content).toContain('v1');
    expect(r.predictions.byId(id)).toMatchObject({ grade: 'refuted', gradeLearning: 'Shocks break ranges.' });
    expect(r.thoughts.byCycle(cycleId).map((t) => t.step)).toEqual(['reflection', 'analysis']);
    // The decision saw the rewritten document.
    expect(JSON.stringify(h.fake!.requests()[1]!.body)).toContain('Range regimes persist');
    expect(eventTypes(h)).toContain('reflection.completed');
  });

  it('is not due inside the interval; a failed reflection is recorded and the cycle goes on', async () => {
    h = await harness();
    const r = h.store.repos;
    r.strategyDocs.append('# Strategy document v1\nCapital preservation first; change rarely; evidence over opinion.', null, h.now - 8 * DAY);
    r.observations.upsert({ date: '2023-03-08', cycleId: 'old', marketSummary: 'x', strategyAssessment: 'y', notableFindings: '', strategyVersion: 'v001', docFlag: false, flagReason: null, createdAt: h.now - 7 * DAY });
    h.fake!.enqueue(fakeReply.malformed(), fakeReply.json(noChange));
    expect(await runCycle(h)).toBe('idle');
    expect(h.actor.getSnapshot().context.lastOutcome).toMatchObject({ outcome: 'noChange' });
    expect(r.strategyDocs.latest()!.version).toBe(1);
    const cycleId = h.actor.getSnapshot().context.lastOutcome.cycleId;
    expect(r.thoughts.byCycle(cycleId).map((t) => [t.step, t.parsedResult === null])).toEqual([['reflection', true], ['analysis', false]]);
    expect(JSON.stringify(h.fake!.requests()[1]!.body)).toContain('Reflection failed tonight');
    // The next night is inside the interval of nothing new: no reflection call.
    h.now += DAY;
    h.fake!.enqueue(fakeReply.json(noChange));
    r.strategyDocs.append('# Strategy document v2\nWritten today by hand, more than fifty characters long.', null, h.now);
    expect(await runCycle(h)).toBe('idle');
    expect(h.fake!.requests()).toHaveLength(3);
  });
});
