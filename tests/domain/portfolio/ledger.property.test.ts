import fc from 'fast-check';
import { describe, it } from 'vitest';
import { runs } from '../../support/runs.ts';
import { deep } from '../../support/runs.ts';
import { FILLS_PER_SEQUENCE, runSequence, sequenceArb, sequenceArbOf } from './ledger-model.ts';

const paperRuns = runs(1000);
const liveRuns = runs(100);
/** Issue 3: conservation over 100,000 random fill sequences (a million under test:deep). */
const shortRuns = deep ? 1_000_000 : 100_000;
const SHORT_FILLS = 3;

describe('ledger conservation (property)', () => {
  it(`paper: ${paperRuns} sequences × ${FILLS_PER_SEQUENCE} fill attempts = ${paperRuns * FILLS_PER_SEQUENCE} fills conserve cash exactly`, () => {
    fc.assert(fc.property(sequenceArb, (seq) => runSequence(seq, 'paper')), { numRuns: paperRuns });
  });

  it(`paper: ${shortRuns} short sequences × ${SHORT_FILLS} fill attempts conserve cash exactly`, () => {
    fc.assert(fc.property(sequenceArbOf(SHORT_FILLS), (seq) => runSequence(seq, 'paper')), { numRuns: shortRuns });
  });

  it(`live: ${liveRuns} sequences × ${FILLS_PER_SEQUENCE} fill attempts = ${liveRuns * FILLS_PER_SEQUENCE} fills conserve cash exactly (cash may go negative)`, () => {
    fc.assert(fc.property(sequenceArb, (seq) => runSequence(seq, 'live')), { numRuns: liveRuns });
  });
});
