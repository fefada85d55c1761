-- State schema, file 002: schema migration runs, their steps, batch checkpoints and log
-- (docs/migration.md). Written by `stella evidence migrate`; read by --status, --logs, --resume and
-- --rollback.

-- One run: a migration (kind 'migrate', steps going up) or an explicit rollback of an earlier
-- migration (kind 'rollback', steps going down).
--   running          a migration is moving the store forward
--   rolling_back     a migration is being undone (after a failure, or by an operator), or a
--                    rollback run is in progress
--   completed        done: the store is at to_version
--   rolled_back      a migration whose changes were undone; the store is back at from_version with
--                    the roots it had before the run
--   rollback_failed  the undo could not finish, or the roots after it differ from those before the
--                    run; `migrate --resume` retries it
CREATE TABLE stella.migration_runs (
  run_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('migrate', 'rollback')),
  -- For a rollback run: the migration it undoes.
  rolls_back   bigint REFERENCES stella.migration_runs (run_id),
  from_version text NOT NULL,
  to_version   text NOT NULL,
  status       text NOT NULL
               CHECK (status IN ('running', 'rolling_back', 'completed', 'rolled_back',
                                 'rollback_failed')),
  operator     text NOT NULL CHECK (operator <> ''),
  -- Where the process that last drove the run ran, to name it when another run is refused.
  client_host  text NOT NULL,
  client_pid   integer NOT NULL,
  backend_pid  integer NOT NULL,
  batch_size   bigint NOT NULL CHECK (batch_size >= 1),
  -- The plan executed (schemas/migration-plan.schema.json).
  plan         jsonb NOT NULL,
  -- The store state (version and roots) when the run started, and when it ended.
  store_before jsonb NOT NULL,
  store_after  jsonb,
  -- Why it was rolled back, and the failure that caused it, if any.
  reason       text,
  error        text,
  started_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at  timestamptz,
  CHECK ((kind = 'rollback') = (rolls_back IS NOT NULL))
);

-- At most one run may be unfinished: a new run is refused until it is resumed or rolled back.
CREATE UNIQUE INDEX migration_runs_one_unfinished ON stella.migration_runs ((true))
  WHERE status IN ('running', 'rolling_back', 'rollback_failed');

-- The steps of a run, in the order they run. direction says what the step does in this run.
CREATE TABLE stella.migration_run_steps (
  run_id         bigint NOT NULL REFERENCES stella.migration_runs (run_id),
  ordinal        integer NOT NULL CHECK (ordinal >= 1),
  plugin_id      text NOT NULL,
  plugin_version text NOT NULL,
  library_digest text NOT NULL,
  from_version   text NOT NULL,
  to_version     text NOT NULL,
  direction      text NOT NULL CHECK (direction IN ('up', 'down')),
  state          text NOT NULL
                 CHECK (state IN ('pending', 'running', 'completed', 'failed', 'rolling_back',
                                  'rolled_back')),
  started_at     timestamptz,
  finished_at    timestamptz,
  error          text,
  PRIMARY KEY (run_id, ordinal)
);

-- The last committed batch of a step, per direction: written in the same transaction as the
-- batch, so a resumed run continues exactly after the work that was kept.
CREATE TABLE stella.migration_checkpoints (
  run_id       bigint NOT NULL,
  ordinal      integer NOT NULL,
  direction    text NOT NULL CHECK (direction IN ('up', 'down')),
  checkpoint   text NOT NULL,
  batches      bigint NOT NULL CHECK (batches >= 1),
  committed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (run_id, ordinal, direction),
  FOREIGN KEY (run_id, ordinal) REFERENCES stella.migration_run_steps (run_id, ordinal)
);

-- What the run reported while it ran. Written outside the step transactions (on the connection that
-- holds the migration lock), so lines about work that was rolled back are kept.
CREATE TABLE stella.migration_run_log (
  entry_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id       bigint NOT NULL REFERENCES stella.migration_runs (run_id),
  logged_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  level        text NOT NULL CHECK (level IN ('debug', 'info', 'warning', 'error')),
  step_ordinal integer,
  message      text NOT NULL
);
CREATE INDEX migration_run_log_by_run ON stella.migration_run_log (run_id, entry_id);
