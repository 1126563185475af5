import { boolean, fraction, integer, section } from '../fields.ts';

const pctOfValue = '(fraction of total portfolio value: 0.1 = 10%)';

/**
 * `[risk.*]`: hard limits the AI can never change. Defaults are the predecessor's HEAD values
 * (reference/predecessor.md §1.2). Exits (SELL, CLOSE, MODIFY) are never blocked by them.
 */
export const risk = section('Hard risk limits: read only by humans, never changed by the AI. Exits are never blocked.', {
  position: section('Position limits.', {
    max_position_pct: fraction({
      default: 0.25,
      doc: `Largest value held in one symbol, all tags together ${pctOfValue}.`,
    }),
    max_positions: integer({ default: 18, min: 1, max: 1000, doc: 'Most open positions (tags) at once; average-ins into an open tag do not count.' }),
  }),
  daily: section('Daily limits; the day is the local day of general.timezone.', {
    max_daily_loss_pct: fraction({
      default: 0.1,
      doc: "Entries are refused once today's loss exceeds this fraction of the start-of-day portfolio value (0.1 = 10%).",
    }),
    max_daily_trades: integer({ default: 20, min: 1, max: 100_000, doc: 'Entries allowed per local day (counts entries, not closes).' }),
    daily_loss_includes_unrealized: boolean({
      default: true,
      doc: 'Count unrealized losses of open positions in the daily loss (the predecessor counted realized only).',
    }),
  }),
  per_trade: section('Per-trade sizing.', {
    max_trade_pct: fraction({ default: 0.1, doc: `Largest single entry ${pctOfValue}; larger signals are refused.` }),
    default_trade_pct: fraction({ default: 0.06, doc: `Entry size suggested to strategies ${pctOfValue}.` }),
    default_stop_loss_pct: fraction({
      default: 0.03,
      maxExclusive: true,
      doc: 'Stop-loss distance suggested to strategies (fraction of entry price: 0.03 = 3% below entry).',
    }),
    default_take_profit_pct: fraction({
      default: 0.09,
      max: 10,
      doc: 'Take-profit distance suggested to strategies (fraction of entry price: 0.09 = 9% above entry).',
    }),
  }),
  emergency: section('Emergency backstops.', {
    kill_switch: boolean({ default: false, doc: 'Refuse every new entry (exits still run). Only this file can turn it off.' }),
    max_drawdown_pct: fraction({
      default: 0.4,
      doc: 'Halt when the portfolio falls this far below its peak (fraction of peak value: 0.4 = 40%).',
    }),
  }),
  rollback: section('Rollback triggers: the fund halts and reverts to the previous strategy version.', {
    max_daily_loss_pct: fraction({
      default: 0.15,
      doc: 'Revert when the portfolio drops this far below its start-of-day value (0.15 = 15%).',
    }),
    max_consecutive_losses: integer({
      default: 999,
      min: 1,
      max: 100_000,
      doc: 'Revert after this many losing closes in a row (999 effectively disables it).',
    }),
  }),
});
