-- 002 orchestrator & AI: cycles, the thought spool, token accounting and analysis-module code.
-- Conventions: see 001_core_trading.sql.

-- One row per orchestrator cycle (nightly or on demand).
CREATE TABLE orchestrator_log (
  id                    INTEGER PRIMARY KEY,
  cycle_id              TEXT NOT NULL UNIQUE CHECK (length(cycle_id) > 0),
  date                  TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  decision              TEXT NOT NULL CHECK (length(decision) > 0),
  outcome               TEXT NOT NULL CHECK (length(outcome) > 0),
  analysis              TEXT CHECK (json_valid(analysis)),
  changes               TEXT,
  strategy_version_from TEXT,
  strategy_version_to   TEXT,
  tokens_used           INTEGER NOT NULL CHECK (tokens_used >= 0),
  cost_usd              TEXT NOT NULL CHECK (cost_usd GLOB '[0-9]*' AND cost_usd NOT GLOB '*[^0-9.]*' AND cost_usd NOT GLOB '*.*.*'),
  started_at            INTEGER NOT NULL,
  finished_at           INTEGER NOT NULL,
  CHECK (finished_at >= started_at)
) STRICT;
CREATE INDEX orchestrator_log_started ON orchestrator_log (started_at);

-- The thought spool: every AI response, with what it was asked and what was parsed from it.
CREATE TABLE orchestrator_thoughts (
  id            INTEGER PRIMARY KEY,
  cycle_id      TEXT NOT NULL CHECK (length(cycle_id) > 0),
  step          TEXT NOT NULL CHECK (length(step) > 0),
  model         TEXT NOT NULL CHECK (length(model) > 0),
  input_summary TEXT NOT NULL,
  full_response TEXT NOT NULL,
  parsed_result TEXT CHECK (json_valid(parsed_result)),
  created_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX orchestrator_thoughts_cycle ON orchestrator_thoughts (cycle_id, created_at);
CREATE INDEX orchestrator_thoughts_created ON orchestrator_thoughts (created_at);

-- Every AI call's tokens and cost (USD, exact decimal); the daily budget is summed from here.
CREATE TABLE token_usage (
  id                 INTEGER PRIMARY KEY,
  model              TEXT NOT NULL CHECK (length(model) > 0),
  purpose            TEXT NOT NULL CHECK (length(purpose) > 0),
  cycle_id           TEXT,
  input_tokens       INTEGER NOT NULL CHECK (input_tokens >= 0),
  output_tokens      INTEGER NOT NULL CHECK (output_tokens >= 0),
  cache_read_tokens  INTEGER NOT NULL CHECK (cache_read_tokens >= 0),
  cache_write_tokens INTEGER NOT NULL CHECK (cache_write_tokens >= 0),
  cost_usd           TEXT NOT NULL CHECK (cost_usd GLOB '[0-9]*' AND cost_usd NOT GLOB '*[^0-9.]*' AND cost_usd NOT GLOB '*.*.*'),
  created_at         INTEGER NOT NULL
) STRICT;
CREATE INDEX token_usage_created ON token_usage (created_at);

-- Versions of the two AI-rewritable analysis modules (market analysis, trade performance).
CREATE TABLE analysis_module_versions (
  id             INTEGER PRIMARY KEY,
  module         TEXT NOT NULL CHECK (length(module) > 0),
  version        TEXT NOT NULL CHECK (length(version) > 0),
  parent_version TEXT,
  code           TEXT NOT NULL,
  code_hash      TEXT NOT NULL CHECK (length(code_hash) > 0),
  description    TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  deployed_at    INTEGER,
  retired_at     INTEGER,
  UNIQUE (module, version),
  FOREIGN KEY (module, parent_version) REFERENCES analysis_module_versions (module, version),
  CHECK (retired_at IS NULL OR deployed_at IS NOT NULL)
) STRICT;
CREATE INDEX analysis_module_versions_deployed ON analysis_module_versions (module, deployed_at);
