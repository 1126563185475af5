-- 004 runtime state: persisted actor snapshots, strategy state and the activity timeline.
-- Conventions: see 001_core_trading.sql.

-- Latest persisted XState snapshot of each long-lived actor (fund, symbol:BTC/USD, order:<id>,
-- ...). snapshot_version is the version of the snapshot *shape* for that machine, so a restore
-- can refuse or upgrade a snapshot written by different code.
CREATE TABLE actor_snapshots (
  actor_id         TEXT PRIMARY KEY NOT NULL CHECK (length(actor_id) > 0),
  machine          TEXT NOT NULL CHECK (length(machine) > 0),
  snapshot_version INTEGER NOT NULL CHECK (snapshot_version >= 1),
  snapshot         TEXT NOT NULL CHECK (json_valid(snapshot)),
  updated_at       INTEGER NOT NULL
) STRICT;

-- The strategy's own getState() output, saved after scans; the repository keeps the last few.
CREATE TABLE strategy_state (
  id               INTEGER PRIMARY KEY,
  strategy_version TEXT NOT NULL CHECK (length(strategy_version) > 0),
  state            TEXT NOT NULL CHECK (json_valid(state)),
  saved_at         INTEGER NOT NULL
) STRICT;
CREATE INDEX strategy_state_version ON strategy_state (strategy_version, saved_at);

-- Unified timeline of what the system did, for operators (Telegram, API, dashboard).
CREATE TABLE activity_log (
  id       INTEGER PRIMARY KEY,
  ts       INTEGER NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('trade', 'risk', 'system', 'scan', 'orchestrator', 'strategy', 'candidate', 'operator')),
  severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error')),
  summary  TEXT NOT NULL CHECK (length(summary) > 0),
  detail   TEXT CHECK (json_valid(detail))
) STRICT;
CREATE INDEX activity_log_ts ON activity_log (ts);
CREATE INDEX activity_log_category ON activity_log (category, ts);
