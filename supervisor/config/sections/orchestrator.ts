import { fraction, integer, section } from '../fields.ts';

/** `[orchestrator]`: the nightly AI cycle, candidate shadow tests and the promotion gate. */
export const orchestrator = section(
  'The nightly AI cycle (local time), candidate strategies, their shadow paper test and the promotion gate.',
  {
    start_hour: integer({ default: 3, min: 0, max: 23, doc: 'Hour the nightly window opens (local time, 24 h clock).' }),
    start_minute: integer({ default: 30, min: 0, max: 59, doc: 'Minute the nightly window opens.' }),
    end_hour: integer({
      default: 6,
      min: 0,
      max: 23,
      doc: 'Hour the nightly window closes; a window ending before it starts wraps past midnight.',
    }),
    end_minute: integer({ default: 30, min: 0, max: 59, doc: 'Minute the nightly window closes.' }),
    cycle_deadline_minutes: integer({
      default: 180,
      min: 10,
      max: 1440,
      doc: 'Deadline of one cycle (nightly or on demand), in minutes; a cycle still running is stopped as timedOut. Must fit in the window.',
    }),
    cycle_token_reserve: integer({
      default: 200_000,
      min: 0,
      max: 1_000_000_000,
      doc: 'Tokens that must remain in today\'s budget for a cycle to start; below it the cycle is skipped as budgetExhausted.',
    }),
    max_revisions: integer({
      default: 12,
      min: 1,
      max: 50,
      doc: 'Inner loop: generate/review attempts per candidate (also attempts per analysis-module update).',
    }),
    max_strategy_iterations: integer({
      default: 9,
      min: 1,
      max: 50,
      doc: 'Outer loop: backtest-review redirections per candidate.',
    }),
    max_candidates: integer({ default: 3, min: 1, max: 10, doc: 'Candidate slots shadow-trading beside the fund.' }),
    min_paper_test_trades: integer({
      default: 5,
      min: 1,
      max: 10_000,
      doc: 'Closed shadow trades a candidate needs before it can be promoted; fewer by the deadline is inconclusive.',
    }),
    min_paper_test_days: integer({
      default: 7,
      min: 1,
      max: 365,
      doc: 'Days a candidate must shadow-trade before it can be promoted.',
    }),
    paper_test_deadline_days: integer({
      default: 14,
      min: 1,
      max: 365,
      doc: 'Days after which a candidate without enough trades is inconclusive (the incumbent stays).',
    }),
    paper_test_extension_days: integer({
      default: 7,
      min: 0,
      max: 365,
      doc: 'Days an inconclusive candidate may be extended, once; 0 disables the extension.',
    }),
    promotion_min_psr: fraction({
      default: 0.95,
      min: 0.5,
      minExclusive: false,
      max: 1,
      maxExclusive: true,
      doc: 'Probabilistic Sharpe Ratio (probability, 0.95 = 95%) a candidate must reach, against the incumbent\'s Sharpe as benchmark, out of sample and in shadow, to be promoted.',
    }),
    reflection_interval_days: integer({
      default: 7,
      min: 1,
      max: 90,
      doc: 'Days between reflections (grading predictions, rewriting the strategy document); also their observation window.',
    }),
  },
);
