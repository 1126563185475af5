/**
 * Reading a backtest's candles from the store: which 5m series exist, and the candles of a range.
 */
import type { CandleRepo } from '../../adapters/libsql/index.ts';
import type { Candle } from '../../domain/market/index.ts';

/** The extent of one symbol's stored 5m candles (tsOpen, ms UTC). */
export interface Coverage {
  readonly count: number;
  readonly firstTsOpen: number;
  readonly lastTsOpen: number;
}

/** The stored 5m coverage of every symbol that has 5m candles. */
export function fiveMinuteCoverage(repo: Pick<CandleRepo, 'series'>): Map<string, Coverage> {
  const out = new Map<string, Coverage>();
  for (const s of repo.series()) if (s.timeframe === '5m') out.set(s.symbol, { count: s.count, firstTsOpen: s.firstTsOpen, lastTsOpen: s.lastTsOpen });
  return out;
}

/** 5m candles with fromMs ≤ tsOpen < toMs per symbol, oldest first. */
export function loadFiveMinute(repo: Pick<CandleRepo, 'range'>, symbols: readonly string[], fromMs: number, toMs: number): Record<string, Candle[]> {
  const out: Record<string, Candle[]> = {};
  for (const symbol of symbols) out[symbol] = repo.range(symbol, '5m', fromMs, toMs);
  return out;
}
