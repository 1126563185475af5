/**
 * Running an analysis module: compile (esbuild) and, by default, the static check; fetch the
 * kind's datasets through the read-only port; run `analyze(data, context)` once in a fresh
 * QuickJS instance of a sandbox runner process; parse the answer as untrusted JSON and validate
 * it with the kind's zod schema. Every outcome is a value; nothing here throws.
 */
import type { StrategyFailure } from '../../domain/ports/strategy.ts';
import { SandboxHost, type SandboxOptions, readGuest, seedOf } from '../sandbox/index.ts';
import { checkStrategySource, formatProblems, transpileStrategy } from '../static-check/index.ts';
import { type AnalysisBounds, type AnalysisKind, DEFAULT_ANALYSIS_BOUNDS, collectAnalysisInput, isAnalysisKind } from './datasets.ts';
import type { AnalysisReadPort } from './port.ts';
import { ANALYSIS_REPORT_SCHEMAS, type MarketAnalysisReport, type TradePerformanceReport } from './schemas.ts';

/** Per-run wall-clock budget inside the engine (predecessor §12.3: 30 s per module at runtime). */
export const DEFAULT_ANALYSIS_DEADLINE_MS = 30_000;
/** Largest report accepted, characters of JSON. */
export const DEFAULT_MAX_REPORT_CHARS = 1024 * 1024;
const ENVELOPE_CHARS = 64 * 1024;

/** Options of `runAnalysisModule`. */
export interface RunAnalysisOptions {
  /** A host (runner process) to use; it stays open. Default: a fresh host, closed after the run. */
  readonly host?: SandboxHost;
  /** Options of the fresh host (ignored with `host`). */
  readonly sandbox?: Partial<SandboxOptions>;
  /** Engine deadline of the run, ms (default 30 000). */
  readonly deadlineMs?: number;
  readonly bounds?: AnalysisBounds;
  /** Version label: seeds `Math.random` and names the module in reasons (default 'unversioned'). */
  readonly version?: string;
  /** File name for the language and problem positions (default `<kind>.ts`). */
  readonly filename?: string;
  /** Run the static check first (default true). Security never depends on it. */
  readonly staticCheck?: boolean;
  readonly maxReportChars?: number;
  readonly signal?: AbortSignal;
}

/** A validated report of either kind. */
export type AnalysisReport = MarketAnalysisReport | TradePerformanceReport;

/** The outcome of one run: the validated report, or a failure with a reason; `logs` are the module's console lines (sanitised). */
export type AnalysisRunResult =
  | { readonly ok: true; readonly kind: AnalysisKind; readonly report: AnalysisReport; readonly logs: readonly string[] }
  | { readonly ok: false; readonly kind: AnalysisKind | null; readonly error: StrategyFailure; readonly logs: readonly string[] };

/**
 * Runs the analysis module `code` (TypeScript or JavaScript; it exports `analyze(data, context)`)
 * of `kind` at `nowMs` (ms UTC) over datasets read through `port` (a read-only implementation,
 * see supervisor/analysis). Failures: `rejected` (bad kind or time, code refused by the compiler
 * or the static check, module without analyze), `unavailable` (the port failed, the sandbox
 * could not run), `timeout`/`memory`/`threw`/`crashed` from the sandbox, `invalidOutput` (not
 * JSON, too large, or not matching the kind's report schema: every issue is named).
 */
export async function runAnalysisModule(kind: AnalysisKind, code: string, port: AnalysisReadPort, nowMs: number, options: RunAnalysisOptions = {}): Promise<AnalysisRunResult> {
  const fail = (k: StrategyFailure['kind'], reason: string, logs: readonly string[] = []): AnalysisRunResult => ({ ok: false, kind: isAnalysisKind(kind) ? kind : null, error: { kind: k, reason }, logs });
  if (!isAnalysisKind(kind)) return fail('rejected', `unknown analysis module ${JSON.stringify(kind)}; allowed: market_analysis, trade_performance`);
  if (!Number.isSafeInteger(nowMs) || nowMs < 0) return fail('rejected', `nowMs must be a non-negative integer (ms since epoch), got ${String(nowMs)}`);
  const filename = options.filename ?? `${kind}.ts`;
  const version = options.version ?? 'unversioned';
  let js: string;
  if (options.staticCheck === false) {
    const t = transpileStrategy(code, filename);
    if (!t.ok) return fail('rejected', `${filename} does not compile:\n${formatProblems(t.problems, filename)}`);
    js = t.code;
  } else {
    const checked = checkStrategySource(code, filename);
    if (!checked.ok) return fail('rejected', `${filename}: the static check refused the code (${checked.problems.length} problem${checked.problems.length === 1 ? '' : 's'}):\n${formatProblems(checked.problems, filename)}`);
    js = checked.code;
  }

  let input;
  try {
    input = collectAnalysisInput(kind, port, nowMs, options.bounds ?? DEFAULT_ANALYSIS_BOUNDS);
  } catch (err) {
    return fail('unavailable', `reading the ${kind} datasets failed: ${err instanceof Error ? err.message : String(err)}`);
  }

  const maxReportChars = options.maxReportChars ?? DEFAULT_MAX_REPORT_CHARS;
  const host = options.host ?? new SandboxHost(options.sandbox ?? {});
  let result;
  try {
    result = await host.runModule(js, [input.data, input.context], { deadlineMs: options.deadlineMs ?? DEFAULT_ANALYSIS_DEADLINE_MS, seed: seedOf(`${kind}@${version}`), maxOutputChars: maxReportChars }, options.signal);
  } finally {
    if (options.host === undefined) await host.close();
  }
  if (!result.ok) return fail(result.error.kind, `${kind} ${version}: ${result.error.reason}`);
  const guest = readGuest(result.guest, `${kind} analyze()`, maxReportChars + ENVELOPE_CHARS);
  if (!guest.ok) return fail(guest.error.kind, `${kind} ${version}: ${guest.error.reason}`, guest.logs);
  const parsed = ANALYSIS_REPORT_SCHEMAS[kind].safeParse(guest.value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 20).map((i) => `${i.path.length === 0 ? '(report)' : i.path.join('.')}: ${i.message}`);
    const more = parsed.error.issues.length > 20 ? `; … ${parsed.error.issues.length - 20} more` : '';
    return fail('invalidOutput', `${kind} ${version}: the report does not match the ${kind} schema: ${issues.join('; ')}${more}`, guest.logs);
  }
  return { ok: true, kind, report: parsed.data as AnalysisReport, logs: guest.logs };
}
