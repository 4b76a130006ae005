-- The meldcode's decision (step 5) records what DOMAIN-NOTES asks: whether the case was closed
-- (decision 'close'), what help was given, which organisations were involved, and — when the
-- decision departs from the assessment framework's advice — why.
ALTER TABLE meldcode_entries ADD COLUMN help_given TEXT;
ALTER TABLE meldcode_entries ADD COLUMN organisations_involved TEXT;
ALTER TABLE meldcode_entries ADD COLUMN deviation_reason TEXT;

-- One notification of a kind per person per concern, also if two processes race.
CREATE UNIQUE INDEX concern_notifications_once ON concern_notifications (concern_id, user_id, kind);

-- The meldcode record and a concern's history are append-only: a correction is a new entry.
-- The database itself refuses changes, whatever code (or hand-written SQL) tries.
-- {{sqlite}}
CREATE TRIGGER meldcode_entries_no_update BEFORE UPDATE ON meldcode_entries
BEGIN SELECT RAISE(ABORT, 'meldcode_entries is append-only'); END;
CREATE TRIGGER meldcode_entries_no_delete BEFORE DELETE ON meldcode_entries
BEGIN SELECT RAISE(ABORT, 'meldcode_entries is append-only'); END;
CREATE TRIGGER concern_actions_no_update BEFORE UPDATE ON concern_actions
BEGIN SELECT RAISE(ABORT, 'concern_actions is append-only'); END;
CREATE TRIGGER concern_actions_no_delete BEFORE DELETE ON concern_actions
BEGIN SELECT RAISE(ABORT, 'concern_actions is append-only'); END;
-- {{end}}
-- {{postgres}}
CREATE FUNCTION oploop_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER meldcode_entries_append_only BEFORE UPDATE OR DELETE ON meldcode_entries
  FOR EACH ROW EXECUTE FUNCTION oploop_append_only();
CREATE TRIGGER concern_actions_append_only BEFORE UPDATE OR DELETE ON concern_actions
  FOR EACH ROW EXECUTE FUNCTION oploop_append_only();
-- {{end}}
