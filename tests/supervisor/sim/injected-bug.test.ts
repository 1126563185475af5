/**
 * The invariant suite must be able to fail: with the fund's entry gate broken on purpose (halted,
 * paused and reducing no longer stop entries), the same generator finds a scenario that opens a
 * position while trading is blocked, and the violation names `noEntryWhileBlocked`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario, scenarioArbitrary } from '../../../supervisor/sim/scenario.ts';

describe('the invariant suite catches an injected bug', () => {
  it('skipping the entry gate is caught as an entry while trading is blocked', async () => {
    const result = await fc.check(
      fc.asyncProperty(scenarioArbitrary({ maxDisturbances: 8 }), async (scenario) => (await runScenario(scenario, 'skipEntryGate')).length === 0),
      { numRuns: 500, seed: 7, endOnFailure: true },
    );
    expect(result.failed).toBe(true);
    const violations = await runScenario(result.counterexample![0], 'skipEntryGate');
    expect(violations.map((v) => v.invariant)).toContain('noEntryWhileBlocked');
    // and the same scenario passes with the real gate
    expect(await runScenario(result.counterexample![0])).toEqual([]);
  }, 600_000);
});
