/**
 * Property-test run counts: `runs(n)` is n in ordinary runs (CI included) and 100 × n under
 * `npm run test:deep` (BRAIN_DEEP=1), so the deep suite explores much further with the same code.
 */
export function runs(ordinary: number): number {
  return process.env.BRAIN_DEEP === '1' ? ordinary * 100 : ordinary;
}

/** True under `npm run test:deep`. */
export const deep = process.env.BRAIN_DEEP === '1';
