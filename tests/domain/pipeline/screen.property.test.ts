/**
 * The float64 pre-screens in front of every exact equity mark and trigger evaluation must change
 * nothing: over random scenarios, the pipeline as it is and the pipeline that marks and evaluates
 * exactly after every call produce the same fills, halts, rollbacks, peak and ledger.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PipelineEvent, PipelineState } from '../../../domain/pipeline/index.ts';
import { runs } from '../../support/runs.ts';
import { play, scenarioArb } from './scenario.ts';
import { M5, makeConfig } from './support.ts';

describe('the pre-screens', () => {
  it('the float pre-screens fire halts and rollbacks exactly when marking and evaluating after every call would, and find the same peak', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const config = makeConfig({ limitOrderTtlMs: 3 * M5 }, scenario.limits);
        const record = (log: string[]) => (_kind: string, _before: PipelineState, events: readonly PipelineEvent[]) => {
          for (const e of events) {
            if (e.type === 'risk.halted') log.push(`${e.tsMs} halt ${e.halt.kind}`);
            if (e.type === 'strategy.rollbackRequested') log.push(`${e.tsMs} rollback ${e.rollback.kinds.join('+')}`);
            if (e.type === 'order.filled' || e.type === 'signal.rejected') log.push(`${e.tsMs} ${e.type}`);
          }
        };
        const screened: string[] = [];
        const exact: string[] = [];
        const a = play(scenario, config, record(screened));
        const b = play(scenario, config, record(exact), true);
        expect(screened).toEqual(exact);
        expect(a.risk.peakEquity).toBe(b.risk.peakEquity);
        expect(a.risk.halt).toEqual(b.risk.halt);
        expect(a.ledger).toEqual(b.ledger);
      }),
      { numRuns: runs(1000) },
    );
  });

});
