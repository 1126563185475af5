-- 001 core trading: the fund's books, market data, orders and the strategy version index.
--
-- Conventions (all migrations):
--   * every table is STRICT: the declared type is enforced, so a timestamp cannot be stored as
--     text or a float, and money cannot be stored as a float;
--   * money, prices, quantities, fees and money-derived fractions are TEXT exact decimals written
--     by domain/money `toString` ('0.00000001', '-12.5'). The CHECKs reject floats rendered as
--     '1.0e-08', a sign where a value must be positive, and garbage:
--       positive:      x GLOB '[0-9]*' AND x NOT GLOB '*[^0-9.]*' AND x GLOB '*[1-9]*' AND x NOT GLOB '*.*.*'
--       non-negative:  x GLOB '[0-9]*' AND x NOT GLOB '*[^0-9.]*' AND x NOT GLOB '*.*.*'
--       signed:        x GLOB '[0-9-]*' AND x NOT GLOB '?*[^0-9.]*' AND x GLOB '*[0-9]' AND x NOT GLOB '*.*.*'
--     (SQL arithmetic on these columns is float: sum them in TypeScript with domain/money);
--   * timestamps are INTEGER milliseconds since the epoch, UTC (*_at, ts_*); a local calendar
--     day is a 'YYYY-MM-DD' label next to its UTC bounds, never a date string to compare;
--   * JSON columns are TEXT checked with json_valid(); booleans are INTEGER 0/1.
-- A CHECK on NULL passes, so nullable columns carry the same CHECK as required ones.
-- Migrations contain no BEGIN/COMMIT/PRAGMA: the runner wraps all pending ones in one transaction.

