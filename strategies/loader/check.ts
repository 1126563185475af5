/**
 * `checkStrategy`: the static check and, optionally, sandboxed trial runs on synthetic and real
 * data. Used by `brain strategy check` and by the orchestrator's validation step.
 */
import { readFileSync } from 'node:fs';
import type { RiskLimits } from '../../domain/contract/index.ts';
import type { StrategyRunner } from '../../domain/ports/strategy.ts';
import { createSandboxedStrategyRunner } from '../sandbox/index.ts';
import { checkStrategySource, type StaticProblem } from '../static-check/index.ts';
import { type TrialDataset, realDatasets, syntheticDataset } from './data.ts';
import { codeHash } from './hash.ts';
import { type TrialDatasetReport, runTrial } from './trial.ts';

/** What to check: a file on disk, or source text with the name that sets its language. */
export type StrategyInput = { readonly file: string } | { readonly code: string; readonly filename: string };

/** Options of `checkStrategy`. */
export interface CheckOptions {
  /** Run the strategy in the sandbox over the trial data sets too. */
  readonly trial?: boolean;
  /** Creates one runner per data set (default: `createSandboxedStrategyRunner()`); each is closed after its data set. */
  readonly createRunner?: () => StrategyRunner;
  /** The data sets (default: the synthetic walk, then the bundled real slices). */
  readonly datasets?: readonly TrialDataset[];
  readonly limits?: RiskLimits;
  /** Caps analyze calls per data set. */
  readonly maxCalls?: number;
  /** Version label for the sandbox (logs, seeded randomness); default `trial-<hash12>`. */
  readonly version?: string;
}

/**
 * The verdict: `valid` (passed everything run), `rejected` (the strategy is at fault: unreadable
 * file, static problems, load/analyze failures, invalid signals) or `internalFailure` (the fund's
 * side failed: runner unavailable, trial data missing).
 */
export type CheckVerdict = 'valid' | 'rejected' | 'internalFailure';

/** `checkStrategy`'s report. `trial` is null when no trial was run (not asked, or the static check failed). */
export interface CheckReport {
  readonly verdict: CheckVerdict;
  readonly filename: string;
  /** Why the input could not be read, or null. */
  readonly readError: string | null;
  readonly problems: readonly StaticProblem[];
  /** SHA-256 of the source, hex; null when unreadable. */
  readonly hash: string | null;
  readonly trial: readonly TrialDatasetReport[] | null;
  /** Problems on the fund's side (e.g. missing trial data). */
  readonly internalErrors: readonly string[];
}

/** The verdict of one data set's report. */
export function trialVerdict(r: TrialDatasetReport): CheckVerdict {
  if (r.failures.some((f) => f.kind === 'unavailable')) return 'internalFailure';
  return r.failures.length > 0 || r.invalidSignals > 0 ? 'rejected' : 'valid';
}

/** Runs the static check and, with `trial`, the trial runs. Never throws for a strategy fault. */
export async function checkStrategy(input: StrategyInput, options: CheckOptions = {}): Promise<CheckReport> {
  const filename = 'file' in input ? input.file : input.filename;
  let source: string;
  if ('file' in input) {
    try {
      source = readFileSync(input.file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const readError = code === 'ENOENT' ? `${input.file}: no such file` : `${input.file}: cannot be read (${(err as Error).message})`;
      return { verdict: 'rejected', filename, readError, problems: [], hash: null, trial: null, internalErrors: [] };
    }
  } else {
    source = input.code;
  }
  const hash = codeHash(source);
  const checked = checkStrategySource(source, filename);
  if (!checked.ok) return { verdict: 'rejected', filename, readError: null, problems: checked.problems, hash, trial: null, internalErrors: [] };
  if (!options.trial) return { verdict: 'valid', filename, readError: null, problems: [], hash, trial: null, internalErrors: [] };

  const internalErrors: string[] = [];
  let datasets: readonly TrialDataset[];
  if (options.datasets) {
    datasets = options.datasets;
  } else {
    const real = realDatasets();
    if (!real.ok) internalErrors.push(real.reason);
    datasets = [syntheticDataset(), ...(real.ok ? real.datasets : [])];
  }
  const createRunner = options.createRunner ?? (() => createSandboxedStrategyRunner());
  const reports: TrialDatasetReport[] = [];
  for (const dataset of datasets) {
    const runner = createRunner();
    try {
      reports.push(
        await runTrial(runner, checked.code, dataset, {
          version: options.version ?? `trial-${hash.slice(0, 12)}`,
          ...(options.limits ? { limits: options.limits } : {}),
          ...(options.maxCalls !== undefined ? { maxCalls: options.maxCalls } : {}),
        }),
      );
    } finally {
      await runner.close();
    }
  }
  const verdicts = reports.map(trialVerdict);
  const verdict: CheckVerdict =
    internalErrors.length > 0 || verdicts.includes('internalFailure') ? 'internalFailure' : verdicts.includes('rejected') ? 'rejected' : 'valid';
  return { verdict, filename, readError: null, problems: [], hash, trial: reports, internalErrors };
}
