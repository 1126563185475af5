/**
 * One complete row per table for round-trip tests: every nullable field set (so every column is
 * exercised), money at the edges of what must stay exact.
 */
import type {
  NewRow,
  OrderRow,
  PositionRow,
  SignalRow,
  TradeRow,
  DailyPerformanceRow,
  StrategyVersionRow,
} from '../../../adapters/libsql/index.ts';
import { fromString } from '../../../domain/money/index.ts';

/** Smallest Kraken volume step and a value with 9 integer + 9 fractional digits: both must round-trip exactly. */
export const TINY = fromString('0.00000001');
export const BIG = fromString('123456789.123456789');
export const T0 = 1_735_689_600_000; // 2025-01-01T00:00:00Z

export function position(over: Partial<NewRow<PositionRow>> = {}): NewRow<PositionRow> {
  return {
    tag: 'auto_BTCUSD_001',
    symbol: 'BTC/USD',
    side: 'long',
    qty: TINY,
    costBasis: BIG,
    entryFees: fromString('0.4'),
    lastPrice: fromString('97000.5'),
    stopLoss: fromString('90000'),
    takeProfit: fromString('110000'),
    intent: 'SWING',
    mae: fromString('0.0123'),
    seq: 3,
    strategyVersion: 'v001',
    strategyRegime: 'trend',
    openedAt: T0,
    updatedAt: T0 + 1,
    ...over,
  };
}

export function trade(over: Partial<NewRow<TradeRow>> = {}): NewRow<TradeRow> {
  return {
    tag: 'auto_BTCUSD_001',
    symbol: 'BTC/USD',
    side: 'long',
    intent: 'DAY',
    qty: TINY,
    entryPrice: BIG,
    exitPrice: fromString('123456790'),
    costBasis: fromString('1.23456789123456789'),
    proceeds: fromString('1.2345679'),
    entryFee: fromString('0.003'),
    exitFee: fromString('0.004'),
    fees: fromString('0.007'),
    pnl: fromString('-0.00699999123456789'),
    pnlFraction: fromString('-0.0056699'),
    mae: fromString('0.02'),
    closeReason: 'stop_loss',
    strategyVersion: 'v001',
    strategyRegime: 'range',
    exitClientOrderId: null,
    openedAt: T0,
    closedAt: T0 + 60_000,
    ...over,
  };
}

export function signal(over: Partial<NewRow<SignalRow>> = {}): NewRow<SignalRow> {
  return {
    symbol: 'ETH/USD',
    action: 'BUY',
    size: fromString('0.06'),
    orderType: 'LIMIT',
    limitPrice: fromString('3300.25'),
    stopLoss: fromString('3200'),
    takeProfit: fromString('3600'),
    slippageTolerance: fromString('0.0005'),
    intent: 'POSITION',
    confidence: 0.75,
    reasoning: 'EMA 9 crossed EMA 21',
    tag: 'auto_ETHUSD_001',
    strategyVersion: 'v001',
    strategyRegime: 'trend',
    actedOn: false,
    rejectedReason: null,
    createdAt: T0,
    ...over,
  };
}

export function order(over: Partial<NewRow<OrderRow>> = {}): NewRow<OrderRow> {
  return {
    clientOrderId: 'c0ffee00-0000-4000-8000-000000000001',
    venueOrderId: 'OABCDE-FGHIJ-KLMNOP',
    signalId: null,
    tag: 'auto_BTCUSD_001',
    symbol: 'BTC/USD',
    side: 'buy',
    type: 'limit',
    purpose: 'entry',
    quantity: BIG,
    limitPrice: fromString('97000.1'),
    triggerPrice: null,
    status: 'partiallyFilled',
    filledQuantity: TINY,
    filledNotional: fromString('0.000970001'),
    avgFillPrice: fromString('97000.1'),
    feeTotal: fromString('0.0000025'),
    reason: 'note',
    venueResponse: '{"txid":["OABCDE-FGHIJ-KLMNOP"]}',
    tsInit: T0,
    tsEvent: T0 + 5,
    updatedAt: T0 + 6,
    ...over,
  };
}

export function daily(over: Partial<NewRow<DailyPerformanceRow>> = {}): NewRow<DailyPerformanceRow> {
  return {
    date: '2025-01-01',
    dayStartAt: T0,
    dayEndAt: T0 + 86_400_000,
    portfolioValue: BIG,
    cash: fromString('-0.5'),
    totalTrades: 3,
    wins: 2,
    losses: 1,
    grossPnl: fromString('12.5'),
    netPnl: fromString('11.25'),
    feesTotal: fromString('1.25'),
    winRate: 2 / 3,
    expectancy: fromString('3.75'),
    maxDrawdownPct: fromString('0.031'),
    sharpe: 1.4,
    strategyVersion: 'v001',
    recordedAt: T0 + 86_340_000,
    ...over,
  };
}

export function strategyVersion(over: Partial<NewRow<StrategyVersionRow>> = {}): NewRow<StrategyVersionRow> {
  return {
    version: 'v001',
    parentVersion: null,
    code: 'export const analyze = () => [];',
    codeHash: 'abc123',
    riskTier: 1,
    description: 'seed',
    backtestResult: '{"trades":10}',
    shadowTestResult: '{"passed":true}',
    marketConditions: 'calm',
    createdAt: T0,
    deployedAt: null,
    retiredAt: null,
    ...over,
  };
}
