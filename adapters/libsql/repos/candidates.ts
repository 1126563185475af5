/**
 * Candidate strategies (`candidates`) and their shadow paper tests (`paper_tests`). The number
 * of slots comes from configuration (orchestrator.max_candidates) and is checked here; the
 * predecessor hard-coded 1..3 in a CHECK that ignored the setting.
 */
import type { Fixed } from '../../../domain/money/index.ts';
import { withTransaction } from '../db.ts';
import { StoreError } from '../errors.ts';
import { defineTable, insertRow, intParam, selectOne, selectRows, updateWhere, type NewRow, type Statements } from './codec.ts';
import type { CandidateStatus, PaperTestStatus } from './enums.ts';

/**
 * A candidate strategy in a slot. `strategyVersion` references `strategy_versions` (which holds
 * the code). `portfolioSnapshot`/`backtestSummary`: JSON text. `startingCash`: quote units, exact.
 * Times: ms UTC; `resolvedAt` is null exactly while `status` is 'running'.
 */
export interface CandidateRow {
  readonly id: number;
  readonly slot: number;
  readonly strategyVersion: string;
  readonly description: string;
  readonly backtestSummary: string | null;
  readonly portfolioSnapshot: string;
  readonly startingCash: Fixed;
  readonly evaluationDurationDays: number;
  readonly status: CandidateStatus;
  readonly resolutionReason: string | null;
  readonly createdAt: number;
  readonly resolvedAt: number | null;
}

/** What creating a candidate needs; it starts 'running'. */
export type NewCandidate = Omit<NewRow<CandidateRow>, 'status' | 'resolutionReason' | 'resolvedAt'>;

/**
 * A candidate's shadow paper test: passes, fails, or ends 'inconclusive' at `deadlineAt` with
 * fewer than `minTrades` trades. `result`: JSON text. Times: ms UTC.
 */
export interface PaperTestRow {
  readonly id: number;
  readonly candidateId: number;
  readonly strategyVersion: string;
  readonly minTrades: number;
  readonly status: PaperTestStatus;
  readonly result: string | null;
  readonly startedAt: number;
  readonly deadlineAt: number;
  readonly completedAt: number | null;
}

const candidates = defineTable<CandidateRow>('candidates', {
  id: 'int',
  slot: 'int',
  strategyVersion: 'text',
  description: 'text',
  backtestSummary: 'text?',
  portfolioSnapshot: 'text',
  startingCash: 'fixed',
  evaluationDurationDays: 'int',
  status: 'text',
  resolutionReason: 'text?',
  createdAt: 'int',
  resolvedAt: 'int?',
});

const paperTests = defineTable<PaperTestRow>('paper_tests', {
  id: 'int',
  candidateId: 'int',
  strategyVersion: 'text',
  minTrades: 'int',
  status: 'text',
  result: 'text?',
  startedAt: 'int',
  deadlineAt: 'int',
  completedAt: 'int?',
});

/** Repository for `candidates`. */
export interface CandidateRepo {
  /**
   * Puts a new running candidate in `candidate.slot`. Refused (as a value) when the slot is
   * outside 1..maxSlots or already holds a running candidate. Throws `StoreError` when
   * `maxSlots` is not a positive integer.
   */
  create(candidate: NewCandidate, limits: { readonly maxSlots: number }): { ok: true; id: number } | { ok: false; reason: string };
  /** The lowest slot in 1..maxSlots without a running candidate, or undefined when all are taken. */
  freeSlot(maxSlots: number): number | undefined;
  byId(id: number): CandidateRow | undefined;
  /** The running candidate in `slot`, if any. */
  runningInSlot(slot: number): CandidateRow | undefined;
  /** Running candidates by slot. */
  running(): CandidateRow[];
  /** The newest `limit` candidates of any status, newest first. */
  list(limit?: number): CandidateRow[];
  /**
   * Ends a running candidate with `status` (not 'running'); false when it is not running (already
   * resolved or unknown), so a resolution is recorded once.
   */
  resolve(id: number, status: Exclude<CandidateStatus, 'running'>, reason: string, nowMs: number): boolean;
  /**
   * Retention: deletes the signals and daily snapshots of candidates resolved before `beforeMs`
   * (their trades, positions and the candidate row stay); returns rows deleted.
   */
  pruneResolvedDetail(beforeMs: number): number;
}

