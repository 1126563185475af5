import { integer, section } from '../fields.ts';

/** `[sandbox]`: limits of the strategy runner process and its engine. */
export const sandbox = section(
  'Limits of the sandbox that runs strategy and analysis code (a separate runner process with no secrets).',
  {
    memory_mb: integer({ default: 64, min: 8, max: 2048, doc: 'Engine heap limit per strategy, in MiB.' }),
    stack_kb: integer({ default: 512, min: 64, max: 65_536, doc: 'Engine stack limit, in KiB.' }),
    call_deadline_ms: integer({
      default: 1000,
      min: 10,
      max: 60_000,
      doc: 'Wall-clock budget of one strategy call (analyze for all symbols at one timestamp), in milliseconds.',
    }),
    analysis_deadline_ms: integer({
      default: 30_000,
      min: 100,
      max: 600_000,
      doc: 'Wall-clock budget of one analysis-module run, in milliseconds.',
    }),
    max_message_bytes: integer({
      default: 16_777_216,
      min: 65_536,
      max: 268_435_456,
      doc: 'Largest JSON message between the fund and the runner, in bytes (16 MiB).',
    }),
    max_runner_restarts: integer({
      default: 5,
      min: 0,
      max: 100,
      doc: 'Runner restarts allowed within runner_restart_window_minutes; one more and the strategy region goes to paused.',
    }),
    runner_restart_window_minutes: integer({
      default: 60,
      min: 1,
      max: 1440,
      doc: 'Sliding window over which runner restarts are counted, in minutes.',
    }),
  },
);
