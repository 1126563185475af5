/**
 * One-line, human-readable summaries of notifier events: the activity log's `summary` column and
 * the `msg` of the live activity stream. Telegram and the dashboard format events themselves
 * from the typed data; this is the plain common denominator. Amounts are shown as stored (exact
 * decimal strings), fractions as percentages with two decimals. Pure.
 */
import { fromString, toFixed } from '../money/index.ts';
import type { NotifierEvent } from './schemas.ts';
import { riskTierName } from './vocabulary.ts';

/** `0.0153` → `+1.53%` (half-even at two decimals). Pure. */
export function formatFraction(fraction: string): string {
  const pct = fromString(fraction) * 100n;
  return `${pct > 0n ? '+' : ''}${toFixed(pct, 2)}%`;
}

function signed(amount: string): string {
  return amount.startsWith('-') || amount === '0' ? amount : `+${amount}`;
}

function pnlText(pnl: string | null, fraction: string | null = null): string {
  if (pnl === null) return '';
  return ` P&L ${signed(pnl)}${fraction === null ? '' : ` (${formatFraction(fraction)})`}`;
}

/** The event's one-line summary (no line breaks, at most ~300 characters). Pure. */
export function summarizeEvent(event: NotifierEvent): string {
  return oneLine(summary(event));
}

function summary(event: NotifierEvent): string {
  switch (event.type) {
    case 'trade.executed':
    case 'candidate.tradeExecuted': {
      const d = event.data;
      const who = event.type === 'candidate.tradeExecuted' ? `candidate slot ${event.data.slot}: ` : '';
      const why = d.closeReason === null ? '' : ` (${d.closeReason})`;
      return `${who}${d.action} ${d.quantity} ${d.symbol} @ ${d.price} [${d.tag}] fee ${d.fee}${pnlText(d.pnl, d.pnlFraction)}${why}`;
    }
    case 'stop.triggered':
    case 'candidate.stopTriggered': {
      const d = event.data;
      const who = event.type === 'candidate.stopTriggered' ? `candidate slot ${event.data.slot}: ` : '';
      const what = d.trigger === 'stopLoss' ? 'stop-loss' : 'take-profit';
      return `${who}${what} hit: ${d.quantity} ${d.symbol} @ ${d.price} [${d.tag}]${pnlText(d.pnl)}`;
    }
    case 'signal.rejected':
      return `${event.data.action} ${event.data.symbol}${event.data.tag ? ` [${event.data.tag}]` : ''} rejected: ${event.data.reason}`;
    case 'risk.halted':
      return `trading HALTED (${event.data.source}): ${event.data.reason}`;
    case 'risk.resumed':
      return event.data.clearedHalt === null
        ? 'trading resumed'
        : `trading resumed; cleared halt (${event.data.clearedHalt.source}): ${event.data.clearedHalt.reason}`;
    case 'strategy.rolledBack':
      return `strategy rolled back from ${event.data.fromVersion} to ${event.data.toVersion}: ${event.data.trigger}`;
    case 'scan.completed':
      return `scan: ${event.data.symbolCount} symbols, ${event.data.signalCount} signals`;
    case 'strategy.deployed':
      return `strategy ${event.data.version} deployed (${riskTierName(event.data.riskTier)}): ${event.data.changes}`;
    case 'paperTest.started':
      return `paper test of ${event.data.candidateVersion} started${event.data.slot === null ? '' : ` in slot ${event.data.slot}`}; needs ${event.data.minTrades} trades by ${new Date(event.data.deadlineMs).toISOString()}`;
    case 'paperTest.completed':
      return `paper test of ${event.data.candidateVersion} ${event.data.verdict}: ${event.data.trades} trades, P&L ${signed(event.data.pnl)}, PSR ${event.data.psr === null ? 'n/a' : event.data.psr.toFixed(3)}`;
    case 'paperTest.inconclusive':
      return `paper test of ${event.data.candidateVersion} inconclusive: ${event.data.trades} of ${event.data.minTrades} trades; the incumbent stays`;
    case 'orchestrator.cycleStarted':
      return `orchestrator cycle ${event.data.cycleId} started (${event.data.source})`;
    case 'orchestrator.cycleCompleted':
      return `orchestrator cycle ${event.data.cycleId} ended: ${event.data.outcome} — ${event.data.reason}`;
    case 'report.dailyPublished':
      return `daily summary ${event.data.date}: ${event.data.text}`;
    case 'report.weeklyPublished':
      return `weekly report to ${event.data.weekEnding}: ${event.data.text}`;
    case 'system.online':
      return `online (${event.data.mode}, ${event.data.version}): value ${event.data.portfolioValue}, ${event.data.positions} positions, strategy ${event.data.strategyVersion ?? 'none'}, trading ${event.data.trading}`;
    case 'system.shutdownStarted':
      return `shutting down: ${event.data.reason}`;
    case 'system.errorOccurred':
      return `error in ${event.data.source}: ${event.data.message}`;
    case 'feed.lost':
      return `market-data feed lost after ${event.data.attempts} attempts${event.data.lastError ? `: ${event.data.lastError}` : ''}; still retrying`;
    case 'feed.restored':
      return `market-data feed restored${event.data.downForMs === null ? '' : ` after ${Math.round(event.data.downForMs / 1000)} s`}`;
    case 'candidate.created':
      return `candidate ${event.data.version} in slot ${event.data.slot} for ${event.data.evaluationDays} days: ${event.data.description}`;
    case 'candidate.canceled':
      return `candidate ${event.data.version} (slot ${event.data.slot}) canceled by the ${event.data.by}: ${event.data.reason}`;
    case 'candidate.promoted':
      return `candidate ${event.data.version} (slot ${event.data.slot}) promoted${event.data.forced ? ' (forced by the operator)' : ''}`;
    case 'reflection.completed':
      return `reflection: ${event.data.predictionsGraded} predictions graded, ${event.data.newPredictions} new — ${event.data.summary}`;
    case 'operator.commanded':
      return `operator ${event.data.command} via ${event.data.via} ${event.data.ok ? 'done' : 'refused'}: ${event.data.detail}`;
  }
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= 300 ? flat : `${flat.slice(0, 299)}…`;
}
