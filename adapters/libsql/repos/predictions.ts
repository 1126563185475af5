/** Falsifiable predictions (`predictions`) and their grades. */
import { defineTable, insertRow, intParam, selectOne, selectRows, type NewRow, type Statements } from './codec.ts';
import type { PredictionConfidence, PredictionGrade } from './enums.ts';

/**
 * A claim made by a cycle, with the evidence and what would falsify it; graded later by a
 * reflection (`grade`, `gradeEvidence`, `gradeLearning`, `gradedAt` — all null until then).
 * Times: ms UTC.
 */
export interface PredictionRow {
  readonly id: number;
  readonly cycleId: string;
  readonly claim: string;
  readonly evidence: string;
  readonly falsification: string;
  readonly confidence: PredictionConfidence;
  readonly evaluationTimeframe: string;
  readonly category: string;
  readonly createdAt: number;
  readonly grade: PredictionGrade | null;
  readonly gradeEvidence: string | null;
  readonly gradeLearning: string | null;
  readonly gradedAt: number | null;
}

/** A grade to record. */
export interface PredictionGrading {
  readonly grade: PredictionGrade;
  readonly gradeEvidence: string;
  readonly gradeLearning: string;
}

const table = defineTable<PredictionRow>('predictions', {
  id: 'int',
  cycleId: 'text',
  claim: 'text',
  evidence: 'text',
  falsification: 'text',
  confidence: 'text',
  evaluationTimeframe: 'text',
  category: 'text',
  createdAt: 'int',
  grade: 'text?',
  gradeEvidence: 'text?',
  gradeLearning: 'text?',
  gradedAt: 'int?',
});

/** Repository for `predictions`. */
export interface PredictionRepo {
  /** Records an ungraded prediction; returns its id. */
  insert(row: Omit<NewRow<PredictionRow>, 'grade' | 'gradeEvidence' | 'gradeLearning' | 'gradedAt'>): number;
  byId(id: number): PredictionRow | undefined;
  /** Every ungraded prediction, oldest first (reflection input). */
  ungraded(): PredictionRow[];
  /** Grades an ungraded prediction; false when it is unknown or already graded. */
  grade(id: number, grading: PredictionGrading, nowMs: number): boolean;
  /** Newest first; `graded` filters graded (true) or ungraded (false); default limit 50. */
  list(query?: { readonly graded?: boolean; readonly limit?: number }): PredictionRow[];
  /** Counts for metrics: total, graded, confirmed. */
  counts(): { readonly total: number; readonly graded: number; readonly confirmed: number };
  /** Retention: deletes predictions graded before `beforeMs` (ungraded ones stay); returns how many. */
  deleteGradedBefore(beforeMs: number): number;
}

/** Creates the `predictions` repository. */
export function createPredictionRepo(st: Statements): PredictionRepo {
  return {
    insert: (row) => insertRow(st, table, row),
    byId: (id) => selectOne(st, table, 'WHERE id = ?', [intParam('id', id)]),
    ungraded: () => selectRows(st, table, 'WHERE graded_at IS NULL ORDER BY created_at, id'),
    grade: (id, grading, nowMs) =>
      st
        .rows('UPDATE predictions SET grade = ?, grade_evidence = ?, grade_learning = ?, graded_at = ? WHERE id = ? AND graded_at IS NULL')
        .run(
          table.encode('grade', grading.grade),
          table.encode('gradeEvidence', grading.gradeEvidence),
          table.encode('gradeLearning', grading.gradeLearning),
          table.encode('gradedAt', nowMs),
          intParam('id', id),
        ).changes > 0,
    list(query = {}) {
      const filter = query.graded === undefined ? '' : query.graded ? 'WHERE graded_at IS NOT NULL' : 'WHERE graded_at IS NULL';
      return selectRows(st, table, `${filter} ORDER BY created_at DESC, id DESC LIMIT ?`, [intParam('limit', query.limit ?? 50)]);
    },
    counts() {
      const row = st
        .arrays("SELECT COUNT(*), COUNT(graded_at), COUNT(CASE WHEN grade = 'confirmed' THEN 1 END) FROM predictions")
        .get() as [number, number, number];
      return { total: row[0], graded: row[1], confirmed: row[2] };
    },
    deleteGradedBefore: (beforeMs) => st.rows('DELETE FROM predictions WHERE graded_at < ?').run(intParam('beforeMs', beforeMs)).changes,
  };
}
