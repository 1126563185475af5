-- 003 candidates & learning: candidate strategies in shadow paper tests, and the orchestrator's
-- institutional memory (observations, predictions, strategy document).
-- Conventions: see 001_core_trading.sql.

-- A candidate strategy occupying a slot. The number of slots is configuration
-- (orchestrator.max_candidates), enforced by the repository, not by a CHECK; at most one running
-- candidate per slot. Rows are never overwritten: a reused slot gets a new row, and the
-- candidate_* tables hang off the candidate id, not the slot.
CREATE TABLE candidates (
  id                       INTEGER PRIMARY KEY,
  slot                     INTEGER NOT NULL CHECK (slot >= 1),
  strategy_version         TEXT NOT NULL REFERENCES strategy_versions (version),
  description              TEXT NOT NULL,
  backtest_summary         TEXT CHECK (json_valid(backtest_summary)),
  portfolio_snapshot       TEXT NOT NULL CHECK (json_valid(portfolio_snapshot)),
  starting_cash            TEXT NOT NULL CHECK (starting_cash GLOB '[0-9]*' AND starting_cash NOT GLOB '*[^0-9.]*' AND starting_cash NOT GLOB '*.*.*'),
  evaluation_duration_days INTEGER NOT NULL CHECK (evaluation_duration_days >= 1),
  status                   TEXT NOT NULL CHECK (status IN ('running', 'promoted', 'rejected', 'canceled')),
  resolution_reason        TEXT,
  created_at               INTEGER NOT NULL,
  resolved_at              INTEGER,
  CHECK ((status = 'running') = (resolved_at IS NULL))
) STRICT;
CREATE UNIQUE INDEX candidates_running_slot ON candidates (slot) WHERE status = 'running';

-- The shadow paper test a candidate must pass before promotion. The deadline is an absolute
-- time so it survives restarts (XState `after` timers do not).
CREATE TABLE paper_tests (
  id               INTEGER PRIMARY KEY,
  candidate_id     INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
  strategy_version TEXT NOT NULL REFERENCES strategy_versions (version),
  min_trades       INTEGER NOT NULL CHECK (min_trades >= 1),
  status           TEXT NOT NULL CHECK (status IN ('running', 'passed', 'failed', 'inconclusive', 'canceled')),
  result           TEXT CHECK (json_valid(result)),
  started_at       INTEGER NOT NULL,
  deadline_at      INTEGER NOT NULL,
  completed_at     INTEGER,
  CHECK (deadline_at > started_at),
  CHECK ((status = 'running') = (completed_at IS NULL))
) STRICT;
CREATE UNIQUE INDEX paper_tests_running ON paper_tests (candidate_id) WHERE status = 'running';

-- Candidate books: same columns as the fund's positions/trades/signals/daily_performance plus
-- candidate_id.
CREATE TABLE candidate_positions (
  id               INTEGER PRIMARY KEY,
  candidate_id     INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
  tag              TEXT NOT NULL CHECK (length(tag) > 0),
  symbol           TEXT NOT NULL CHECK (length(symbol) > 0),
  side             TEXT NOT NULL CHECK (side = 'long'),
  qty              TEXT NOT NULL CHECK (qty GLOB '[0-9]*' AND qty NOT GLOB '*[^0-9.]*' AND qty GLOB '*[1-9]*' AND qty NOT GLOB '*.*.*'),
  cost_basis       TEXT NOT NULL CHECK (cost_basis GLOB '[0-9]*' AND cost_basis NOT GLOB '*[^0-9.]*' AND cost_basis GLOB '*[1-9]*' AND cost_basis NOT GLOB '*.*.*'),
  entry_fees       TEXT NOT NULL CHECK (entry_fees GLOB '[0-9]*' AND entry_fees NOT GLOB '*[^0-9.]*' AND entry_fees NOT GLOB '*.*.*'),
  last_price       TEXT NOT NULL CHECK (last_price GLOB '[0-9]*' AND last_price NOT GLOB '*[^0-9.]*' AND last_price GLOB '*[1-9]*' AND last_price NOT GLOB '*.*.*'),
  stop_loss        TEXT CHECK (stop_loss GLOB '[0-9]*' AND stop_loss NOT GLOB '*[^0-9.]*' AND stop_loss GLOB '*[1-9]*' AND stop_loss NOT GLOB '*.*.*'),
  take_profit      TEXT CHECK (take_profit GLOB '[0-9]*' AND take_profit NOT GLOB '*[^0-9.]*' AND take_profit GLOB '*[1-9]*' AND take_profit NOT GLOB '*.*.*'),
  intent           TEXT NOT NULL CHECK (intent IN ('DAY', 'SWING', 'POSITION')),
  mae              TEXT NOT NULL CHECK (mae GLOB '[0-9]*' AND mae NOT GLOB '*[^0-9.]*' AND mae NOT GLOB '*.*.*'),
  seq              INTEGER NOT NULL CHECK (seq >= 0),
  strategy_version TEXT,
  strategy_regime  TEXT,
  opened_at        INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  UNIQUE (candidate_id, tag)
) STRICT;

