/**
 * The human-readable backtest report (the default output of `brain backtest`): a summary, the
 * per-symbol and per-month tables, and the walk-forward folds. Derived only from the report, so
 * it is as deterministic as the JSON.
 */
import type { TruthMetrics } from '../../domain/metrics/index.ts';
import type { WindowReport } from './report.ts';
import type { BacktestReport } from './run.ts';

function pct(x: number | null, digits = 2): string {
  if (x === null) return 'n/a';
  if (!Number.isFinite(x)) return String(x);
  return `${(x * 100).toFixed(digits)}%`;
}

function num(x: number | null, digits = 2): string {
  if (x === null) return 'n/a';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : x < 0 ? '−∞' : 'n/a';
  return x.toFixed(digits);
}

function money(text: string): string {
  return Number(text).toFixed(2);
}

function day(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)];
}

function riskLine(m: TruthMetrics, w: WindowReport): string {
  return `Max drawdown ${pct(m.maxDrawdownPct)} daily (${pct(w.exposure.maxIntradayDrawdownPct)} intraday); Sharpe ${num(m.sharpeRatio)}, Sortino ${num(m.sortinoRatio)}, Calmar ${num(m.calmarRatio)}, PSR ${num(m.probabilisticSharpeRatio, 3)}`;
}

/** The report as text lines. */
export function renderReport(r: BacktestReport): string[] {
  const m = r.metrics;
  const days = Math.round((r.period.toMs - r.period.fromMs) / 86_400_000);
  const out: string[] = [
    `Backtest of strategy ${r.strategy.version} (${r.strategy.hash}) on ${r.symbols.join(', ')}`,
    `Period ${day(r.period.from)} → ${day(r.period.to)} (${days} days): ${r.data.totalCandles} candles, ${r.data.decisions} decisions, seed ${r.settings.seed}`,
    `Capital ${money(r.result.startingCapital)} → ${money(r.result.finalEquity)} (${pct(r.result.returnPct)}); realized ${money(r.result.realizedPnl)}, unrealized ${money(r.result.unrealizedPnl)}, fees ${money(r.result.feesPaid)}`,
    `Trades ${m.tradeCount}: ${m.winCount} won, ${m.lossCount} lost, win rate ${pct(m.winRate, 1)}, profit factor ${num(m.profitFactor)}, expectancy ${num(m.expectancy)}, best ${pct(m.bestTradePnlPct)}, worst ${pct(m.worstTradePnlPct)}, avg hold ${num(m.avgTradeDurationHours, 1)} h`,
    riskLine(m, r),
    `Exposure: in the market ${pct(r.exposure.timeInMarket, 1)} of the time, ${pct(r.exposure.averageInvested, 1)} of equity invested on average`,
    `Orders: ${r.limitOrders.market} market; LIMIT ${r.limitOrders.limitAttempted} placed, ${r.limitOrders.limitFilled} filled (fill rate ${pct(r.limitOrders.fillRate, 1)}), ${r.limitOrders.limitExpired} expired; ${r.limitOrders.stopLosses} stop-losses, ${r.limitOrders.takeProfits} take-profits`,
    `Signals: ${r.signals.accepted} acted on, ${r.signals.rejected} rejected${r.signals.invalidOutputs > 0 ? `, ${r.signals.invalidOutputs} unusable outputs` : ''}`,
  ];
  for (const rej of r.signals.rejections.slice(0, 5)) out.push(`  ${rej.count} × ${rej.stage}${rej.code ? `/${rej.code}` : ''}: ${rej.example}`);
  out.push(`Risk: ${r.risk.halts} halt${r.risk.halts === 1 ? '' : 's'}, ${r.risk.rollbacks} rollback request${r.risk.rollbacks === 1 ? '' : 's'}`);
  for (const h of r.risk.haltLog.slice(0, 3)) out.push(`  ${day(h.at)} ${h.kind}: ${h.reason}`);
  if (r.strategyErrors.count > 0) out.push(`Strategy errors: ${r.strategyErrors.count}; first at ${day(r.strategyErrors.first!.at)} (${r.strategyErrors.first!.kind}): ${r.strategyErrors.first!.reason}`);
  out.push('', 'By symbol:');
  out.push(
    ...table(
      ['symbol', 'candles', 'trades', 'win rate', 'net P&L', 'fees', 'in market', 'stops', 'targets'],
      r.symbols.map((s) => {
        const b = r.bySymbol[s]!;
        return [s, String(r.data.candles[s] ?? 0), String(b.trades), pct(b.winRate, 1), num(b.netPnl), num(b.fees), pct(b.timeInMarket, 1), String(b.orders.stopLosses), String(b.orders.takeProfits)];
      }),
    ).map((l) => `  ${l}`),
  );
  out.push('', 'By month:');
  out.push(
    ...table(
      ['month', 'trades', 'won', 'net P&L', 'fees', 'equity', 'return'],
      r.byMonth.map((x) => [x.month, String(x.trades), String(x.wins), num(x.netPnl), num(x.fees), num(x.endEquity), pct(x.returnPct)]),
    ).map((l) => `  ${l}`),
  );
  if (r.openPositions.length > 0) {
    out.push('', `Open at the end: ${r.openPositions.map((p) => `${p.tag} (${p.symbol}, unrealized ${money(p.unrealizedPnl)})`).join(', ')}`);
  }
  if (r.walkForward !== null) {
    const wf = r.walkForward;
    out.push('', `Walk-forward: ${wf.folds} folds (rolling: in-sample = the segment before, out-of-sample = the next), fresh capital per window`);
    out.push(
      ...table(
        ['fold', 'in-sample', 'IS return', 'IS trades', 'IS Sharpe', 'out-of-sample', 'OOS return', 'OOS trades', 'OOS Sharpe'],
        wf.windows.map((f) => [
          String(f.fold),
          `${f.inSample.period.from.slice(0, 10)}..${f.inSample.period.to.slice(0, 10)}`,
          pct(f.inSample.result.returnPct),
          String(f.inSample.metrics.tradeCount),
          num(f.inSample.metrics.sharpeRatio),
          `${f.outOfSample.period.from.slice(0, 10)}..${f.outOfSample.period.to.slice(0, 10)}`,
          pct(f.outOfSample.result.returnPct),
          String(f.outOfSample.metrics.tradeCount),
          num(f.outOfSample.metrics.sharpeRatio),
        ]),
      ).map((l) => `  ${l}`),
    );
    const o = wf.outOfSample.metrics;
    out.push(
      `Out-of-sample, chained (${day(wf.outOfSample.from)} → ${day(wf.outOfSample.to)}): ${o.tradeCount} trades, win rate ${pct(o.winRate, 1)}, profit factor ${num(o.profitFactor)}, max drawdown ${pct(o.maxDrawdownPct)}, Sharpe ${num(o.sharpeRatio)}, PSR ${num(o.probabilisticSharpeRatio, 3)}`,
    );
  }
  return out;
}
