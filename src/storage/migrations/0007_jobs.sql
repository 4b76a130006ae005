-- Scheduled jobs (reminder digests, escalations, retention): one row per job. A process runs a
-- job only while it holds the lease, and moves next_run_at on in the same transaction as the
-- job's effects, guarded by its lease — so with several processes on one database every run
-- happens exactly once, and a process that dies mid-run leaves the run to another.
CREATE TABLE jobs (
  name TEXT PRIMARY KEY,
  next_run_at TEXT NOT NULL,  -- RFC 3339 UTC
  lease_owner TEXT,
  lease_until TEXT,
  last_run_key TEXT,          -- which run was done last (e.g. the week of a digest)
  last_finished_at TEXT
);