CREATE TABLE candidate_trades (
  id                   INTEGER PRIMARY KEY,
  candidate_id         INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
  tag                  TEXT NOT NULL CHECK (length(tag) > 0),
  symbol               TEXT NOT NULL CHECK (length(symbol) > 0),
  side                 TEXT NOT NULL CHECK (side = 'long'),
  intent               TEXT NOT NULL CHECK (intent IN ('DAY', 'SWING', 'POSITION')),
  qty                  TEXT NOT NULL CHECK (qty GLOB '[0-9]*' AND qty NOT GLOB '*[^0-9.]*' AND qty GLOB '*[1-9]*' AND qty NOT GLOB '*.*.*'),
  entry_price          TEXT NOT NULL CHECK (entry_price GLOB '[0-9]*' AND entry_price NOT GLOB '*[^0-9.]*' AND entry_price GLOB '*[1-9]*' AND entry_price NOT GLOB '*.*.*'),
  exit_price           TEXT NOT NULL CHECK (exit_price GLOB '[0-9]*' AND exit_price NOT GLOB '*[^0-9.]*' AND exit_price GLOB '*[1-9]*' AND exit_price NOT GLOB '*.*.*'),
  cost_basis           TEXT NOT NULL CHECK (cost_basis GLOB '[0-9]*' AND cost_basis NOT GLOB '*[^0-9.]*' AND cost_basis GLOB '*[1-9]*' AND cost_basis NOT GLOB '*.*.*'),
  proceeds             TEXT NOT NULL CHECK (proceeds GLOB '[0-9]*' AND proceeds NOT GLOB '*[^0-9.]*' AND proceeds GLOB '*[1-9]*' AND proceeds NOT GLOB '*.*.*'),
  entry_fee            TEXT NOT NULL CHECK (entry_fee GLOB '[0-9]*' AND entry_fee NOT GLOB '*[^0-9.]*' AND entry_fee NOT GLOB '*.*.*'),
  exit_fee             TEXT NOT NULL CHECK (exit_fee GLOB '[0-9]*' AND exit_fee NOT GLOB '*[^0-9.]*' AND exit_fee NOT GLOB '*.*.*'),
  fees                 TEXT NOT NULL CHECK (fees GLOB '[0-9]*' AND fees NOT GLOB '*[^0-9.]*' AND fees NOT GLOB '*.*.*'),
  pnl                  TEXT NOT NULL CHECK (pnl GLOB '[0-9-]*' AND pnl NOT GLOB '?*[^0-9.]*' AND pnl GLOB '*[0-9]' AND pnl NOT GLOB '*.*.*'),
  pnl_fraction         TEXT NOT NULL CHECK (pnl_fraction GLOB '[0-9-]*' AND pnl_fraction NOT GLOB '?*[^0-9.]*' AND pnl_fraction GLOB '*[0-9]' AND pnl_fraction NOT GLOB '*.*.*'),
  mae                  TEXT NOT NULL CHECK (mae GLOB '[0-9]*' AND mae NOT GLOB '*[^0-9.]*' AND mae NOT GLOB '*.*.*'),
  close_reason         TEXT NOT NULL CHECK (close_reason IN ('signal', 'stop_loss', 'take_profit', 'emergency', 'reconciliation', 'promotion', 'operator', 'rollback')),
  strategy_version     TEXT,
  strategy_regime      TEXT,
  opened_at            INTEGER NOT NULL,
  closed_at            INTEGER NOT NULL,
  CHECK (closed_at >= opened_at)
) STRICT;
CREATE INDEX candidate_trades_closed ON candidate_trades (candidate_id, closed_at);

