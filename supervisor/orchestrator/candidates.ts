/**
 * The candidate desk: candidate slots, their shadow books and paper tests, the promotion gate
 * over them, promotion, cancellation and the operator's veto / forced promotion. Shared by the
 * step actors, the machine's actions and guard, the fund runtime (which feeds `onStep` with the
 * candles the fund sees) and the operator surface.
 */
import { type CandidateRow } from '../../adapters/libsql/index.ts';
import { sum, toNumber, toString } from '../../domain/money/index.ts';
import { activateVersion } from '../../strategies/loader/index.ts';
import { checkStrategySource } from '../../strategies/static-check/index.ts';
import type { Candle } from '../../domain/market/index.ts';
import type { OrchestratorDeps } from './deps.ts';
import { type GateResult, evaluateGate } from './gate.ts';
import { jsonText, publishEvent } from './records.ts';
import { type ShadowBook, type ShadowStepResult, createShadowBook, tradeClosedEvents } from './shadow.ts';

const DAY_MS = 86_400_000;

/** What the candidate's backtest left for the gate (stored as `candidates.backtest_summary`). */
export interface BacktestSummary {
  readonly candidateOos: readonly number[];
  readonly incumbentOos: readonly number[];
  readonly incumbentVersion: string | null;
  readonly psrOos: number | null;
}

/** The machine's `paperTest.completed` event. */
export interface PaperTestCompleted {
  readonly type: 'paperTest.completed';
  readonly candidateVersion: string;
  readonly verdict: 'passed' | 'failed' | 'inconclusive';
  readonly trades: number;
  readonly psr: number | null;
  readonly nowMs: number;
}

/** The fund machine's `paperTest.tradeClosed` event. */
export type PaperTestTradeClosed = ReturnType<typeof tradeClosedEvents>[number];

/** A refusal or success, as a value. */
export type DeskResult<T = object> = ({ readonly ok: true } & T) | { readonly ok: false; readonly reason: string };

/** See the module doc. */
export interface CandidateDesk {
  /** Starts the shadow book (and paper test, if none runs) of the running candidate `version`; idempotent. Rejects when the candidate or its code is unusable. */
  start(version: string): Promise<void>;
  /**
   * After a restart: starts a fresh book, from now, for every running candidate whose paper test
   * is still running. Its closed trades (which the gate reads from the store) are kept; shadow
   * positions that were open at the restart are dropped from `candidate_positions`. Returns the
   * versions resumed; a candidate whose book cannot start is rejected with the reason.
   */
  resumeAll(): Promise<string[]>;
  /** Waits until every book start in flight has settled. */
  settled(): Promise<void>;
  /** Steps every running book with the candles that closed at `nowMs`; returns the fund machine's `paperTest.tradeClosed` events. A failing book is stopped and its candidate rejected. */
  onStep(nowMs: number, candles: Readonly<Record<string, Candle | null | undefined>>): Promise<PaperTestTradeClosed[]>;
  /**
   * Judges every running candidate with a book at `nowMs`; for each verdict other than pending:
   * records the paper test (inconclusive → extended once when allowed, else the candidate is
   * rejected; failed → rejected; passed stays running until `promote`, announced once), and
   * returns the machine's `paperTest.completed` events (a passed verdict again at every call, so
   * a later cycle that resumes the candidate receives it).
   */
  evaluate(nowMs: number): PaperTestCompleted[];
  /** The gate as it stands for `version` (null when it has no book). */
  gate(version: string, nowMs: number): GateResult | null;
  /** The book of `version`, if running. */
  book(version: string): ShadowBook | undefined;
  /** The machine's shadow deadline passed for `version`: treated as an inconclusive deadline. */
  shadowTimedOut(version: string): void;
  /** Cancels the running candidate of a slot (or version): resolved `canceled`, paper test `canceled`, book stopped, announced. */
  cancel(who: { readonly slot?: number; readonly version?: string; readonly reason: string; readonly by: 'orchestrator' | 'operator' }): DeskResult<{ version: string }>;
  /** Vetoes `version` (the operator): the gate then always fails it; the candidate is canceled. */
  veto(version: string, reason: string): DeskResult<{ version: string }>;
  /** Whether `version` was vetoed. */
  vetoOf(version: string): string | null;
  /** Deploys the running candidate `version` as the fund's strategy (activate; the previous version stays for rollback). */
  promote(version: string, forced: boolean): DeskResult<{ version: string; previous: string | null }>;
}

