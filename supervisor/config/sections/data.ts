import { integer, section } from '../fields.ts';

/** `[data]`: tiered candle retention. */
export const data = section(
  'Tiered candle retention: 5m candles are aggregated into 1h, 1h into 1d, before the finer rows are pruned.',
  {
    candle_5m_retention_days: integer({ default: 30, min: 1, max: 3650, doc: 'Days of 5-minute candles kept.' }),
    candle_1h_retention_days: integer({ default: 365, min: 1, max: 36_500, doc: 'Days of 1-hour candles kept.' }),
    candle_1d_retention_years: integer({ default: 7, min: 1, max: 100, doc: 'Years of daily candles kept.' }),
  },
);
