-- Versions of data that processes cache (matching candidates per organisation, postcode areas).
-- Every write to the cached data sets a fresh random version in the same transaction, so a
-- cache built at version V is valid exactly while the database still says V — across every
-- process on one database.
CREATE TABLE data_versions (
  scope TEXT PRIMARY KEY,  -- "candidates:<organisation id>", "postcode_areas"
  version TEXT NOT NULL
);
