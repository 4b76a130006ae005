-- Concerns (signalen) raised on a match, what the coordinator did with them, who was mailed
-- about an urgent one, and the meldcode steps worked through for a concern.
-- concern_actions and meldcode_entries are append-only: a meldcode correction is a new row
-- that points at the row it corrects (corrects_id); the application never updates or deletes
-- either table's rows.

CREATE TABLE concerns (
  id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  team_id TEXT REFERENCES teams(id),        -- the match's team when the concern was raised
  match_id TEXT NOT NULL REFERENCES matches(id),
  family_id TEXT NOT NULL REFERENCES families(id),
  raised_by TEXT NOT NULL REFERENCES users(id),
  severity TEXT NOT NULL,                   -- info, worry, urgent
  category TEXT NOT NULL,                   -- safety, health, finances, housing, parenting,
                                            -- volunteer_wellbeing, other
  description TEXT NOT NULL,
  status TEXT NOT NULL,                     -- open, acknowledged, resolved
  acknowledged_at TEXT,
  resolved_at TEXT,
  escalated_at TEXT,                        -- urgent, still open after 4 hours: others mailed
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX concerns_org_status ON concerns (organisation_id, status, created_at);
CREATE INDEX concerns_raised_by ON concerns (raised_by, created_at);
CREATE INDEX concerns_match ON concerns (match_id, created_at);
CREATE INDEX concerns_unescalated ON concerns (severity, status, escalated_at, created_at);

CREATE TABLE concern_actions (
  id TEXT PRIMARY KEY,
  concern_id TEXT NOT NULL REFERENCES concerns(id),
  seq INTEGER NOT NULL,                     -- 1, 2, … per concern: the order they happened in
  action TEXT NOT NULL,                     -- acknowledge, note, resolve
  body TEXT NOT NULL DEFAULT '',            -- the note or the outcome (staff only)
  by_user TEXT NOT NULL REFERENCES users(id),
  at TEXT NOT NULL,
  UNIQUE (concern_id, seq)
);

-- Who was mailed about an urgent concern: at once ('urgent') and after four hours unanswered
-- ('escalation'); the escalation goes to those not mailed before.
CREATE TABLE concern_notifications (
  id TEXT PRIMARY KEY,
  concern_id TEXT NOT NULL REFERENCES concerns(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX concern_notifications_concern ON concern_notifications (concern_id, kind);

CREATE TABLE meldcode_entries (
  id TEXT PRIMARY KEY,
  concern_id TEXT NOT NULL REFERENCES concerns(id),
  seq INTEGER NOT NULL,                     -- recording order per concern
  step INTEGER NOT NULL,                    -- 1..5
  entry_date TEXT NOT NULL,                 -- when the step was taken (YYYY-MM-DD)
  summary TEXT NOT NULL,
  decision TEXT NOT NULL DEFAULT '',        -- step 5: organise_help, report_veilig_thuis, both
  answers TEXT NOT NULL DEFAULT '{}',       -- step 4: {question: {answer, explanation}} (JSON)
  framework_version TEXT,                   -- the assessment framework the answers are for
  corrects_id TEXT REFERENCES meldcode_entries(id),
  recorded_by TEXT NOT NULL REFERENCES users(id),
  recorded_at TEXT NOT NULL,
  UNIQUE (concern_id, seq)
);
CREATE INDEX meldcode_entries_concern ON meldcode_entries (concern_id, step);
