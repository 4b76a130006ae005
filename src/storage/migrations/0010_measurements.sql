-- Measurements (SPEC §2.9): a family's 0-, 1- and 2-meting, answered with one version of an
-- instrument (data/instruments/). One per family × instrument × wave × respondent; a correction
-- keeps the answers it replaced in measurement_revisions. Its team is the family's.
CREATE TABLE measurements (
  id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  family_id TEXT NOT NULL REFERENCES families(id),
  instrument TEXT NOT NULL,                 -- instrument code
  instrument_version INTEGER NOT NULL,
  wave INTEGER NOT NULL,                    -- 0 baseline, 1 interim, 2 final
  respondent TEXT NOT NULL,                 -- family, coordinator, volunteer
  taken_on TEXT NOT NULL,                   -- YYYY-MM-DD
  created_by TEXT REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (family_id, instrument, wave, respondent)
);
CREATE INDEX measurements_org_wave ON measurements (organisation_id, wave);

-- The answers, one row per item: the impact report pairs them across waves per domain.
CREATE TABLE measurement_answers (
  measurement_id TEXT NOT NULL REFERENCES measurements(id),
  item_code TEXT NOT NULL,
  value INTEGER NOT NULL,
  PRIMARY KEY (measurement_id, item_code)
);

-- What a correction replaced: {"date": …, "answers": {…}} as it was, who changed it and when.
CREATE TABLE measurement_revisions (
  id TEXT PRIMARY KEY,
  measurement_id TEXT NOT NULL REFERENCES measurements(id),
  previous TEXT NOT NULL,
  changed_by TEXT NOT NULL REFERENCES users(id),
  changed_at TEXT NOT NULL
);
CREATE INDEX measurement_revisions_measurement ON measurement_revisions (measurement_id, changed_at);
