/**
 * The daily token budget's memory backed by `token_usage` (docs/advisor.md): tokens counted per
 * LOCAL day of the fund's time zone, one row per billed call (input, output, cache read/write
 * tokens and the exact cost).
 */
import { budgetTokens } from '../../domain/advice/index.ts';
import type { BudgetLedger, CallRecord } from '../../domain/ports/index.ts';
import { nextLocalMidnight, startOfLocalDay } from '../../domain/time/index.ts';
import type { OrchestratorRepos } from './deps.ts';

/**
 * A `BudgetLedger` over `token_usage`: `tokensUsedOn(now)` sums today's rows with
 * `budgetTokens` (input + cache write + cache read + output); `record` inserts one row per call
 * (purpose = the thought-spool step). Store errors propagate (the advisor then fails the call).
 */
export function createStoreBudgetLedger(repos: Pick<OrchestratorRepos, 'tokenUsage'>, timeZone: string): BudgetLedger {
  return {
    tokensUsedOn(nowMs) {
      const t = repos.tokenUsage.totals(startOfLocalDay(nowMs, timeZone), nextLocalMidnight(nowMs, timeZone)).all;
      return budgetTokens({
        inputTokens: t.inputTokens,
        outputTokens: t.outputTokens,
        cacheReadTokens: t.cacheReadTokens,
        cacheWriteTokens: t.cacheWriteTokens,
        cacheWrite1hTokens: 0,
        thinkingTokens: 0,
      });
    },
    record(call: CallRecord, nowMs: number) {
      repos.tokenUsage.insert({
        model: call.model,
        purpose: call.step,
        cycleId: call.cycleId,
        inputTokens: call.usage.inputTokens,
        outputTokens: call.usage.outputTokens,
        cacheReadTokens: call.usage.cacheReadTokens,
        cacheWriteTokens: call.usage.cacheWriteTokens,
        costUsd: call.costUsd,
        createdAt: nowMs,
      });
    },
  };
}
