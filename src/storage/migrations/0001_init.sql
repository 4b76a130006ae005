-- Oploop schema, version 1: tenancy, accounts, sessions, access log, mail outbox,
-- referrals, families. One text for SQLite and PostgreSQL: TEXT ids (128 random bits),
-- RFC 3339 UTC timestamps as TEXT, dates as 'YYYY-MM-DD', booleans as INTEGER 0/1,
-- lists as JSON text.

CREATE TABLE organisations (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  retention_months INTEGER NOT NULL DEFAULT 24,
  vog_validity_years INTEGER NOT NULL DEFAULT 3,
  created_at TEXT NOT NULL
);

CREATE TABLE teams (
  id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (organisation_id, name)
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT,
  totp_secret_sealed TEXT,
  totp_enabled INTEGER NOT NULL DEFAULT 0,
  totp_last_step INTEGER NOT NULL DEFAULT 0,
  language TEXT NOT NULL DEFAULT 'nl',
  active INTEGER NOT NULL DEFAULT 1,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX users_org ON users (organisation_id, role);

CREATE TABLE user_teams (
  user_id TEXT NOT NULL REFERENCES users(id),
  team_id TEXT NOT NULL REFERENCES teams(id),
  PRIMARY KEY (user_id, team_id)
);

-- Sessions live in the database so several server processes share them. Only the
-- SHA-256 of the session id is stored.
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  stage TEXT NOT NULL,               -- 'password' (2FA pending) or 'full'
  csrf_token TEXT NOT NULL,
  totp_tries INTEGER NOT NULL DEFAULT 0,
  pending_totp_sealed TEXT,          -- seed being enrolled, before it is confirmed
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL           -- absolute limit
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE access_tokens (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT,
  last_used_at TEXT
);
CREATE INDEX access_tokens_user ON access_tokens (user_id);

CREATE TABLE password_resets (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);

-- Sliding-window counters for login throttling and the public referral form.
CREATE TABLE throttle_events (
  bucket TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX throttle_events_bucket ON throttle_events (bucket, at);

-- NEN 7513 access log: append-only for the application, hash-chained per organisation.
CREATE TABLE access_log (
  id TEXT PRIMARY KEY,
  chain TEXT NOT NULL,               -- organisation id, or 'system'
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  user_id TEXT,
  role TEXT,
  organisation_id TEXT,
  event TEXT NOT NULL,               -- view, list, create, update, delete, export, login, ...
  object_type TEXT,
  object_id TEXT,
  client_ip TEXT,
  outcome TEXT NOT NULL,             -- success, denied, not_found, failure
  details TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  UNIQUE (chain, seq)
);
CREATE INDEX access_log_object ON access_log (organisation_id, object_type, object_id, at);
CREATE INDEX access_log_at ON access_log (organisation_id, at);

CREATE TABLE access_log_heads (
  chain TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
);

-- Mail is queued in the same transaction as the change that causes it and sent by a
-- background worker; a lease (locked_until) keeps several processes from sending twice.
CREATE TABLE mail_outbox (
  id TEXT PRIMARY KEY,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  locked_until TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  sent_at TEXT,
  last_error TEXT
);
CREATE INDEX mail_outbox_pending ON mail_outbox (sent_at, created_at);

CREATE TABLE referrals (
  id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  team_id TEXT REFERENCES teams(id),
  status TEXT NOT NULL,
  source TEXT NOT NULL,              -- 'staff' or 'public'
  contact_name TEXT NOT NULL,
  postcode TEXT NOT NULL,            -- normalised '1234AB'
  house_number TEXT NOT NULL,
  reason TEXT NOT NULL,
  urgency TEXT NOT NULL,
  consent INTEGER NOT NULL,
  consent_date TEXT NOT NULL,
  consent_recorded_by TEXT,          -- user id, or NULL for the public form (the referrer)
  children_birth_years TEXT NOT NULL,  -- JSON array of ints
  languages TEXT NOT NULL,             -- JSON array of ISO 639-1 codes
  other_care TEXT NOT NULL DEFAULT '',
  referrer_name TEXT NOT NULL,
  referrer_organisation TEXT NOT NULL,
  referrer_email TEXT NOT NULL,
  referrer_phone TEXT NOT NULL DEFAULT '',
  decline_reason TEXT,
  family_id TEXT,
  created_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX referrals_org_status ON referrals (organisation_id, status, created_at);

CREATE TABLE families (
  id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  team_id TEXT REFERENCES teams(id),
  referral_id TEXT REFERENCES referrals(id),
  status TEXT NOT NULL,              -- waiting, matched, closed
  display_name TEXT NOT NULL,
  postcode TEXT NOT NULL,
  house_number TEXT NOT NULL,
  city TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  languages TEXT NOT NULL DEFAULT '[]',
  needs TEXT NOT NULL DEFAULT '[]',
  wishes TEXT NOT NULL DEFAULT '',
  preferences TEXT NOT NULL DEFAULT '{}',
  formal_care TEXT NOT NULL DEFAULT '[]',
  coordinator_id TEXT REFERENCES users(id),
  consent_date TEXT,
  waiting_since TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX families_org_status ON families (organisation_id, status, waiting_since);
CREATE INDEX families_team_status ON families (team_id, status, waiting_since);

CREATE TABLE household_members (
  id TEXT PRIMARY KEY,
  family_id TEXT NOT NULL REFERENCES families(id),
  first_name TEXT NOT NULL,
  role TEXT NOT NULL,                -- parent, child, other
  birth_date TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX household_members_family ON household_members (family_id);
