-- Grain state for every storage provider name of the silo (see SqliteGrainStorage).
CREATE TABLE IF NOT EXISTS grain_state (
    provider   TEXT NOT NULL,
    state_name TEXT NOT NULL,
    grain_id   TEXT NOT NULL,
    etag       TEXT NOT NULL,
    payload    BLOB NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (provider, state_name, grain_id)
) WITHOUT ROWID;

-- Orleans reminders (see SqliteReminderTable); grain_hash serves the silo's range reads.
CREATE TABLE IF NOT EXISTS reminders (
    service_id    TEXT    NOT NULL,
    grain_id      TEXT    NOT NULL,
    reminder_name TEXT    NOT NULL,
    grain_hash    INTEGER NOT NULL,
    start_ticks   INTEGER NOT NULL,
    period_ticks  INTEGER NOT NULL,
    etag          TEXT    NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS reminders_by_hash ON reminders (service_id, grain_hash);

-- Catalog: users, searchable by display name.
CREATE TABLE IF NOT EXISTS catalog_users (
    id           TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    sort_key     TEXT NOT NULL,
    bio          TEXT,
    created_at   TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS catalog_users_by_name ON catalog_users (sort_key, id);
CREATE VIRTUAL TABLE IF NOT EXISTS catalog_users_fts USING fts5 (id UNINDEXED, display_name, tokenize = 'unicode61 remove_diacritics 2');
