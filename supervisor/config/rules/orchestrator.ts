import { hhmm, windowMinutes, type ConfigRule } from './rule.ts';

/** The nightly window, token reserve and paper-test timing. */
export const orchestratorRules: readonly ConfigRule[] = [
  {
    name: 'cycle_fits_window',
    severity: 'error',
    reads: [
      'orchestrator.start_hour',
      'orchestrator.start_minute',
      'orchestrator.end_hour',
      'orchestrator.end_minute',
      'orchestrator.cycle_deadline_minutes',
    ],
    check: ({ orchestrator: o }) => {
      const window = windowMinutes(o);
      if (o.cycleDeadlineMinutes <= window) return [];
      const span = `${hhmm(o.startHour, o.startMinute)}–${hhmm(o.endHour, o.endMinute)}`;
      return [
        {
          key: 'orchestrator.cycle_deadline_minutes',
          value: o.cycleDeadlineMinutes,
          message:
            window === 0
              ? `does not fit: the nightly window ${span} is empty (it starts when it ends)`
              : `is longer than the nightly window ${span} (${window} minutes)`,
          allowed: `at most the window length (${window} minutes); widen the window or shorten the deadline`,
        },
      ];
    },
  },
  {
    name: 'token_reserve_below_daily_limit',
    severity: 'error',
    reads: ['orchestrator.cycle_token_reserve', 'ai.daily_token_limit'],
    check: ({ orchestrator, ai }) =>
      orchestrator.cycleTokenReserve < ai.dailyTokenLimit
        ? []
        : [
            {
              key: 'orchestrator.cycle_token_reserve',
              value: orchestrator.cycleTokenReserve,
              message: `is not below ai.daily_token_limit (${ai.dailyTokenLimit}): no cycle could ever start`,
              allowed: `less than ai.daily_token_limit (${ai.dailyTokenLimit})`,
            },
          ],
  },
  {
    name: 'paper_test_deadline_after_minimum',
    severity: 'error',
    reads: ['orchestrator.paper_test_deadline_days', 'orchestrator.min_paper_test_days'],
    check: ({ orchestrator: o }) =>
      o.paperTestDeadlineDays >= o.minPaperTestDays
        ? []
        : [
            {
              key: 'orchestrator.paper_test_deadline_days',
              value: o.paperTestDeadlineDays,
              message: `is shorter than orchestrator.min_paper_test_days (${o.minPaperTestDays}): every candidate would time out before it could be promoted`,
              allowed: `at least orchestrator.min_paper_test_days (${o.minPaperTestDays})`,
            },
          ],
  },
];
