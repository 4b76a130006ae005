-- The savings estimate (SPEC §5, docs/decisions/0009-savings.md). Money is whole cents
-- (BIGINT); a quantity is kept in hundredths (2.5 hours a month = 250), so nothing about money
-- is ever a floating-point number. The default tariffs are a data file (data/tariffs/); only an
-- organisation's own overrides and settings live here.

-- An organisation's own tariff for a default product, with its own source and year.
CREATE TABLE tariff_overrides (
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  product TEXT NOT NULL,                   -- a product code of data/tariffs/default.json
  amount_cents BIGINT NOT NULL,
  low_cents BIGINT NOT NULL,
  high_cents BIGINT NOT NULL,
  source TEXT NOT NULL,
  year INTEGER NOT NULL,
  updated_by TEXT REFERENCES users(id),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (organisation_id, product)
);

-- The programme's own costs, per organisation (absent: all zero, and the estimate says so).
CREATE TABLE savings_settings (
  organisation_id TEXT PRIMARY KEY REFERENCES organisations(id),
  coordinator_hourly_cents BIGINT NOT NULL,
  foundation_fee_cents BIGINT NOT NULL,          -- per family, once
  volunteer_expenses_monthly_cents BIGINT NOT NULL,  -- per family per month of walking along
  updated_by TEXT REFERENCES users(id),
  updated_at TEXT NOT NULL
);

-- What the family would have needed without the programme (the counterfactual), line by line;
-- a PUT replaces a family's lines as a whole.
CREATE TABLE savings_counterfactual (
  family_id TEXT NOT NULL REFERENCES families(id),
  position INTEGER NOT NULL,
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  product TEXT NOT NULL,
  quantity_hundredths BIGINT NOT NULL,     -- units a month (hour, day, month) or count (trajectory, year)
  months INTEGER NOT NULL,
  estimated_by TEXT NOT NULL,
  certainty TEXT NOT NULL,                 -- low, medium, high
  note TEXT NOT NULL DEFAULT '',
  recorded_by TEXT REFERENCES users(id),
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (family_id, position)
);

-- The formal care the family actually used during the programme.
CREATE TABLE savings_actual_care (
  family_id TEXT NOT NULL REFERENCES families(id),
  position INTEGER NOT NULL,
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  product TEXT NOT NULL,
  quantity_hundredths BIGINT NOT NULL,
  months INTEGER NOT NULL,
  recorded_by TEXT REFERENCES users(id),
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (family_id, position)
);
