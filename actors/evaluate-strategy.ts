/**
 * The symbol actor's `evaluateStrategy`: one strategy call serves every symbol at a timestamp
 * (the sandbox contract), so each symbol's evaluation waits for its share of the shared scan.
 * The port hands out that share; a symbol with no scan in progress (restored mid-evaluation)
 * fails its evaluation with the reason — a counted failure, never a crash.
 */
import { fromPromise } from 'xstate';
import type { Signal } from '../domain/contract/index.ts';

/** The symbol machine's evaluation input and result (restated structurally). */
interface EvaluationInput {
  readonly symbol: string;
  readonly candleCloseMs: number;
  readonly nowMs: number;
}
/** Validated signals of one symbol and the completion time. */
export interface EvaluationResult {
  readonly nowMs: number;
  readonly signals: readonly Signal[];
}

/** The port: the pending share of the current scan for `symbol`, or null when no scan is running. */
export interface ScanPort {
  shareOf(symbol: string): Promise<EvaluationResult> | null;
}

/** Creates the actor over `deps.scan`. */
export function createEvaluateStrategyActor(deps: { readonly scan: ScanPort }) {
  return fromPromise<EvaluationResult, EvaluationInput>(async ({ input }) => {
    const share = deps.scan.shareOf(input.symbol);
    if (share === null) throw new Error(`no scan is in progress for ${input.symbol} (restored mid-evaluation)`);
    return share;
  });
}
