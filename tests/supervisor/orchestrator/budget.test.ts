/** The token_usage-backed budget ledger: one row per call, counted per local day. */
import { afterAll, describe, expect, it } from 'vitest';
import { ZERO_USAGE } from '../../../domain/advice/index.ts';
import { fromString } from '../../../domain/money/index.ts';
import type { CallRecord } from '../../../domain/ports/index.ts';
import { createStoreBudgetLedger } from '../../../supervisor/orchestrator/index.ts';
import { tempStore } from '../../strategies/loader/support.ts';

const store = tempStore();
afterAll(() => store.close());

const call = (step: string, usage: Partial<CallRecord['usage']>): CallRecord => ({
  model: 'claude-opus-5-5',
  purpose: 'decision',
  step,
  cycleId: 'cycle-1',
  promptSummary: '',
  responseText: '',
  thinkingText: '',
  parsed: null,
  stopReason: 'end_turn',
  usage: { ...ZERO_USAGE, ...usage },
  costUsd: fromString('0.0164'),
  startedAtMs: 0,
  durationMs: 1,
  messageId: 'msg_1',
  outcome: 'ok',
  redactions: 0,
});

describe('store budget ledger', () => {
  it('records input/output/cache tokens and cost per call and counts them per local day (America/Toronto)', () => {
    const ledger = createStoreBudgetLedger(store.repos, 'America/Toronto');
    // 2026-11-25 23:30 in Toronto is 04:30 UTC on the 26th: still the 25th locally.
    const late = Date.UTC(2026, 10, 26, 4, 30);
    ledger.record(call('analysis', { inputTokens: 1200, outputTokens: 350, cacheReadTokens: 3000, cacheWriteTokens: 800 }), late);
    ledger.record(call('code_gen', { inputTokens: 100, outputTokens: 50 }), late + 60_000);
    expect(ledger.tokensUsedOn(late)).toBe(1200 + 350 + 3000 + 800 + 150);
    expect(ledger.tokensUsedOn(Date.UTC(2026, 10, 25, 12))).toBe(1200 + 350 + 3000 + 800 + 150);
    // Local midnight (05:00 UTC) starts a new day.
    expect(ledger.tokensUsedOn(Date.UTC(2026, 10, 26, 5, 0))).toBe(0);
    const rows = store.repos.tokenUsage.between(0, Number.MAX_SAFE_INTEGER);
    expect(rows.map((r) => [r.purpose, r.cycleId, r.inputTokens, r.outputTokens, r.cacheReadTokens, r.cacheWriteTokens])).toEqual([
      ['analysis', 'cycle-1', 1200, 350, 3000, 800],
      ['code_gen', 'cycle-1', 100, 50, 0, 0],
    ]);
    expect(rows[0]!.costUsd).toBe(fromString('0.0164'));
  });
});
