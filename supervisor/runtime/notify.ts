/**
 * Notifier events (domain/events catalogue) for what one pipeline step did: fills, stops and
 * take-profits, risk rejections and halts, and the scan summary. Pure translation; the engine
 * publishes them after the step's transaction committed.
 */
import { type NotifierEvent, notifierEvent } from '../../domain/events/index.ts';
import { toString } from '../../domain/money/index.ts';
import type { PipelineEvent } from '../../domain/pipeline/index.ts';

const HALT_SOURCE = 'risk' as const;

/** The notifier events of one step's pipeline events (invalid ones are dropped, never thrown). */
export function notificationsFor(events: readonly PipelineEvent[], strategyVersion: string | null): NotifierEvent[] {
  const out: NotifierEvent[] = [];
  const push = (built: { ok: true; event: unknown } | { ok: false }) => {
    if (built.ok) out.push(built.event as NotifierEvent);
  };
  for (let k = 0; k < events.length; k++) {
    const e = events[k]!;
    if (e.type === 'order.filled') {
      const closed = e.fill.side === 'sell' ? events.slice(k + 1).find((x) => x.type === 'position.closed' && x.trade.symbol === e.symbol) : undefined;
      const trade = closed?.type === 'position.closed' ? closed.trade : null;
      const tag = e.tag ?? trade?.tag ?? 'untagged';
      const action = e.fill.side === 'buy' ? 'BUY' : e.signal?.action === 'SELL' ? 'SELL' : 'CLOSE';
      const intent = e.signal?.action === 'BUY' ? e.signal.intent : (trade?.intent ?? 'DAY');
      push(
        notifierEvent('trade.executed', e.tsMs, {
          symbol: e.symbol,
          tag,
          action,
          quantity: toString(e.fill.qty),
          price: toString(e.fill.price),
          fee: toString(e.fill.fee),
          intent,
          pnl: trade ? toString(trade.pnl) : null,
          pnlFraction: trade ? toString(trade.pnlFraction) : null,
          closeReason: trade ? trade.closeReason : null,
          strategyVersion,
        }),
      );
      if (trade && (e.source === 'stopLoss' || e.source === 'takeProfit')) {
        push(
          notifierEvent('stop.triggered', e.tsMs, {
            symbol: e.symbol,
            tag: trade.tag,
            trigger: e.source,
            price: toString(e.fill.price),
            quantity: toString(e.fill.qty),
            pnl: toString(trade.pnl),
          }),
        );
      }
    } else if (e.type === 'signal.rejected' && e.stage === 'risk' && e.signal) {
      push(notifierEvent('signal.rejected', e.tsMs, { symbol: e.signal.symbol, action: e.signal.action, tag: 'tag' in e.signal && typeof e.signal.tag === 'string' ? e.signal.tag : null, reason: e.reason }));
    } else if (e.type === 'risk.halted') {
      push(notifierEvent('risk.halted', e.tsMs, { source: HALT_SOURCE, reason: e.halt.reason }));
    }
  }
  return out;
}