function parseSummary(text: string | null): BacktestSummary {
  try {
    const v = JSON.parse(text ?? '{}') as Partial<BacktestSummary>;
    return { candidateOos: v.candidateOos ?? [], incumbentOos: v.incumbentOos ?? [], incumbentVersion: v.incumbentVersion ?? null, psrOos: v.psrOos ?? null };
  } catch {
    return { candidateOos: [], incumbentOos: [], incumbentVersion: null, psrOos: null };
  }
}

/** Creates the desk over the deps (books live in memory; the rows in the store). */
export function createCandidateDesk(deps: OrchestratorDeps): CandidateDesk {
  const books = new Map<string, ShadowBook>();
  const starting = new Map<string, Promise<void>>();
  const vetoes = new Map<string, string>();
  /** Paper tests whose `passed` verdict was announced (evaluate may run every step; the notification goes out once). */
  const announcedPassed = new Set<number>();
  const r = deps.repos;
  const cfg = deps.config;

  const runningByVersion = (version: string): CandidateRow | undefined => r.candidates.running().find((c) => c.strategyVersion === version);

  async function stopBook(version: string): Promise<void> {
    const b = books.get(version);
    books.delete(version);
    if (b) await b.close();
  }

  const incumbentReturns = (fromMs: number, toMs: number): readonly number[] =>
    deps.incumbentReturns ? deps.incumbentReturns(fromMs, toMs) : r.trades.list({ sinceMs: fromMs, untilMs: toMs, limit: 100_000 }).map((t) => Number(toString(t.pnlFraction)));

  function gate(version: string, nowMs: number): GateResult | null {
    const b = books.get(version);
    const c = runningByVersion(version);
    if (!b || !c) return null;
    const test = r.paperTests.runningFor(c.id);
    const tests = r.paperTests.listFor(c.id);
    const startedAt = tests[0]?.startedAt ?? c.createdAt;
    const summary = parseSummary(c.backtestSummary);
    return evaluateGate(
      {
        nowMs,
        shadowStartedAtMs: startedAt,
        deadlineMs: test?.deadlineAt ?? nowMs,
        candidateOos: summary.candidateOos,
        incumbentOos: summary.incumbentOos,
        // From the store, not the book: closed shadow trades survive a restart.
        candidateShadow: r.candidateTrades.closedBetween(c.id, startedAt, nowMs + 1).map((t) => toNumber(t.pnlFraction)),
        incumbentShadow: incumbentReturns(startedAt, nowMs),
        breaches: b.breaches(),
        veto: vetoes.get(version) ?? null,
      },
      { minTrades: cfg.minPaperTestTrades, minDurationMs: cfg.minPaperTestDays * DAY_MS, minPsr: cfg.promotionMinPsr },
    );
  }

  function cancel(who: { slot?: number; version?: string; reason: string; by: 'orchestrator' | 'operator' }): DeskResult<{ version: string }> {
    const c = who.slot !== undefined ? r.candidates.runningInSlot(who.slot) : who.version !== undefined ? runningByVersion(who.version) : undefined;
    if (!c) return { ok: false, reason: who.slot !== undefined ? `slot ${who.slot} holds no running candidate` : `no running candidate ${JSON.stringify(who.version)}` };
    const now = deps.clock();
    const test = r.paperTests.runningFor(c.id);
    if (test) r.paperTests.complete(test.id, 'canceled', jsonText({ reason: who.reason, by: who.by }), now);
    r.candidates.resolve(c.id, 'canceled', who.reason, now);
    void stopBook(c.strategyVersion);
    publishEvent(deps, 'candidate.canceled', { slot: c.slot, version: c.strategyVersion, reason: who.reason, by: who.by });
    return { ok: true, version: c.strategyVersion };
  }

  /** Inconclusive at the deadline: extend once when allowed, else reject. Returns whether it was extended. */
  function inconclusive(c: CandidateRow, result: GateResult, nowMs: number): boolean {
    const test = r.paperTests.runningFor(c.id);
    const pnl = toString(sum((books.get(c.strategyVersion)?.trades() ?? []).map((t) => t.pnl)));
    if (test) r.paperTests.complete(test.id, 'inconclusive', jsonText(result), nowMs);
    publishEvent(deps, 'paperTest.inconclusive', { candidateVersion: c.strategyVersion, trades: result.trades, minTrades: cfg.minPaperTestTrades, pnl });
    const extensions = r.paperTests.listFor(c.id).length - 1;
    if (cfg.paperTestExtensionDays > 0 && extensions < 1) {
      r.paperTests.start({ candidateId: c.id, strategyVersion: c.strategyVersion, minTrades: cfg.minPaperTestTrades, startedAt: nowMs, deadlineAt: nowMs + cfg.paperTestExtensionDays * DAY_MS });
      return true;
    }
    r.candidates.resolve(c.id, 'rejected', `inconclusive: ${result.reasons.join('; ')}`, nowMs);
    void stopBook(c.strategyVersion);
    return false;
  }

  const desk: CandidateDesk = {
    start(version) {
      if (books.has(version)) return Promise.resolve();
      const inFlight = starting.get(version);
      if (inFlight) return inFlight;
      const p = (async () => {
        const c = runningByVersion(version);
        if (!c) throw new Error(`no running candidate ${version}`);
        const row = r.strategyVersions.byVersion(version);
        if (!row) throw new Error(`candidate ${version} has no stored code`);
        const checked = checkStrategySource(row.code, `${version}.ts`);
        if (!checked.ok) throw new Error(`candidate ${version}'s stored code fails the static check`);
        const now = deps.clock();
        const startMs = now - (now % 300_000);
        const symbols = deps.settings.markets.map((m) => m.symbol);
        const history = deps.candles(symbols, startMs - (cfg.warmupDays + 1) * DAY_MS, startMs);
        const book = await createShadowBook({
          candidateId: c.id,
          slot: c.slot,
          version,
          code: checked.code,
          settings: deps.settings,
          startingCapital: cfg.startingCapital,
          startMs,
          history,
          warmupMs: cfg.warmupDays * DAY_MS,
          runner: deps.makeRunner(cfg.seed),
          store: r,
        });
        books.set(version, book);
        if (!r.paperTests.runningFor(c.id)) {
          const deadlineAt = now + cfg.paperTestDeadlineDays * DAY_MS;
          r.paperTests.start({ candidateId: c.id, strategyVersion: version, minTrades: cfg.minPaperTestTrades, startedAt: now, deadlineAt });
          publishEvent(deps, 'paperTest.started', { candidateVersion: version, slot: c.slot, durationMs: cfg.paperTestDeadlineDays * DAY_MS, deadlineMs: deadlineAt, minTrades: cfg.minPaperTestTrades });
        }
      })().finally(() => starting.delete(version));
      starting.set(version, p);
      return p;
    },
    async resumeAll() {
      const resumed: string[] = [];
      for (const c of r.candidates.running()) {
        if (books.has(c.strategyVersion) || !r.paperTests.runningFor(c.id)) continue;
        for (const p of r.candidatePositions.list(c.id)) r.candidatePositions.delete(c.id, p.tag);
        try {
          await desk.start(c.strategyVersion);
          resumed.push(c.strategyVersion);
        } catch (err) {
          r.candidates.resolve(c.id, 'rejected', `shadow book could not resume: ${(err as Error).message}`, deps.clock());
        }
      }
      return resumed;
    },
    async settled() {
      await Promise.allSettled([...starting.values()]);
    },
    async onStep(nowMs, candles) {
      const out: PaperTestTradeClosed[] = [];
      for (const [version, book] of [...books]) {
        let result: ShadowStepResult;
        try {
          result = await book.onStep(nowMs, candles);
        } catch (err) {
          const c = runningByVersion(version);
          if (c) r.candidates.resolve(c.id, 'rejected', `shadow book failed: ${(err as Error).message}`, deps.clock());
          await stopBook(version);
          publishEvent(deps, 'system.errorOccurred', { source: 'orchestrator', message: `shadow book ${version} stopped: ${(err as Error).message}` });
          continue;
        }
        out.push(...tradeClosedEvents(version, result));
      }
      return out;
    },
    evaluate(nowMs) {
      const events: PaperTestCompleted[] = [];
      for (const version of [...books.keys()]) {
        const c = runningByVersion(version);
        const result = gate(version, nowMs);
        if (!c || !result || result.verdict === 'pending') continue;
        const psr = result.psrShadow;
        if (result.verdict === 'inconclusive') {
          inconclusive(c, result, nowMs);
        } else if (result.verdict === 'failed') {
          const test = r.paperTests.runningFor(c.id);
          if (test) r.paperTests.complete(test.id, 'failed', jsonText(result), nowMs);
          r.candidates.resolve(c.id, 'rejected', result.reasons.join('; '), nowMs);
          publishEvent(deps, 'paperTest.completed', { candidateVersion: version, verdict: 'failed', trades: result.trades, pnl: books.get(version)!.summary().realizedPnl, psr });
          void stopBook(version);
        } else {
          const test = r.paperTests.runningFor(c.id);
          if (test && !announcedPassed.has(test.id)) {
            announcedPassed.add(test.id);
            publishEvent(deps, 'paperTest.completed', { candidateVersion: version, verdict: 'passed', trades: result.trades, pnl: books.get(version)!.summary().realizedPnl, psr });
          }
        }
        events.push({ type: 'paperTest.completed', candidateVersion: version, verdict: result.verdict, trades: result.trades, psr, nowMs });
      }
      return events;
    },
    gate,
    book: (version) => books.get(version),
    shadowTimedOut(version) {
      const c = runningByVersion(version);
      if (!c) return;
      const test = r.paperTests.runningFor(c.id);
      // Only a test whose own deadline passed is judged; an extended one keeps running.
      if (!test || test.deadlineAt > deps.clock()) return;
      const result = gate(version, deps.clock()) ?? { verdict: 'inconclusive' as const, reasons: ['no shadow book'], psrOos: null, psrShadow: null, trades: r.candidateTrades.count(c.id) };
      inconclusive(c, result, deps.clock());
    },
    cancel,
    veto(version, reason) {
      vetoes.set(version, reason);
      return cancel({ version, reason: `operator veto: ${reason}`, by: 'operator' });
    },
    vetoOf: (version) => vetoes.get(version) ?? null,
    promote(version, forced) {
      const c = runningByVersion(version);
      if (!c) return { ok: false, reason: `no running candidate ${JSON.stringify(version)} to promote` };
      const now = deps.clock();
      const activated = activateVersion(r, version, now);
      if (!activated.ok) return { ok: false, reason: activated.reason };
      const book = books.get(version);
      const result = gate(version, now);
      const test = r.paperTests.runningFor(c.id);
      if (test) r.paperTests.complete(test.id, 'passed', jsonText({ forced, gate: result, shadow: book?.summary() ?? null }), now);
      r.candidates.resolve(c.id, 'promoted', forced ? 'forced by the operator' : (result?.reasons.join('; ') ?? 'passed the gate'), now);
      r.strategyVersions.update(version, { shadowTestResult: jsonText({ forced, gate: result, shadow: book?.summary() ?? null }) });
      void stopBook(version);
      publishEvent(deps, 'candidate.promoted', { slot: c.slot, version, forced });
      publishEvent(deps, 'strategy.deployed', { version, riskTier: 0, changes: `promoted from candidate slot ${c.slot}${forced ? ' (forced by the operator)' : ''}; previous ${activated.previous ?? 'none'} kept for rollback` });
      deps.onPromoted?.(version, activated.previous === version ? null : activated.previous);
      return { ok: true, version, previous: activated.previous };
    },
  };
  return desk;
}
