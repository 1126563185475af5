-- 005 fund checkpoint: the running fund's books and progress, written in the same transaction as
-- the rows a scan produced (persist, then act: DESIGN.md §3). Conventions: see 001_core_trading.sql.

-- One row per fund (fund_id 1 for the fund; candidate shadow books keep their own tables).
-- `books` is the decision pipeline's state (ledger, risk, resting orders, marks, fee volume) as
-- codec JSON (exact decimals as strings); `strategy_state` the strategy's getState() at that step;
-- `step` counts processed market steps and `step_ms` is the close time of the last one, so a
-- restart resumes at the next candle close and never processes one twice.
CREATE TABLE fund_checkpoint (
  fund_id         INTEGER PRIMARY KEY CHECK (fund_id >= 1),
  step            INTEGER NOT NULL CHECK (step >= 0),
  step_ms         INTEGER NOT NULL,
  books           TEXT NOT NULL CHECK (json_valid(books)),
  strategy_version TEXT,
  strategy_state  TEXT CHECK (json_valid(strategy_state)),
  updated_at      INTEGER NOT NULL
) STRICT;
