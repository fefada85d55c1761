-- State schema, file 003: the work table of `stella evidence reindex` (docs/reindex.md).
--
-- A reindex run builds one digest generation (evidence.digest_generations, state 'building'). Its
-- work is cut into batches: each batch is a half-open range of bundle ids [lower_bundle,
-- upper_bundle) (NULL = unbounded), so the ranges of a run tile the whole key space and a bundle
-- that arrives while the run is going falls into exactly one of them. Any number of workers, in
-- any number of processes on any number of hosts, claim pending batches with
-- SELECT ... FOR UPDATE SKIP LOCKED and process each batch in the very transaction that holds the
-- claim: the digests, the bundle roots and the batch's 'done' mark commit together (that is the
-- checkpoint), and a worker that dies releases its claim when its session ends.

-- One row per invocation plan. A later invocation joins the newest run of the generation while
-- it has batches left, and plans a new run (for what is still missing) once they are all done.
CREATE TABLE stella.reindex_runs (
  run_id            bigserial PRIMARY KEY,
  -- The generation being built and the one it replaces (evidence.digest_generations).
  generation        integer NOT NULL CHECK (generation >= 1),
  from_generation   integer NOT NULL CHECK (from_generation >= 1),
  algorithm         text NOT NULL CHECK (algorithm ~ '^[a-z0-9][a-z0-9-]*$'),
  from_algorithm    text NOT NULL,
  -- Only bundles created at or after this instant (--since); NULL means every bundle.
  since             timestamptz,
  batch_size        integer NOT NULL CHECK (batch_size > 0),
  planned_batches   integer NOT NULL CHECK (planned_batches >= 0),
  planned_bundles   bigint NOT NULL CHECK (planned_bundles >= 0),
  planned_artifacts bigint NOT NULL CHECK (planned_artifacts >= 0),
  planned_bytes     bigint NOT NULL CHECK (planned_bytes >= 0),
  started_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  started_by        text NOT NULL CHECK (started_by <> ''),
  -- running: batches are left; finished: every batch is done (the generation may still lack
  -- records outside --since); sealed: this run sealed the generation.
  state             text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'finished', 'sealed')),
  finished_at       timestamptz,
  -- What the last coverage check found missing (artifacts without a digest in the generation).
  missing_bundles   bigint,
  missing_artifacts bigint,
  CHECK ((state = 'running') = (finished_at IS NULL))
);

CREATE INDEX reindex_runs_by_generation ON stella.reindex_runs (generation, run_id);

CREATE TABLE stella.reindex_batches (
  run_id            bigint NOT NULL REFERENCES stella.reindex_runs (run_id),
  batch_no          integer NOT NULL CHECK (batch_no >= 1),
  lower_bundle      text COLLATE "C",
  upper_bundle      text COLLATE "C",
  planned_bundles   bigint NOT NULL CHECK (planned_bundles >= 0),
  planned_artifacts bigint NOT NULL CHECK (planned_artifacts >= 0),
  planned_bytes     bigint NOT NULL CHECK (planned_bytes >= 0),
  state             text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done')),
  -- What the batch really covered (bundles that arrived after planning included).
  done_bundles      bigint,
  done_artifacts    bigint,
  done_bytes        bigint,
  done_at           timestamptz,
  done_by           text,
  PRIMARY KEY (run_id, batch_no),
  CHECK (lower_bundle IS NULL OR upper_bundle IS NULL OR lower_bundle < upper_bundle),
  CHECK ((state = 'done') = (done_at IS NOT NULL))
);

CREATE INDEX reindex_batches_pending ON stella.reindex_batches (run_id, batch_no)
  WHERE state = 'pending';

-- Workers announce themselves and renew a heartbeat while they work, so `reindex --progress` can
-- tell a live run from one whose workers died (resume it with `stella evidence reindex --resume`).
CREATE TABLE stella.reindex_workers (
  worker_id      text PRIMARY KEY CHECK (worker_id <> ''),
  run_id         bigint NOT NULL REFERENCES stella.reindex_runs (run_id),
  host           text NOT NULL,
  pid            integer NOT NULL,
  started_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  heartbeat_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  batches_done   bigint NOT NULL DEFAULT 0,
  artifacts_done bigint NOT NULL DEFAULT 0,
  -- working: heartbeat renewed while it runs; exited: it stopped on its own (crashed workers stay
  -- 'working' with a stale heartbeat).
  state          text NOT NULL DEFAULT 'working' CHECK (state IN ('working', 'exited'))
);

CREATE INDEX reindex_workers_by_run ON stella.reindex_workers (run_id);
