import { fraction, number, oneOf, section, text } from '../fields.ts';

/** `[general]`: run mode, paper capital, clock, logging, where data lives. */
export const general = section('Run mode, paper capital, time zone, logging and the data directory.', {
  mode: oneOf({
    values: ['paper', 'live'],
    default: 'paper',
    doc: 'paper trades simulated fills on live Kraken prices; live sends real orders to Kraken (needs KRAKEN_API_KEY and KRAKEN_API_SECRET).',
    hints: {
      backtest: 'backtest runs are chosen on the command line (brain backtest), not in brain.toml',
      sim: 'simulation runs are chosen on the command line (brain sim), not in brain.toml',
      demo: 'the offline demo is chosen on the command line (brain demo), not in brain.toml',
    },
  }),
  paper_balance_usd: number({
    default: 200,
    min: 0,
    minExclusive: true,
    max: 1_000_000_000,
    decimals: 2,
    doc: 'Paper-mode starting capital in USD. Used on the first boot only; after that the stored ledger is the truth.',
  }),
  timezone: text({
    default: 'America/Toronto',
    format: 'timezone',
    doc: 'Time zone of every schedule and of "today": daily reset and snapshot, weekly report, the orchestrator window.',
  }),
  log_level: oneOf({
    values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    default: 'info',
    doc: 'Least severe log level written (pino level names, lower case).',
  }),
  log_format: oneOf({
    values: ['auto', 'json', 'pretty'],
    default: 'auto',
    doc: 'auto writes human-readable lines on a terminal and JSON otherwise (journald); json and pretty force one.',
  }),
  default_slippage_factor: fraction({
    default: 0.0005,
    min: 0,
    minExclusive: false,
    max: 0.05,
    doc: 'Paper/backtest slippage as a fraction of price (0.0005 = 0.05%) when a signal gives no slippage_tolerance.',
  }),
  data_dir: text({
    default: 'data',
    format: 'path',
    doc: 'Directory for the PID lock, backups and other runtime files.',
  }),
});

/** `[database]`: the embedded libSQL file. */
export const database = section('The embedded libSQL database.', {
  path: text({
    default: 'data/brain.db',
    format: 'path',
    doc: 'Database file (WAL mode, so brain.db-wal and brain.db-shm appear beside it).',
  }),
  busy_timeout_ms: number({
    default: 5000,
    min: 0,
    max: 60_000,
    integer: true,
    doc: 'How long a statement waits for a lock held by another connection (backup, analysis reader), in milliseconds.',
  }),
});
