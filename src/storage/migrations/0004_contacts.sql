-- Walking along (SPEC §2.6): the contacts a volunteer logs on a match, the coordinator's
-- "gezien" mark with an optional reply, and the history of every correction.

CREATE TABLE contacts (
  id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  team_id TEXT REFERENCES teams(id),          -- the match's team when the contact was logged
  match_id TEXT NOT NULL REFERENCES matches(id),
  status TEXT NOT NULL,                       -- draft, final
  on_date TEXT NOT NULL,                      -- 'YYYY-MM-DD', the day of the contact
  minutes INTEGER,                            -- 1..600; NULL only in a draft
  kind TEXT,                                  -- visit, phone, message, outing; NULL only in a draft
  at_time TEXT,                               -- 'HH:MM' local time, when given
  outside_office_hours INTEGER NOT NULL DEFAULT 0,
  activities TEXT NOT NULL DEFAULT '[]',      -- activity codes (contacts/contact.cpp)
  note TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  seen_by TEXT REFERENCES users(id),          -- the coordinator's "gezien" mark
  seen_at TEXT,
  reply TEXT                                  -- their short reply, when they wrote one
);
-- A match's contacts newest first, and its last contact (home page, 21-day reminders).
CREATE INDEX contacts_match_date ON contacts (match_id, on_date, created_at);
-- Reports: contacts and hours of an organisation in a period.
CREATE INDEX contacts_org_date ON contacts (organisation_id, on_date);
-- The volunteer's presets: their own last contact.
CREATE INDEX contacts_created_by ON contacts (created_by, created_at);

-- Every correction keeps the values it replaced (as JSON), who changed them and when.
CREATE TABLE contact_revisions (
  id TEXT PRIMARY KEY,
  contact_id TEXT NOT NULL REFERENCES contacts(id),
  previous TEXT NOT NULL,
  changed_by TEXT NOT NULL REFERENCES users(id),
  changed_at TEXT NOT NULL
);
CREATE INDEX contact_revisions_contact ON contact_revisions (contact_id, changed_at);
