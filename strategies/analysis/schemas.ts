/**
 * The reports of the analysis modules, as the host accepts them (zod). A module's output is
 * untrusted JSON: it is parsed with size and depth caps first, then checked here; nothing uses a
 * report that fails. Sections may carry extra fields (a rewritten module may add insight), but
 * every field named here must be present with its type. Fractions: 0.05 = 5 %. Times: ms UTC.
 */
import { z } from 'zod';

const num = z.number();
const nullableNum = z.number().nullable();
const ms = z.number().int();
const text = z.string().max(200);
const timeframe = z.enum(['5m', '1h', '1d']);
const MAX_ROWS = 5000;

/** §12.1 price action, volatility and volume of one symbol. */
export const marketSymbolSchema = z.looseObject({
  symbol: text,
  price: z.looseObject({
    current: nullableNum,
    /** The timeframe `current` came from. */
    source: timeframe.nullable(),
    change24h: nullableNum,
    change7d: nullableNum,
    high24h: nullableNum,
    low24h: nullableNum,
    range24h: nullableNum,
    trend: z.enum(['up', 'down', 'flat', 'unknown']),
  }),
  volatility: z.looseObject({
    /** Population std of hourly returns over the last 48 hourly closes. */
    hourlyReturnStd: nullableNum,
    sample: z.number().int().min(0),
  }),
  volume: z.looseObject({
    last24h: nullableNum,
    previous24h: nullableNum,
    /** last24h / previous24h. */
    trend: nullableNum,
  }),
});

/** `market_analysis`'s report (predecessor §12.1). */
export const marketAnalysisReportSchema = z.looseObject({
  kind: z.literal('market_analysis'),
  generatedAt: ms,
  symbols: z.array(marketSymbolSchema).max(MAX_ROWS),
  dataDepth: z.array(z.looseObject({ symbol: text, timeframe, rows: z.number().int().min(0), earliest: ms, latest: ms })).max(MAX_ROWS),
  dataQuality: z.looseObject({
    scans: z.looseObject({
      total: z.number().int().min(0),
      firstAt: ms.nullable(),
      lastAt: ms.nullable(),
      lastHour: z.number().int().min(0),
      expectedPerHour: z.number().int().min(0),
    }),
    series: z.array(z.looseObject({ symbol: text, timeframe, stalenessMs: ms.nullable(), missingInWindow: z.number().int().min(0) })).max(MAX_ROWS),
  }),
});

/** Trade statistics of one group (symbol, regime, version, intent, hour, window). */
export const tradeStatsSchema = z.looseObject({
  trades: z.number().int().min(0),
  wins: z.number().int().min(0),
  winRate: nullableNum,
  netPnl: num,
  fees: num,
  avgPnl: nullableNum,
  /** win rate × average win + loss rate × average loss (losses: pnl ≤ 0). */
  expectancy: nullableNum,
});

const keyed = <T extends z.ZodType>(schema: T) => z.record(z.string().max(200), schema);

/** `trade_performance`'s report (predecessor §12.2). */
export const tradePerformanceReportSchema = z.looseObject({
  kind: z.literal('trade_performance'),
  generatedAt: ms,
  overall: tradeStatsSchema,
  bySymbol: keyed(tradeStatsSchema),
  byRegime: keyed(tradeStatsSchema),
  byVersion: keyed(tradeStatsSchema.extend({ firstTradeAt: ms.nullable(), lastTradeAt: ms.nullable() })),
  byIntent: keyed(tradeStatsSchema.extend({ avgHoldHours: nullableNum })),
  regimeBySymbol: keyed(keyed(tradeStatsSchema)),
  signals: z.looseObject({
    total: z.number().int().min(0),
    acted: z.number().int().min(0),
    rejected: z.number().int().min(0),
    actRate: nullableNum,
    topRejectionReasons: z.array(z.looseObject({ reason: z.string().max(1000), count: z.number().int().min(1) })).max(5),
  }),
  fees: z.looseObject({
    total: num,
    /** total fees / gross winning P&L. */
    ofGrossWins: nullableNum,
    /** 2 × the latest taker fee, percent units (0.8 = 0.8 %). */
    roundTripPct: nullableNum,
    /** 1.5 × roundTripPct. */
    breakEvenMovePct: nullableNum,
  }),
  holding: z.looseObject({ sample: z.number().int().min(0), avgHours: nullableNum, winnersHours: nullableNum, losersHours: nullableNum }),
  openPositionAging: z.array(z.looseObject({ bucket: z.enum(['<1d', '1-3d', '3-7d', '>7d']), positions: z.number().int().min(0), unrealized: nullableNum })).length(4),
  timeOfDay: z.array(z.looseObject({ hourUtc: z.number().int().min(0).max(23), trades: z.number().int().min(0), winRate: nullableNum, netPnl: num })).max(24),
  rolling: z.looseObject({ '7d': tradeStatsSchema, '30d': tradeStatsSchema }),
});

/** A validated `market_analysis` report. */
export type MarketAnalysisReport = z.infer<typeof marketAnalysisReportSchema>;
/** A validated `trade_performance` report. */
export type TradePerformanceReport = z.infer<typeof tradePerformanceReportSchema>;
/** The report schema of each kind. */
export const ANALYSIS_REPORT_SCHEMAS = { market_analysis: marketAnalysisReportSchema, trade_performance: tradePerformanceReportSchema } as const;
