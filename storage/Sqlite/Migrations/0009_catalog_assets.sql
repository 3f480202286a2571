-- Catalog: each user's uploads, newest first (sort_key orders ascending from the newest), as catalog_jobs.
CREATE TABLE IF NOT EXISTS catalog_assets (
    asset_id TEXT NOT NULL PRIMARY KEY,
    owner_id TEXT NOT NULL,
    sort_key TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS catalog_assets_by_owner ON catalog_assets (owner_id, sort_key, asset_id);
