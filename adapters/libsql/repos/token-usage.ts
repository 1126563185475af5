/** AI token accounting (`token_usage`): one row per AI call. */
import { ZERO, type Fixed } from '../../../domain/money/index.ts';
import { defineTable, insertRow, intParam, selectRows, type NewRow, type Statements } from './codec.ts';

/**
 * One AI call: tokens by kind and its cost in USD (exact, computed from the configured prices).
 * `cycleId` is null for calls outside a cycle (`/ask`). `createdAt`: ms UTC.
 */
export interface TokenUsageRow {
  readonly id: number;
  readonly model: string;
  readonly purpose: string;
  readonly cycleId: string | null;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly costUsd: Fixed;
  readonly createdAt: number;
}

/** Totals over a period: tokens (all kinds), calls and exact cost. */
export interface TokenTotals {
  readonly calls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly costUsd: Fixed;
}

const table = defineTable<TokenUsageRow>('token_usage', {
  id: 'int',
  model: 'text',
  purpose: 'text',
  cycleId: 'text?',
  inputTokens: 'int',
  outputTokens: 'int',
  cacheReadTokens: 'int',
  cacheWriteTokens: 'int',
  costUsd: 'fixed',
  createdAt: 'int',
});

/** Repository for `token_usage`. */
export interface TokenUsageRepo {
  insert(row: NewRow<TokenUsageRow>): number;
  /** Calls with sinceMs <= createdAt < untilMs, oldest first. */
  between(sinceMs: number, untilMs: number): TokenUsageRow[];
  /**
   * Totals for sinceMs <= createdAt < untilMs (the daily budget: pass the local day's bounds),
   * overall and per model. Cost is summed exactly in TypeScript, not by SQL's float SUM.
   */
  totals(sinceMs: number, untilMs: number): { readonly all: TokenTotals; readonly byModel: ReadonlyMap<string, TokenTotals> };
  /** Retention: deletes calls before `beforeMs`; returns how many. */
  deleteBefore(beforeMs: number): number;
}

const EMPTY: TokenTotals = { calls: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: ZERO };

function add(a: TokenTotals, r: TokenUsageRow): TokenTotals {
  return {
    calls: a.calls + 1,
    inputTokens: a.inputTokens + r.inputTokens,
    outputTokens: a.outputTokens + r.outputTokens,
    cacheReadTokens: a.cacheReadTokens + r.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + r.cacheWriteTokens,
    costUsd: a.costUsd + r.costUsd,
  };
}

/** Creates the `token_usage` repository. */
export function createTokenUsageRepo(st: Statements): TokenUsageRepo {
  const between = (sinceMs: number, untilMs: number) =>
    selectRows(st, table, 'WHERE created_at >= ? AND created_at < ? ORDER BY created_at, id', [intParam('sinceMs', sinceMs), intParam('untilMs', untilMs)]);
  return {
    insert: (row) => insertRow(st, table, row),
    between,
    totals(sinceMs, untilMs) {
      let all = EMPTY;
      const byModel = new Map<string, TokenTotals>();
      for (const row of between(sinceMs, untilMs)) {
        all = add(all, row);
        byModel.set(row.model, add(byModel.get(row.model) ?? EMPTY, row));
      }
      return { all, byModel };
    },
    deleteBefore: (beforeMs) => st.rows('DELETE FROM token_usage WHERE created_at < ?').run(intParam('beforeMs', beforeMs)).changes,
  };
}
