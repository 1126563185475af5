/**
 * `Portfolio`: the fund as a strategy sees it (predecessor §3). A JSON view built by the host from
 * the exact ledger (`domain/portfolio`); amounts are quote currency, plain numbers.
 */
import { z } from 'zod';
import { type Intent, intentSchema, symbolSchema, tagSchema } from './enums.ts';
import { formatIssues } from './issues.ts';

/** How many recent closed trades the strategy receives (predecessor: last 100). */
export const RECENT_TRADES_LIMIT = 100;

/** One open long position, identified by its globally unique tag. */
export interface OpenPosition {
  readonly tag: string;
  readonly symbol: string;
  readonly side: 'long';
  /** Base-currency quantity, > 0. */
  readonly qty: number;
  /** Average entry price, quote currency. */
  readonly avgEntry: number;
  readonly currentPrice: number;
  /** (currentPrice − avgEntry) × qty, quote currency. */
  readonly unrealizedPnl: number;
  /** unrealizedPnl / (avgEntry × qty), a fraction. */
  readonly unrealizedPnlPct: number;
  readonly intent: Intent;
  readonly stopLoss: number | null;
  readonly takeProfit: number | null;
  /** ms since epoch, UTC. */
  readonly openedAt: number;
}

/** One closed (or partly closed) trade: one row per close. */
export interface ClosedTrade {
  readonly tag: string;
  readonly symbol: string;
  readonly side: 'long';
  readonly qty: number;
  readonly entryPrice: number;
  readonly exitPrice: number;
  /** Net of the pro-rata entry fee and the exit fee, quote currency. */
  readonly pnl: number;
  /** pnl / (entryPrice × qty), a fraction. */
  readonly pnlPct: number;
  /** Entry share + exit fee, quote currency. */
  readonly fees: number;
  readonly intent: Intent;
  readonly openedAt: number;
  readonly closedAt: number;
}

/** The fund's state handed to `analyze()`. */
export interface Portfolio {
  readonly cash: number;
  /** cash + Σ open positions at current prices. */
  readonly totalValue: number;
  /** Open positions, oldest first (the FIFO order SELL without tag uses); tags unique. */
  readonly positions: readonly OpenPosition[];
  /** Most recent closes, newest first, at most `RECENT_TRADES_LIMIT`. */
  readonly recentTrades: readonly ClosedTrade[];
  /** totalValue − start-of-day value (local day), capital flows excluded. */
  readonly dailyPnl: number;
  /** totalValue − (starting capital + net capital flows). */
  readonly totalPnl: number;
  /** Fees paid since local midnight (entries and exits). */
  readonly feesToday: number;
}

const finite = z.number();
const ts = z.number().int().min(0);

/** Schema of `OpenPosition` (strict). */
export const openPositionSchema = z.strictObject({
  tag: tagSchema,
  symbol: symbolSchema,
  side: z.literal('long'),
  qty: finite.positive(),
  avgEntry: finite.positive(),
  currentPrice: finite.positive(),
  unrealizedPnl: finite,
  unrealizedPnlPct: finite,
  intent: intentSchema,
  stopLoss: finite.positive().nullable(),
  takeProfit: finite.positive().nullable(),
  openedAt: ts,
});

/** Schema of `ClosedTrade` (strict). */
export const closedTradeSchema = z.strictObject({
  tag: tagSchema,
  symbol: symbolSchema,
  side: z.literal('long'),
  qty: finite.positive(),
  entryPrice: finite.positive(),
  exitPrice: finite.positive(),
  pnl: finite,
  pnlPct: finite,
  fees: finite.min(0),
  intent: intentSchema,
  openedAt: ts,
  closedAt: ts,
});

/** Schema of `Portfolio` (strict; tags of open positions unique). */
export const portfolioSchema = z
  .strictObject({
    cash: finite,
    totalValue: finite,
    positions: z.array(openPositionSchema),
    recentTrades: z.array(closedTradeSchema).max(RECENT_TRADES_LIMIT),
    dailyPnl: finite,
    totalPnl: finite,
    feesToday: finite.min(0),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.positions.forEach((pos, i) => {
      if (seen.has(pos.tag)) ctx.addIssue({ code: 'custom', path: ['positions', i, 'tag'], message: `must be unique among open positions, got ${JSON.stringify(pos.tag)} twice` });
      seen.add(pos.tag);
    });
  });

/** Validates a `Portfolio`; the reason names every bad field. Pure; never throws. */
export function parsePortfolio(raw: unknown): { ok: true; value: Portfolio } | { ok: false; reason: string } {
  const r = portfolioSchema.safeParse(raw, { reportInput: true });
  return r.success ? { ok: true, value: r.data } : { ok: false, reason: formatIssues(r.error.issues) };
}