-- Persistent key/value facts (paper starting capital, Kraken nonces, reflection flags, ...).
CREATE TABLE system_meta (
  key        TEXT PRIMARY KEY NOT NULL CHECK (length(key) > 0),
  value      TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

-- Tiered OHLCV candles. Prices and volume are REAL: domain/market Candle is float64 by design
-- (candles feed indicators and fill triggers; money that changes hands is exact, in fills), and
-- REAL round-trips every float64 exactly.
CREATE TABLE candles (
  symbol    TEXT NOT NULL CHECK (length(symbol) > 0),
  timeframe TEXT NOT NULL CHECK (timeframe IN ('5m', '1h', '1d')),
  ts_open   INTEGER NOT NULL,
  open      REAL NOT NULL,
  high      REAL NOT NULL,
  low       REAL NOT NULL,
  close     REAL NOT NULL,
  volume    REAL NOT NULL,
  CHECK (low > 0 AND low <= open AND low <= close AND high >= open AND high >= close AND volume >= 0),
  PRIMARY KEY (symbol, timeframe, ts_open)
) STRICT, WITHOUT ROWID;

-- Strategy versions: index, lineage and source code (the DB fallback when the file is missing).
-- Candidate versions live here too (deployed_at stays NULL unless promoted).
CREATE TABLE strategy_versions (
  id                 INTEGER PRIMARY KEY,
  version            TEXT NOT NULL UNIQUE CHECK (length(version) > 0),
  parent_version     TEXT REFERENCES strategy_versions (version),
  code               TEXT NOT NULL,
  code_hash          TEXT NOT NULL CHECK (length(code_hash) > 0),
  risk_tier          INTEGER CHECK (risk_tier BETWEEN 0 AND 3),
  description        TEXT NOT NULL,
  backtest_result    TEXT CHECK (json_valid(backtest_result)),
  shadow_test_result TEXT CHECK (json_valid(shadow_test_result)),
  market_conditions  TEXT,
  created_at         INTEGER NOT NULL,
  deployed_at        INTEGER,
  retired_at         INTEGER,
  CHECK (retired_at IS NULL OR deployed_at IS NOT NULL)
) STRICT;
CREATE INDEX strategy_versions_deployed ON strategy_versions (deployed_at);

-- Open fund positions, one row per tag; several per symbol. Mirrors domain/portfolio Position:
-- cost_basis is the exact quote paid for qty (the average entry is derived, never stored), and
-- FIFO order is (opened_at, seq).
CREATE TABLE positions (
  id               INTEGER PRIMARY KEY,
  tag              TEXT NOT NULL UNIQUE CHECK (length(tag) > 0),
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
  updated_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX positions_symbol ON positions (symbol, opened_at, seq);

-- Every fund signal the strategy emitted (after contract validation), acted on or rejected by
-- the risk checks (with the reason). Prices and sizes are the strategy's numbers made exact.
CREATE TABLE signals (
  id                 INTEGER PRIMARY KEY,
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
CREATE INDEX signals_created ON signals (created_at);

-- Orders, written before the request leaves (persist, then act). Mirrors domain/orders Order.
-- client_order_id is the idempotency key sent to the venue (Kraken cl_ord_id: UUID, 32 hex or
-- <= 18 ASCII chars); venue_order_id is the Kraken txid once accepted. Fills are in `fills`.
CREATE TABLE orders (
  id              INTEGER PRIMARY KEY,
  client_order_id TEXT NOT NULL UNIQUE CHECK (length(client_order_id) BETWEEN 1 AND 36),
  venue_order_id  TEXT UNIQUE CHECK (length(venue_order_id) > 0),
  signal_id       INTEGER REFERENCES signals (id) ON DELETE SET NULL,
  tag             TEXT CHECK (length(tag) > 0),
  symbol          TEXT NOT NULL CHECK (length(symbol) > 0),
  side            TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  type            TEXT NOT NULL CHECK (type IN ('market', 'limit', 'stop-loss', 'take-profit')),
  purpose         TEXT NOT NULL CHECK (purpose IN ('entry', 'exit', 'stopLoss', 'takeProfit')),
  quantity        TEXT NOT NULL CHECK (quantity GLOB '[0-9]*' AND quantity NOT GLOB '*[^0-9.]*' AND quantity GLOB '*[1-9]*' AND quantity NOT GLOB '*.*.*'),
  limit_price     TEXT CHECK (limit_price GLOB '[0-9]*' AND limit_price NOT GLOB '*[^0-9.]*' AND limit_price GLOB '*[1-9]*' AND limit_price NOT GLOB '*.*.*'),
  trigger_price   TEXT CHECK (trigger_price GLOB '[0-9]*' AND trigger_price NOT GLOB '*[^0-9.]*' AND trigger_price GLOB '*[1-9]*' AND trigger_price NOT GLOB '*.*.*'),
  status          TEXT NOT NULL CHECK (status IN ('new', 'submitted', 'accepted', 'partiallyFilled', 'filled', 'pendingCancel', 'canceled', 'rejected', 'expired', 'unknown')),
  filled_quantity TEXT NOT NULL CHECK (filled_quantity GLOB '[0-9]*' AND filled_quantity NOT GLOB '*[^0-9.]*' AND filled_quantity NOT GLOB '*.*.*'),
  filled_notional TEXT NOT NULL CHECK (filled_notional GLOB '[0-9]*' AND filled_notional NOT GLOB '*[^0-9.]*' AND filled_notional NOT GLOB '*.*.*'),
  avg_fill_price  TEXT CHECK (avg_fill_price GLOB '[0-9]*' AND avg_fill_price NOT GLOB '*[^0-9.]*' AND avg_fill_price GLOB '*[1-9]*' AND avg_fill_price NOT GLOB '*.*.*'),
  fee_total       TEXT NOT NULL CHECK (fee_total GLOB '[0-9]*' AND fee_total NOT GLOB '*[^0-9.]*' AND fee_total NOT GLOB '*.*.*'),
  reason          TEXT,
  venue_response  TEXT CHECK (json_valid(venue_response)),
  ts_init         INTEGER NOT NULL,
  ts_event        INTEGER,
  updated_at      INTEGER NOT NULL,
  CHECK ((type = 'limit') = (limit_price IS NOT NULL)),
  CHECK ((type IN ('stop-loss', 'take-profit')) = (trigger_price IS NOT NULL))
) STRICT;
CREATE INDEX orders_status ON orders (status);
CREATE INDEX orders_tag ON orders (tag);

-- One row per execution reported by the venue. The venue trade id makes recording idempotent:
-- the same execution seen on the WebSocket and again in a REST reconciliation is stored once.
CREATE TABLE fills (
  id              INTEGER PRIMARY KEY,
  client_order_id TEXT NOT NULL REFERENCES orders (client_order_id),
  trade_id        TEXT NOT NULL UNIQUE CHECK (length(trade_id) > 0),
  quantity        TEXT NOT NULL CHECK (quantity GLOB '[0-9]*' AND quantity NOT GLOB '*[^0-9.]*' AND quantity GLOB '*[1-9]*' AND quantity NOT GLOB '*.*.*'),
  price           TEXT NOT NULL CHECK (price GLOB '[0-9]*' AND price NOT GLOB '*[^0-9.]*' AND price GLOB '*[1-9]*' AND price NOT GLOB '*.*.*'),
  fee             TEXT NOT NULL CHECK (fee GLOB '[0-9]*' AND fee NOT GLOB '*[^0-9.]*' AND fee NOT GLOB '*.*.*'),
  liquidity       TEXT CHECK (liquidity IN ('maker', 'taker')),
  ts_event        INTEGER NOT NULL,
  ts_init         INTEGER NOT NULL
) STRICT;
CREATE INDEX fills_order ON fills (client_order_id);
CREATE INDEX fills_event ON fills (ts_event);

-- Exchange-native protective orders of a position (Kraken has no OCO: we cancel the sibling).
-- History is kept; at most one active row per tag.
CREATE TABLE conditional_orders (
  id                          INTEGER PRIMARY KEY,
  tag                         TEXT NOT NULL CHECK (length(tag) > 0),
  symbol                      TEXT NOT NULL CHECK (length(symbol) > 0),
  quantity                    TEXT NOT NULL CHECK (quantity GLOB '[0-9]*' AND quantity NOT GLOB '*[^0-9.]*' AND quantity GLOB '*[1-9]*' AND quantity NOT GLOB '*.*.*'),
  entry_client_order_id       TEXT REFERENCES orders (client_order_id),
  stop_client_order_id        TEXT REFERENCES orders (client_order_id),
  take_profit_client_order_id TEXT REFERENCES orders (client_order_id),
  stop_price                  TEXT CHECK (stop_price GLOB '[0-9]*' AND stop_price NOT GLOB '*[^0-9.]*' AND stop_price GLOB '*[1-9]*' AND stop_price NOT GLOB '*.*.*'),
  take_profit_price           TEXT CHECK (take_profit_price GLOB '[0-9]*' AND take_profit_price NOT GLOB '*[^0-9.]*' AND take_profit_price GLOB '*[1-9]*' AND take_profit_price NOT GLOB '*.*.*'),
  status                      TEXT NOT NULL CHECK (status IN ('active', 'canceled', 'filledStopLoss', 'filledTakeProfit')),
  created_at                  INTEGER NOT NULL,
  updated_at                  INTEGER NOT NULL,
  CHECK (stop_client_order_id IS NOT NULL OR take_profit_client_order_id IS NOT NULL),
  CHECK ((stop_client_order_id IS NULL) = (stop_price IS NULL)),
  CHECK ((take_profit_client_order_id IS NULL) = (take_profit_price IS NULL))
) STRICT;
CREATE UNIQUE INDEX conditional_orders_active_tag ON conditional_orders (tag) WHERE status = 'active';
CREATE INDEX conditional_orders_status ON conditional_orders (status);

-- One row per (partial) close of a fund position; never written at entry. Mirrors
-- domain/portfolio ClosedTrade: pnl = proceeds - cost_basis - entry_fee - exit_fee, and
-- pnl_fraction = pnl / cost_basis (0.05 = +5 %).
CREATE TABLE trades (
  id                   INTEGER PRIMARY KEY,
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
  exit_client_order_id TEXT REFERENCES orders (client_order_id),
  opened_at            INTEGER NOT NULL,
  closed_at            INTEGER NOT NULL,
  CHECK (closed_at >= opened_at)
) STRICT;
CREATE INDEX trades_closed ON trades (closed_at);
CREATE INDEX trades_symbol_closed ON trades (symbol, closed_at);
CREATE INDEX trades_tag ON trades (tag);

-- End-of-day snapshot keyed by the local day label; day_start_at/day_end_at are that local day's
-- bounds in UTC ms, so "the day's trades" is a range on closed_at.
CREATE TABLE daily_performance (
  date             TEXT PRIMARY KEY NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
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
  CHECK (day_end_at > day_start_at),
  CHECK (wins + losses <= total_trades),
  CHECK ((total_trades = 0) = (win_rate IS NULL)),
  CHECK ((total_trades = 0) = (expectancy IS NULL))
) STRICT;

-- Deposits, withdrawals and adjustments: the capital base for returns and for cash from first
-- principles. Deposits and withdrawals store a positive magnitude (the kind gives the sign);
-- an adjustment stores its own non-zero signed amount. Net contribution =
-- sum(deposit) - sum(withdrawal) + sum(adjustment) (domain/portfolio capitalDelta).
CREATE TABLE capital_events (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('deposit', 'withdrawal', 'adjustment')),
  amount      TEXT NOT NULL,
  currency    TEXT NOT NULL CHECK (length(currency) > 0),
  ts_event    INTEGER NOT NULL,
  day_key     TEXT NOT NULL CHECK (day_key GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  venue_ref   TEXT UNIQUE CHECK (length(venue_ref) > 0),
  note        TEXT,
  recorded_at INTEGER NOT NULL,
  CHECK (
    (kind IN ('deposit', 'withdrawal') AND amount GLOB '[0-9]*' AND amount NOT GLOB '*[^0-9.]*' AND amount GLOB '*[1-9]*' AND amount NOT GLOB '*.*.*')
    OR (kind = 'adjustment' AND amount GLOB '[0-9-]*' AND amount NOT GLOB '?*[^0-9.]*' AND amount GLOB '*[0-9]' AND amount NOT GLOB '*.*.*' AND amount GLOB '*[1-9]*')
  )
) STRICT;
CREATE INDEX capital_events_ts ON capital_events (ts_event);

-- Per-scan audit trail (about 288 rows a day per symbol at 5-minute scans).
CREATE TABLE scan_results (
  id                INTEGER PRIMARY KEY,
  scanned_at        INTEGER NOT NULL,
  symbol            TEXT NOT NULL CHECK (length(symbol) > 0),
  price             TEXT CHECK (price GLOB '[0-9]*' AND price NOT GLOB '*[^0-9.]*' AND price GLOB '*[1-9]*' AND price NOT GLOB '*.*.*'),
  spread            TEXT CHECK (spread GLOB '[0-9]*' AND spread NOT GLOB '*[^0-9.]*' AND spread NOT GLOB '*.*.*'),
  signal_generated  INTEGER NOT NULL CHECK (signal_generated IN (0, 1)),
  signal_action     TEXT CHECK (signal_action IN ('BUY', 'SELL', 'CLOSE', 'MODIFY')),
  signal_confidence REAL,
  CHECK (signal_generated = 1 OR (signal_action IS NULL AND signal_confidence IS NULL))
) STRICT;
CREATE INDEX scan_results_scanned ON scan_results (scanned_at);
CREATE INDEX scan_results_symbol ON scan_results (symbol, scanned_at);

-- Per-pair fee rates as fractions (0.0025 = 0.25 %), one row per check; the latest row wins.
CREATE TABLE fee_schedule (
  id          INTEGER PRIMARY KEY,
  symbol      TEXT NOT NULL CHECK (length(symbol) > 0),
  maker_fee   TEXT NOT NULL CHECK (maker_fee GLOB '[0-9]*' AND maker_fee NOT GLOB '*[^0-9.]*' AND maker_fee NOT GLOB '*.*.*'),
  taker_fee   TEXT NOT NULL CHECK (taker_fee GLOB '[0-9]*' AND taker_fee NOT GLOB '*[^0-9.]*' AND taker_fee NOT GLOB '*.*.*'),
  volume_30d  TEXT CHECK (volume_30d GLOB '[0-9]*' AND volume_30d NOT GLOB '*[^0-9.]*' AND volume_30d NOT GLOB '*.*.*'),
  tier_volume TEXT CHECK (tier_volume GLOB '[0-9]*' AND tier_volume NOT GLOB '*[^0-9.]*' AND tier_volume NOT GLOB '*.*.*'),
  checked_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX fee_schedule_symbol ON fee_schedule (symbol, checked_at);
