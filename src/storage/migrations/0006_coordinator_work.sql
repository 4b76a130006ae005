-- Coordinator work (SPEC §2.8): support sessions for volunteers with their attendance, partner
-- consultations about a family, and the coordinator's time (which feeds the programme cost of
-- the savings estimate, §5).

-- Supervision (one volunteer), peer group sessions (intervisie), trainings and theme meetings.
-- team_id NULL: a session for the whole organisation (every team sees it).
CREATE TABLE support_sessions (
  id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  team_id TEXT REFERENCES teams(id),
  kind TEXT NOT NULL,                       -- supervision, peer_group, training, theme_meeting
  title TEXT NOT NULL DEFAULT '',
  held_on TEXT NOT NULL,                    -- YYYY-MM-DD
  start_time TEXT,                          -- HH:MM, local time, or NULL
  duration_minutes INTEGER NOT NULL,
  basic_training INTEGER NOT NULL DEFAULT 0,  -- a training that completes the screening's training
  notes TEXT NOT NULL DEFAULT '',           -- staff only; never shown to a volunteer
  created_by TEXT REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX support_sessions_org_date ON support_sessions (organisation_id, held_on);

-- Who is invited (a row) and who came (attended = 1).
CREATE TABLE support_session_attendees (
  session_id TEXT NOT NULL REFERENCES support_sessions(id),
  volunteer_id TEXT NOT NULL REFERENCES volunteers(id),
  attended INTEGER NOT NULL DEFAULT 0,
  marked_by TEXT REFERENCES users(id),
  marked_at TEXT,
  PRIMARY KEY (session_id, volunteer_id)
);
CREATE INDEX support_session_attendees_volunteer ON support_session_attendees (volunteer_id);

-- A consultation with an agency around a family (netwerkoverleg). Its team is the family's.
CREATE TABLE partner_consultations (
  id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  family_id TEXT NOT NULL REFERENCES families(id),
  partner_kind TEXT NOT NULL,               -- consultatiebureau, midwife, social_services, school,
                                            -- referrer, gp, other
  partner_name TEXT NOT NULL,
  held_on TEXT NOT NULL,
  summary TEXT NOT NULL,
  created_by TEXT REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX partner_consultations_family ON partner_consultations (family_id, held_on);
CREATE INDEX partner_consultations_org ON partner_consultations (organisation_id, held_on);

-- Minutes a coordinator (or project lead) spent, by kind, optionally for one family.
CREATE TABLE time_entries (
  id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  worked_on TEXT NOT NULL,                  -- YYYY-MM-DD
  minutes INTEGER NOT NULL,
  kind TEXT NOT NULL,                       -- intake, matching, supervision, peer_group, training,
                                            -- partner_consultation, family_support,
                                            -- administration, other
  family_id TEXT REFERENCES families(id),
  created_at TEXT NOT NULL
);
CREATE INDEX time_entries_user ON time_entries (user_id, worked_on);
CREATE INDEX time_entries_org ON time_entries (organisation_id, worked_on);
CREATE INDEX time_entries_family ON time_entries (family_id, worked_on);
