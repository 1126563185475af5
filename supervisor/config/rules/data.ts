import { pct, type ConfigRule, type RuleFinding } from './rule.ts';

/** Fees and candle retention. */
export const dataRules: readonly ConfigRule[] = [
  {
    name: 'maker_fee_not_above_taker',
    severity: 'warning',
    reads: ['kraken.maker_fee_pct', 'kraken.taker_fee_pct'],
    check: ({ kraken }) =>
      kraken.makerFeePct <= kraken.takerFeePct
        ? []
        : [
            {
              key: 'kraken.maker_fee_pct',
              value: kraken.makerFeePct,
              message: `(${pct(kraken.makerFeePct)}) is above kraken.taker_fee_pct (${pct(kraken.takerFeePct)}); Kraken's maker fee never is — swapped?`,
              allowed: `at most kraken.taker_fee_pct (${kraken.takerFeePct})`,
            },
          ],
  },
  {
    name: 'retention_tiers_ordered',
    severity: 'error',
    reads: ['data.candle_5m_retention_days', 'data.candle_1h_retention_days', 'data.candle_1d_retention_years'],
    check: ({ data }) => {
      const findings: RuleFinding[] = [];
      if (data.candle5mRetentionDays > data.candle1hRetentionDays) {
        findings.push({
          key: 'data.candle_5m_retention_days',
          value: data.candle5mRetentionDays,
          message: `is longer than data.candle_1h_retention_days (${data.candle1hRetentionDays}): hourly candles aggregated from expiring 5m rows would be pruned at once`,
          allowed: `at most data.candle_1h_retention_days (${data.candle1hRetentionDays})`,
        });
      }
      if (data.candle1hRetentionDays > data.candle1dRetentionYears * 365) {
        findings.push({
          key: 'data.candle_1h_retention_days',
          value: data.candle1hRetentionDays,
          message: `is longer than data.candle_1d_retention_years (${data.candle1dRetentionYears} years = ${data.candle1dRetentionYears * 365} days): daily candles aggregated from expiring 1h rows would be pruned at once`,
          allowed: `at most ${data.candle1dRetentionYears * 365} days`,
        });
      }
      return findings;
    },
  },
];
