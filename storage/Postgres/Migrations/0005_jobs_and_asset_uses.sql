-- Catalog: each user's jobs, newest first (sort_key orders ascending from the newest).
CREATE TABLE IF NOT EXISTS catalog_jobs (
    job_id   uuid NOT NULL PRIMARY KEY,
    owner_id uuid NOT NULL,
    sort_key text NOT NULL
);
CREATE INDEX IF NOT EXISTS catalog_jobs_by_owner ON catalog_jobs (owner_id, sort_key COLLATE "C", job_id);

-- Catalog: which projects use which assets now, so an asset in use is not deleted from under them.
CREATE TABLE IF NOT EXISTS catalog_asset_uses (
    asset_id   uuid NOT NULL,
    project_id uuid NOT NULL,
    PRIMARY KEY (asset_id, project_id)
);
CREATE INDEX IF NOT EXISTS catalog_asset_uses_by_project ON catalog_asset_uses (project_id);
