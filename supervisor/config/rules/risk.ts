import type { ConfigRule } from './rule.ts';

/** Risk limits that contradict or shadow each other. */
export const riskRules: readonly ConfigRule[] = [
  {
    name: 'trade_within_position',
    severity: 'error',
    reads: ['risk.per_trade.max_trade_pct', 'risk.position.max_position_pct'],
    check: ({ risk }) =>
      risk.perTrade.maxTradePct <= risk.position.maxPositionPct
        ? []
        : [
            {
              key: 'risk.per_trade.max_trade_pct',
              value: risk.perTrade.maxTradePct,
              message: `is larger than risk.position.max_position_pct (${risk.position.maxPositionPct}): one entry could break the per-symbol limit`,
              allowed: `at most risk.position.max_position_pct (${risk.position.maxPositionPct})`,
            },
          ],
  },
  {
    name: 'default_trade_within_max_trade',
    severity: 'error',
    reads: ['risk.per_trade.default_trade_pct', 'risk.per_trade.max_trade_pct'],
    check: ({ risk }) =>
      risk.perTrade.defaultTradePct <= risk.perTrade.maxTradePct
        ? []
        : [
            {
              key: 'risk.per_trade.default_trade_pct',
              value: risk.perTrade.defaultTradePct,
              message: `is larger than risk.per_trade.max_trade_pct (${risk.perTrade.maxTradePct}): the suggested size would be refused`,
              allowed: `at most risk.per_trade.max_trade_pct (${risk.perTrade.maxTradePct})`,
            },
          ],
  },
  {
    name: 'daily_loss_reachable_before_drawdown',
    severity: 'warning',
    reads: ['risk.daily.max_daily_loss_pct', 'risk.emergency.max_drawdown_pct'],
    check: ({ risk }) =>
      risk.daily.maxDailyLossPct <= risk.emergency.maxDrawdownPct
        ? []
        : [
            {
              key: 'risk.daily.max_daily_loss_pct',
              value: risk.daily.maxDailyLossPct,
              message: `is larger than risk.emergency.max_drawdown_pct (${risk.emergency.maxDrawdownPct}): the drawdown halt always comes first, so this limit never acts`,
              allowed: `at most risk.emergency.max_drawdown_pct (${risk.emergency.maxDrawdownPct})`,
            },
          ],
  },
  {
    name: 'rollback_after_daily_loss_block',
    severity: 'warning',
    reads: ['risk.rollback.max_daily_loss_pct', 'risk.daily.max_daily_loss_pct'],
    check: ({ risk }) =>
      risk.rollback.maxDailyLossPct >= risk.daily.maxDailyLossPct
        ? []
        : [
            {
              key: 'risk.rollback.max_daily_loss_pct',
              value: risk.rollback.maxDailyLossPct,
              message: `is smaller than risk.daily.max_daily_loss_pct (${risk.daily.maxDailyLossPct}): the rollback halt comes first, so the daily-loss entry block never acts`,
              allowed: `at least risk.daily.max_daily_loss_pct (${risk.daily.maxDailyLossPct})`,
            },
          ],
  },
  {
    name: 'rollback_reachable_before_drawdown',
    severity: 'warning',
    reads: ['risk.rollback.max_daily_loss_pct', 'risk.emergency.max_drawdown_pct'],
    check: ({ risk }) =>
      risk.rollback.maxDailyLossPct <= risk.emergency.maxDrawdownPct
        ? []
        : [
            {
              key: 'risk.rollback.max_daily_loss_pct',
              value: risk.rollback.maxDailyLossPct,
              message: `is larger than risk.emergency.max_drawdown_pct (${risk.emergency.maxDrawdownPct}): the drawdown halt always comes first, so no rollback on a daily drop ever happens`,
              allowed: `at most risk.emergency.max_drawdown_pct (${risk.emergency.maxDrawdownPct})`,
            },
          ],
  },
  {
    name: 'kill_switch_on',
    severity: 'warning',
    reads: ['risk.emergency.kill_switch'],
    check: ({ risk }) =>
      risk.emergency.killSwitch
        ? [{ key: 'risk.emergency.kill_switch', value: true, message: 'is on: no new position will be opened (exits still run)', allowed: 'false to trade' }]
        : [],
  },
];
