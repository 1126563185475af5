/**
 * Drives an incremental indicator over a series and records, after every update, its output and
 * whether `isReady()` matched the documented warm-up; shared by the property tests.
 */
import type { Indicator } from '../../../domain/indicators/index.ts';
import { deep } from '../../support/runs.ts';

export interface StreamResult<Out> {
  readonly outputs: Out[];
  /**
   * −1 when isReady() matched `expectReady` throughout; −2 when it was already true before any
   * input; else the index of the first input after which it disagreed.
   */
  readonly readinessMismatch: number;
}

/**
 * Feeds `inputs` one by one. `expectReady(i)` is the documented readiness after input i
 * (0-based); by default "i + 1 ≥ warmUp".
 */
export function stream<In, Out>(
  indicator: Indicator<In, Out>,
  inputs: readonly In[],
  expectReady: (i: number) => boolean = (i) => i + 1 >= indicator.warmUp,
): StreamResult<Out> {
  const outputs: Out[] = [];
  let readinessMismatch = indicator.isReady() ? -2 : -1;
  inputs.forEach((input, i) => {
    indicator.update(input);
    outputs.push(indicator.value());
    if (readinessMismatch === -1 && indicator.isReady() !== expectReady(i)) readinessMismatch = i;
  });
  return { outputs, readinessMismatch };
}

/**
 * Per-test timeout for property tests: the global 60 s, or 30 min under `npm run test:deep`,
 * where every property runs 100× more cases.
 */
export const propertyTimeout = deep ? 30 * 60_000 : 60_000;
