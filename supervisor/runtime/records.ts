/**
 * The store rows one step produces: every signal (accepted or rejected, with the reason), every
 * close as a trade row, and the open positions mirrored from the ledger. Called inside the step's
 * transaction, so rows, books and checkpoint are committed together or not at all.
 */
import type { Repositories } from '../../adapters/libsql/index.ts';
import type { Signal } from '../../domain/contract/index.ts';
import { fromNumber } from '../../domain/money/index.ts';
import type { PipelineEvent, PipelineState } from '../../domain/pipeline/index.ts';
import type { ClosedTrade } from '../../domain/portfolio/index.ts';

/** Who produced the rows: the strategy version and its regime label at the time. */
export interface RecordContext {
  readonly strategyVersion: string | null;
  readonly nowMs: number;
}

function signalRow(signal: Signal | null, ctx: RecordContext, regime: string | null, acted: boolean, rejected: string | null, fallbackSymbol: string) {
  const s = signal as (Partial<Record<string, unknown>> & { action?: Signal['action'] }) | null;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? fromNumber(v) : null);
  return {
    symbol: typeof s?.symbol === 'string' ? s.symbol : fallbackSymbol,
    action: s?.action ?? 'CLOSE',
    size: num(s?.size),
    orderType: (s?.orderType as 'MARKET' | 'LIMIT' | undefined) ?? null,
    limitPrice: num(s?.limitPrice),
    stopLoss: num(s?.stopLoss),
    takeProfit: num(s?.takeProfit),
    slippageTolerance: num(s?.slippageTolerance),
    intent: (s?.intent as 'DAY' | 'SWING' | 'POSITION' | undefined) ?? null,
    confidence: typeof s?.confidence === 'number' ? s.confidence : 0,
    reasoning: typeof s?.reasoning === 'string' && s.reasoning.length > 0 ? s.reasoning : '(none)',
    tag: typeof s?.tag === 'string' ? s.tag : null,
    strategyVersion: ctx.strategyVersion ?? 'none',
    strategyRegime: regime,
    actedOn: acted,
    rejectedReason: rejected,
    createdAt: ctx.nowMs,
  };
}

/**
 * Writes the rows of `events` and mirrors the ledger's open positions into `positions` (rows of
 * closed tags deleted, open ones inserted or updated). Must run inside `repos.transaction`.
 * A whole-output rejection (unparseable strategy output) is stored as one rejected signal row
 * naming the first configured symbol, so the reason is never lost.
 */
export function writeStepRows(repos: Repositories, events: readonly PipelineEvent[], state: PipelineState, ctx: RecordContext, symbols: readonly string[]): void {
  for (const e of events) {
    if (e.type === 'signal.accepted') {
      repos.signals.insert(signalRow(e.signal, ctx, e.regime, true, null, symbols[0] ?? '?'));
    } else if (e.type === 'signal.rejected') {
      repos.signals.insert(signalRow(e.signal, ctx, e.regime, false, `${e.stage}${e.code ? `/${e.code}` : ''}: ${e.reason}`, symbols[0] ?? '?'));
    } else if (e.type === 'position.closed') {
      repos.trades.insert({ ...tradeRowOf(e.trade, ctx.strategyVersion), exitClientOrderId: null });
    }
  }
  syncPositions(repos, state, ctx);
}

/** The stored form of a close (the `trades` and `candidate_trades` columns they share). */
export function tradeRowOf(t: ClosedTrade, strategyVersion: string | null) {
  return {
    tag: t.tag,
    symbol: t.symbol,
    side: 'long' as const,
    intent: t.intent,
    qty: t.qty,
    entryPrice: t.entryPrice,
    exitPrice: t.exitPrice,
    costBasis: t.costBasis,
    proceeds: t.proceeds,
    entryFee: t.entryFee,
    exitFee: t.exitFee,
    fees: t.fees,
    pnl: t.pnl,
    pnlFraction: t.pnlFraction,
    mae: t.mae,
    closeReason: t.closeReason,
    strategyVersion,
    strategyRegime: null,
    openedAt: t.openedAt,
    closedAt: t.closedAt,
  };
}

/** Makes the `positions` table equal to the ledger's open positions. */
export function syncPositions(repos: Repositories, state: PipelineState, ctx: RecordContext): void {
  const open = new Map(state.ledger.positions.map((p) => [p.tag, p]));
  for (const row of repos.positions.list()) if (!open.has(row.tag)) repos.positions.delete(row.tag);
  for (const p of state.ledger.positions) {
    const existing = repos.positions.byTag(p.tag);
    const fields = {
      qty: p.qty,
      costBasis: p.costBasis,
      entryFees: p.entryFees,
      lastPrice: p.lastPrice,
      stopLoss: p.stopLoss,
      takeProfit: p.takeProfit,
      intent: p.intent,
      mae: p.mae,
      updatedAt: ctx.nowMs,
    };
    if (existing === undefined) {
      repos.positions.insert({ tag: p.tag, symbol: p.symbol, side: 'long', seq: p.seq, strategyVersion: ctx.strategyVersion, strategyRegime: null, openedAt: p.openedAt, ...fields });
    } else if (
      existing.qty !== p.qty ||
      existing.costBasis !== p.costBasis ||
      existing.lastPrice !== p.lastPrice ||
      existing.stopLoss !== p.stopLoss ||
      existing.takeProfit !== p.takeProfit ||
      existing.mae !== p.mae ||
      existing.intent !== p.intent ||
      existing.entryFees !== p.entryFees
    ) {
      repos.positions.update(p.tag, fields);
    }
  }
}
