-- Catalog: users, searchable by display name (prefix match on every word).
CREATE TABLE IF NOT EXISTS catalog_users (
    id           uuid PRIMARY KEY,
    display_name text NOT NULL,
    sort_key     text NOT NULL,
    bio          text,
    created_at   timestamptz NOT NULL,
    search       tsvector GENERATED ALWAYS AS (to_tsvector('simple', display_name)) STORED
);
CREATE INDEX IF NOT EXISTS catalog_users_by_name ON catalog_users (sort_key COLLATE "C", id);
CREATE INDEX IF NOT EXISTS catalog_users_search ON catalog_users USING gin (search);