CREATE TABLE candidate_signals (
  id                 INTEGER PRIMARY KEY,
  candidate_id       INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
  symbol             TEXT NOT NULL CHECK (length(symbol) > 0),
  action             TEXT NOT NULL CHECK (action IN ('BUY', 'SELL', 'CLOSE', 'MODIFY')),
  size               TEXT CHECK (size GLOB '[0-9-]*' AND size NOT GLOB '?*[^0-9.]*' AND size GLOB '*[0-9]' AND size NOT GLOB '*.*.*'),
  order_type         TEXT CHECK (order_type IN ('MARKET', 'LIMIT')),
  limit_price        TEXT CHECK (limit_price GLOB '[0-9-]*' AND limit_price NOT GLOB '?*[^0-9.]*' AND limit_price GLOB '*[0-9]' AND limit_price NOT GLOB '*.*.*'),
  stop_loss          TEXT CHECK (stop_loss GLOB '[0-9-]*' AND stop_loss NOT GLOB '?*[^0-9.]*' AND stop_loss GLOB '*[0-9]' AND stop_loss NOT GLOB '*.*.*'),
  take_profit        TEXT CHECK (take_profit GLOB '[0-9-]*' AND take_profit NOT GLOB '?*[^0-9.]*' AND take_profit GLOB '*[0-9]' AND take_profit NOT GLOB '*.*.*'),
  slippage_tolerance TEXT CHECK (slippage_tolerance GLOB '[0-9-]*' AND slippage_tolerance NOT GLOB '?*[^0-9.]*' AND slippage_tolerance GLOB '*[0-9]' AND slippage_tolerance NOT GLOB '*.*.*'),
  intent             TEXT CHECK (intent IN ('DAY', 'SWING', 'POSITION')),
  confidence         REAL NOT NULL,
  reasoning          TEXT NOT NULL,
  tag                TEXT,
  strategy_version   TEXT NOT NULL CHECK (length(strategy_version) > 0),
  strategy_regime    TEXT,
  acted_on           INTEGER NOT NULL CHECK (acted_on IN (0, 1)),
  rejected_reason    TEXT,
  created_at         INTEGER NOT NULL,
  CHECK (acted_on = 0 OR rejected_reason IS NULL)
) STRICT;
CREATE INDEX candidate_signals_created ON candidate_signals (candidate_id, created_at);

