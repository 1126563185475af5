/**
 * The invariant suite (issue #4 point 7), shared by the four files that split its runs across
 * test workers: fast-check scenarios — trending, ranging, crashing, gapped and stale markets;
 * operator commands; strategy faults; feed drops; crash and graceful restarts — through the whole
 * actor system on a simulated clock, every invariant checked after every step. Seeded; shrinks
 * on failure. CI runs 4 × 500 = 2,000 scenarios; `npm run test:deep` 4 × 50,000.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { emptyCoverage, runScenario, scenarioArbitrary } from '../../../supervisor/sim/scenario.ts';
import { runs } from '../../support/runs.ts';

/** Registers the property with `seed` and 500 runs (× 100 deep). */
export function invariantSuite(seed: number): void {
  it(`hold over ${runs(500)} random scenarios (seed ${seed})`, async () => {
    const coverage = emptyCoverage();
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary(), async (scenario) => {
        expect(await runScenario(scenario, null, coverage)).toEqual([]);
      }),
      { numRuns: runs(500), seed },
    );
    // The runs reached what the invariants are about (a suite that never halts proves nothing about halts).
    for (const [what, n] of Object.entries(coverage)) expect(n, `scenarios that exercised ${what}`).toBeGreaterThan(0);
  }, 3_600_000);
}