/** Repository for `paper_tests`. */
export interface PaperTestRepo {
  /** Starts a test (status 'running'); returns its id. Throws if the candidate already has a running one. */
  start(row: Omit<NewRow<PaperTestRow>, 'status' | 'result' | 'completedAt'>): number;
  byId(id: number): PaperTestRow | undefined;
  /** The running test of a candidate, if any. */
  runningFor(candidateId: number): PaperTestRow | undefined;
  /** Every running test, earliest deadline first (re-arm deadlines after a restart). */
  listRunning(): PaperTestRow[];
  /** Every test of a candidate, oldest first. */
  listFor(candidateId: number): PaperTestRow[];
  /** Ends a running test; false when it is not running. `result`: JSON text. */
  complete(id: number, status: Exclude<PaperTestStatus, 'running'>, result: string | null, nowMs: number): boolean;
}

/** Creates the `candidates` repository. */
export function createCandidateRepo(st: Statements): CandidateRepo {
  const runningInSlot = (slot: number) => selectOne(st, candidates, "WHERE slot = ? AND status = 'running'", [intParam('slot', slot)]);
  const checkMax = (maxSlots: number) => {
    if (!Number.isSafeInteger(maxSlots) || maxSlots < 1) {
      throw new StoreError(`maxSlots (orchestrator.max_candidates) must be a positive integer, got ${maxSlots}`);
    }
  };
  return {
    create(candidate, { maxSlots }) {
      checkMax(maxSlots);
      const { slot } = candidate;
      if (!Number.isSafeInteger(slot) || slot < 1 || slot > maxSlots) {
        return { ok: false, reason: `slot ${slot} is outside 1..${maxSlots} (orchestrator.max_candidates = ${maxSlots})` };
      }
      return withTransaction(st.db, () => {
        const occupant = runningInSlot(slot);
        if (occupant) {
          return { ok: false as const, reason: `slot ${slot} is taken by running candidate #${occupant.id} (${occupant.strategyVersion}); cancel or resolve it first` };
        }
        const id = insertRow(st, candidates, { ...candidate, status: 'running', resolutionReason: null, resolvedAt: null });
        return { ok: true as const, id };
      });
    },
    freeSlot(maxSlots) {
      checkMax(maxSlots);
      const taken = new Set(selectRows(st, candidates, "WHERE status = 'running'").map((c) => c.slot));
      for (let slot = 1; slot <= maxSlots; slot += 1) if (!taken.has(slot)) return slot;
      return undefined;
    },
    byId: (id) => selectOne(st, candidates, 'WHERE id = ?', [intParam('id', id)]),
    runningInSlot,
    running: () => selectRows(st, candidates, "WHERE status = 'running' ORDER BY slot"),
    list: (limit = 50) => selectRows(st, candidates, 'ORDER BY created_at DESC, id DESC LIMIT ?', [intParam('limit', limit)]),
    resolve: (id, status, reason, nowMs) =>
      updateWhere(st, candidates, { id, status: 'running' }, { status, resolutionReason: reason, resolvedAt: nowMs }) > 0,
    pruneResolvedDetail(beforeMs) {
      const cutoff = intParam('beforeMs', beforeMs);
      const resolved = "candidate_id IN (SELECT id FROM candidates WHERE status <> 'running' AND resolved_at < ?)";
      return withTransaction(st.db, () => {
        const signals = st.rows(`DELETE FROM candidate_signals WHERE ${resolved}`).run(cutoff).changes;
        const daily = st.rows(`DELETE FROM candidate_daily_performance WHERE ${resolved}`).run(cutoff).changes;
        return signals + daily;
      });
    },
  };
}

/** Creates the `paper_tests` repository. */
export function createPaperTestRepo(st: Statements): PaperTestRepo {
  return {
    start: (row) => insertRow(st, paperTests, { ...row, status: 'running', result: null, completedAt: null }),
    byId: (id) => selectOne(st, paperTests, 'WHERE id = ?', [intParam('id', id)]),
    runningFor: (candidateId) => selectOne(st, paperTests, "WHERE candidate_id = ? AND status = 'running'", [intParam('candidateId', candidateId)]),
    listRunning: () => selectRows(st, paperTests, "WHERE status = 'running' ORDER BY deadline_at, id"),
    listFor: (candidateId) => selectRows(st, paperTests, 'WHERE candidate_id = ? ORDER BY started_at, id', [intParam('candidateId', candidateId)]),
    complete: (id, status, result, nowMs) =>
      updateWhere(st, paperTests, { id, status: 'running' }, { status, result, completedAt: nowMs }) > 0,
  };
}