-- Same local day label and bounds as the fund's daily_performance (the predecessor used UTC
-- dates here and local dates for the fund).
CREATE TABLE candidate_daily_performance (
  candidate_id     INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
  date             TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  day_start_at     INTEGER NOT NULL,
  day_end_at       INTEGER NOT NULL,
  portfolio_value  TEXT NOT NULL CHECK (portfolio_value GLOB '[0-9-]*' AND portfolio_value NOT GLOB '?*[^0-9.]*' AND portfolio_value GLOB '*[0-9]' AND portfolio_value NOT GLOB '*.*.*'),
  cash             TEXT NOT NULL CHECK (cash GLOB '[0-9-]*' AND cash NOT GLOB '?*[^0-9.]*' AND cash GLOB '*[0-9]' AND cash NOT GLOB '*.*.*'),
  total_trades     INTEGER NOT NULL CHECK (total_trades >= 0),
  wins             INTEGER NOT NULL CHECK (wins >= 0),
  losses           INTEGER NOT NULL CHECK (losses >= 0),
  gross_pnl        TEXT NOT NULL CHECK (gross_pnl GLOB '[0-9-]*' AND gross_pnl NOT GLOB '?*[^0-9.]*' AND gross_pnl GLOB '*[0-9]' AND gross_pnl NOT GLOB '*.*.*'),
  net_pnl          TEXT NOT NULL CHECK (net_pnl GLOB '[0-9-]*' AND net_pnl NOT GLOB '?*[^0-9.]*' AND net_pnl GLOB '*[0-9]' AND net_pnl NOT GLOB '*.*.*'),
  fees_total       TEXT NOT NULL CHECK (fees_total GLOB '[0-9]*' AND fees_total NOT GLOB '*[^0-9.]*' AND fees_total NOT GLOB '*.*.*'),
  win_rate         REAL CHECK (win_rate BETWEEN 0 AND 1),
  expectancy       TEXT CHECK (expectancy GLOB '[0-9-]*' AND expectancy NOT GLOB '?*[^0-9.]*' AND expectancy GLOB '*[0-9]' AND expectancy NOT GLOB '*.*.*'),
  max_drawdown_pct TEXT NOT NULL CHECK (max_drawdown_pct GLOB '[0-9]*' AND max_drawdown_pct NOT GLOB '*[^0-9.]*' AND max_drawdown_pct NOT GLOB '*.*.*'),
  sharpe           REAL,
  strategy_version TEXT,
  recorded_at      INTEGER NOT NULL,
  PRIMARY KEY (candidate_id, date),
  CHECK (day_end_at > day_start_at),
  CHECK (wins + losses <= total_trades),
  CHECK ((total_trades = 0) = (win_rate IS NULL)),
  CHECK ((total_trades = 0) = (expectancy IS NULL))
) STRICT;

-- Nightly findings; date is the local day label of the cycle.
CREATE TABLE orchestrator_observations (
  id                  INTEGER PRIMARY KEY,
  date                TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  cycle_id            TEXT NOT NULL CHECK (length(cycle_id) > 0),
  market_summary      TEXT NOT NULL,
  strategy_assessment TEXT NOT NULL,
  notable_findings    TEXT NOT NULL,
  strategy_version    TEXT,
  doc_flag            INTEGER NOT NULL CHECK (doc_flag IN (0, 1)),
  flag_reason         TEXT,
  created_at          INTEGER NOT NULL,
  UNIQUE (date, cycle_id)
) STRICT;
CREATE INDEX orchestrator_observations_created ON orchestrator_observations (created_at);

-- Falsifiable claims and, later, their grades.
CREATE TABLE predictions (
  id                   INTEGER PRIMARY KEY,
  cycle_id             TEXT NOT NULL CHECK (length(cycle_id) > 0),
  claim                TEXT NOT NULL CHECK (length(claim) > 0),
  evidence             TEXT NOT NULL,
  falsification        TEXT NOT NULL CHECK (length(falsification) > 0),
  confidence           TEXT NOT NULL CHECK (confidence IN ('low', 'medium', 'high')),
  evaluation_timeframe TEXT NOT NULL,
  category             TEXT NOT NULL,
  created_at           INTEGER NOT NULL,
  grade                TEXT CHECK (grade IN ('confirmed', 'refuted', 'partiallyConfirmed', 'inconclusive')),
  grade_evidence       TEXT,
  grade_learning       TEXT,
  graded_at            INTEGER,
  CHECK ((grade IS NULL) = (graded_at IS NULL))
) STRICT;
CREATE INDEX predictions_cycle ON predictions (cycle_id);
CREATE INDEX predictions_graded ON predictions (graded_at);

-- Permanent archive of the strategy document; version n + 1 supersedes n. Never pruned.
CREATE TABLE strategy_doc_versions (
  id                  INTEGER PRIMARY KEY,
  version             INTEGER NOT NULL UNIQUE CHECK (version >= 1),
  content             TEXT NOT NULL,
  reflection_cycle_id TEXT,
  created_at          INTEGER NOT NULL
) STRICT;
