/**
 * Queries over the fund's records: the activity timeline, strategy signals, predictions,
 * strategy-document versions, and the grounding of an `/ask` answer. Filters are validated
 * (closed sets, clamped limits) and problems come back as `{ ok: false, reason }`.
 */
import { ACTIVITY_CATEGORIES, ACTIVITY_SEVERITIES, type ActivityCategory, type ActivitySeverity } from '../../../domain/events/index.ts';
import { toString } from '../../../domain/money/index.ts';
import type { PredictionRow } from '../../../adapters/libsql/index.ts';
import { clampLimit } from '../convert.ts';
import type { OperatorDeps, QueryResult } from '../types.ts';
import type { ActivityView, SignalView } from '../views.ts';

/** Filters of the activity timeline (`GET /v1/activity`): limit 1..500 (default 50). */
export interface ActivityQuery {
  readonly limit?: number;
  readonly sinceMs?: number;
  readonly untilMs?: number;
  readonly category?: string;
  readonly severity?: string;
}

/** Filters of the signals list (`GET /v1/signals`): limit 1..500 (default 50). */
export interface SignalsQuery {
  readonly limit?: number;
  readonly sinceMs?: number;
  readonly untilMs?: number;
  readonly symbol?: string;
  readonly action?: string;
}

/** One strategy-document version without its text (`GET /v1/strategy-doc/versions`). */
export interface StrategyDocVersionView {
  readonly id: number;
  readonly version: number;
  readonly reflectionCycleId: string | null;
  readonly createdAtMs: number;
  readonly contentLength: number;
}

const SIGNAL_ACTIONS = ['BUY', 'SELL', 'CLOSE', 'MODIFY'] as const;

function decode(detail: string | null): unknown {
  if (detail === null) return null;
  try {
    return JSON.parse(detail) as unknown;
  } catch {
    return detail;
  }
}

/** The record queries over `deps`. */
export function recordQueries(deps: OperatorDeps) {
  const { repos } = deps;

  const activity = (query: ActivityQuery = {}): QueryResult<ActivityView[]> => {
    if (query.category !== undefined && !(ACTIVITY_CATEGORIES as readonly string[]).includes(query.category)) {
      return { ok: false, reason: `category must be one of ${ACTIVITY_CATEGORIES.join(', ')}; got ${JSON.stringify(query.category)}` };
    }
    if (query.severity !== undefined && !(ACTIVITY_SEVERITIES as readonly string[]).includes(query.severity)) {
      return { ok: false, reason: `severity must be one of ${ACTIVITY_SEVERITIES.join(', ')}; got ${JSON.stringify(query.severity)}` };
    }
    const rows = repos.activityLog.list({
      limit: clampLimit(query.limit, 50, 500),
      ...(query.sinceMs === undefined ? {} : { sinceMs: query.sinceMs }),
      ...(query.untilMs === undefined ? {} : { untilMs: query.untilMs }),
      ...(query.category === undefined ? {} : { category: query.category as ActivityCategory }),
      ...(query.severity === undefined ? {} : { severity: query.severity as ActivitySeverity }),
    });
    return {
      ok: true,
      value: rows.map((r) => ({ id: r.id, tsMs: r.ts, category: r.category, severity: r.severity, summary: r.summary, detail: decode(r.detail) })),
    };
  };

  const signals = (query: SignalsQuery = {}): QueryResult<SignalView[]> => {
    if (query.action !== undefined && !(SIGNAL_ACTIONS as readonly string[]).includes(query.action)) {
      return { ok: false, reason: `action must be one of ${SIGNAL_ACTIONS.join(', ')}; got ${JSON.stringify(query.action)}` };
    }
    const limit = clampLimit(query.limit, 50, 500);
    // The repository filters by symbol and time; the action filter is applied over a wider page.
    const rows = repos.signals
      .list({
        limit: query.action === undefined ? limit : 500,
        ...(query.symbol === undefined ? {} : { symbol: query.symbol }),
        ...(query.sinceMs === undefined ? {} : { sinceMs: query.sinceMs }),
        ...(query.untilMs === undefined ? {} : { untilMs: query.untilMs }),
      })
      .filter((s) => query.action === undefined || s.action === query.action)
      .slice(0, limit);
    return {
      ok: true,
      value: rows.map((s) => ({
        id: s.id,
        symbol: s.symbol,
        action: s.action,
        tag: s.tag,
        size: s.size === null ? null : toString(s.size),
        confidence: s.confidence,
        reasoning: s.reasoning,
        actedOn: s.actedOn,
        rejectedReason: s.rejectedReason,
        strategyVersion: s.strategyVersion,
        createdAtMs: s.createdAt,
      })),
    };
  };

  /** `GET /v1/predictions`: newest first, limit 1..500 (default 50), optionally graded or not. */
  const predictions = (query: { readonly limit?: number; readonly graded?: boolean } = {}): PredictionRow[] =>
    repos.predictions.list({ limit: clampLimit(query.limit, 50, 500), ...(query.graded === undefined ? {} : { graded: query.graded }) });

  /** `GET /v1/strategy-doc/versions`: newest first, limit 1..100 (default 20). */
  const strategyDocVersions = (limit?: number): StrategyDocVersionView[] =>
    repos.strategyDocs.list(clampLimit(limit, 20, 100)).map((d) => ({
      id: d.id,
      version: d.version,
      reflectionCycleId: d.reflectionCycleId,
      createdAtMs: d.createdAt,
      contentLength: d.content.length,
    }));

  return { activity, signals, predictions, strategyDocVersions };
}
