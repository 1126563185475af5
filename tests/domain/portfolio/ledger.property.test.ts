import fc from 'fast-check';
import { describe, it } from 'vitest';
import { runs } from '../../support/runs.ts';
import { FILLS_PER_SEQUENCE, runSequence, sequenceArb } from './ledger-model.ts';

const paperRuns = runs(1000);
const liveRuns = runs(100);

describe('ledger conservation (property)', () => {
  it(`paper: ${paperRuns} sequences × ${FILLS_PER_SEQUENCE} fill attempts = ${paperRuns * FILLS_PER_SEQUENCE} fills conserve cash exactly`, () => {
    fc.assert(fc.property(sequenceArb, (seq) => runSequence(seq, 'paper')), { numRuns: paperRuns });
  });

  it(`live: ${liveRuns} sequences × ${FILLS_PER_SEQUENCE} fill attempts = ${liveRuns * FILLS_PER_SEQUENCE} fills conserve cash exactly (cash may go negative)`, () => {
    fc.assert(fc.property(sequenceArb, (seq) => runSequence(seq, 'live')), { numRuns: liveRuns });
  });
});
