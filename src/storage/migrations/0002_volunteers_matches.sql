-- Volunteers, their screening, matches with their history, and matching settings.

CREATE TABLE volunteers (
  id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  team_id TEXT REFERENCES teams(id),
  user_id TEXT REFERENCES users(id),        -- the volunteer's own account, when they have one
  status TEXT NOT NULL,                     -- applicant, screening, available, matched, paused, stopped
  stop_reason TEXT,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  postcode TEXT NOT NULL DEFAULT '',        -- normalised '1234AB', or '' when unknown
  house_number TEXT NOT NULL DEFAULT '',
  gender TEXT NOT NULL DEFAULT '',          -- female, male, other, or '' (for family preferences)
  languages TEXT NOT NULL DEFAULT '[]',
  skills TEXT NOT NULL DEFAULT '[]',        -- life-domain codes
  availability TEXT NOT NULL DEFAULT '[]',  -- slot codes
  max_families INTEGER NOT NULL DEFAULT 1,
  max_distance_km INTEGER NOT NULL DEFAULT 10,
  preferences TEXT NOT NULL DEFAULT '',
  intake_on TEXT,
  vog_issued_on TEXT,
  training_completed_on TEXT,
  code_signed_on TEXT,
  references_checked_on TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX volunteers_org_status ON volunteers (organisation_id, status, last_name);
CREATE INDEX volunteers_user ON volunteers (user_id);

CREATE TABLE volunteer_transitions (
  id TEXT PRIMARY KEY,
  volunteer_id TEXT NOT NULL REFERENCES volunteers(id),
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  reason TEXT,
  by_user TEXT,
  at TEXT NOT NULL
);
CREATE INDEX volunteer_transitions_volunteer ON volunteer_transitions (volunteer_id, at);

CREATE TABLE matches (
  id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  team_id TEXT REFERENCES teams(id),
  family_id TEXT NOT NULL REFERENCES families(id),
  volunteer_id TEXT NOT NULL REFERENCES volunteers(id),
  status TEXT NOT NULL,                -- proposed, introduction, active, stepping_down, closed
  introduction_date TEXT,
  started_on TEXT,
  stepping_down_on TEXT,
  closed_on TEXT,
  closure_reason TEXT,
  created_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX matches_org_status ON matches (organisation_id, status, created_at);
CREATE INDEX matches_family ON matches (family_id, status);
CREATE INDEX matches_volunteer ON matches (volunteer_id, status);

CREATE TABLE match_transitions (
  id TEXT PRIMARY KEY,
  match_id TEXT NOT NULL REFERENCES matches(id),
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  on_date TEXT NOT NULL,
  reason TEXT,
  by_user TEXT,
  at TEXT NOT NULL
);
CREATE INDEX match_transitions_match ON match_transitions (match_id, at);

-- Four-digit postcode areas with their centre, for distances (oploop import postcodes).
CREATE TABLE postcode_areas (
  pc4 TEXT PRIMARY KEY,
  latitude {{real}} NOT NULL,
  longitude {{real}} NOT NULL
);

-- Per-organisation weights of the matching criteria (points out of 100); absent: defaults.
CREATE TABLE matching_weights (
  organisation_id TEXT PRIMARY KEY REFERENCES organisations(id),
  weights TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
