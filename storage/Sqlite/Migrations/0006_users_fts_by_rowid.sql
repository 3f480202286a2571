-- The users' FTS5 index was keyed by an unindexed id column, so keeping it in step scanned it on every
-- profile write. It is keyed by rowid now, through a map from user id to a stable rowid.
CREATE TABLE IF NOT EXISTS catalog_users_fts_keys (
    rowid INTEGER PRIMARY KEY,
    id    TEXT NOT NULL UNIQUE
);
DROP TABLE IF EXISTS catalog_users_fts;
CREATE VIRTUAL TABLE catalog_users_fts USING fts5 (display_name, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO catalog_users_fts_keys (id) SELECT id FROM catalog_users;
INSERT INTO catalog_users_fts (rowid, display_name)
    SELECT k.rowid, u.display_name FROM catalog_users u JOIN catalog_users_fts_keys k ON k.id = u.id;
