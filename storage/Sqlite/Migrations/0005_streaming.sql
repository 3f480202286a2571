-- Catalog: releases (every one; "listed" = public and published), their tags, and full-text search.
-- A rowid table: the FTS5 index is keyed by its rowid, so keeping the index in step is a lookup, not a scan.
CREATE TABLE IF NOT EXISTS catalog_releases (
    id           TEXT NOT NULL UNIQUE,
    owner_id     TEXT NOT NULL,
    artist       TEXT NOT NULL,
    title        TEXT NOT NULL,
    description  TEXT,
    genre        TEXT,
    tags         TEXT NOT NULL,
    mood         TEXT,
    bpm          REAL,
    musical_key  TEXT,
    duration     REAL,
    explicit     INTEGER NOT NULL,
    has_artwork  INTEGER NOT NULL,
    listed       INTEGER NOT NULL,
    release_at   INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    plays        INTEGER NOT NULL DEFAULT 0,
    likes        INTEGER NOT NULL DEFAULT 0,
    reposts      INTEGER NOT NULL DEFAULT 0,
    comments     INTEGER NOT NULL DEFAULT 0,
    trend        REAL NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS catalog_releases_new ON catalog_releases (listed, release_at DESC, id);
CREATE INDEX IF NOT EXISTS catalog_releases_trending ON catalog_releases (listed, trend DESC, id);
CREATE INDEX IF NOT EXISTS catalog_releases_top ON catalog_releases (listed, plays DESC, id);
CREATE INDEX IF NOT EXISTS catalog_releases_genre ON catalog_releases (genre, listed, trend DESC, id);
CREATE INDEX IF NOT EXISTS catalog_releases_owner ON catalog_releases (owner_id, created_at DESC, id);

CREATE TABLE IF NOT EXISTS catalog_release_tags (
    tag        TEXT NOT NULL,
    release_id TEXT NOT NULL,
    PRIMARY KEY (tag, release_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS catalog_release_tags_by_release ON catalog_release_tags (release_id);

CREATE VIRTUAL TABLE IF NOT EXISTS catalog_releases_fts USING fts5(
    title, artist, tags, description, tokenize = 'unicode61 remove_diacritics 2');

-- Social relations, each written by the grain that serializes it.
CREATE TABLE IF NOT EXISTS catalog_likes (
    user_id    TEXT NOT NULL,
    release_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, release_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS catalog_likes_by_user ON catalog_likes (user_id, created_at DESC, release_id);
CREATE INDEX IF NOT EXISTS catalog_likes_by_release ON catalog_likes (release_id, user_id);

CREATE TABLE IF NOT EXISTS catalog_reposts (
    user_id    TEXT NOT NULL,
    release_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, release_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS catalog_reposts_by_user ON catalog_reposts (user_id, created_at DESC);
CREATE INDEX IF NOT EXISTS catalog_reposts_by_release ON catalog_reposts (release_id);

CREATE TABLE IF NOT EXISTS catalog_follows (
    follower_id TEXT NOT NULL,
    followee_id TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (follower_id, followee_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS catalog_follows_by_followee ON catalog_follows (followee_id, created_at DESC, follower_id);
CREATE INDEX IF NOT EXISTS catalog_follows_by_follower ON catalog_follows (follower_id, created_at DESC, followee_id);

CREATE TABLE IF NOT EXISTS catalog_comments (
    id         TEXT NOT NULL PRIMARY KEY,
    release_id TEXT NOT NULL,
    author_id  TEXT NOT NULL,
    parent_id  TEXT,
    at_seconds REAL NOT NULL,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    sort_key   TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS catalog_comments_by_release ON catalog_comments (release_id, sort_key, id);
CREATE INDEX IF NOT EXISTS catalog_comments_by_parent ON catalog_comments (parent_id);

CREATE TABLE IF NOT EXISTS catalog_notifications (
    id         TEXT NOT NULL PRIMARY KEY,
    user_id    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    actor_id   TEXT NOT NULL,
    release_id TEXT,
    comment_id TEXT,
    created_at INTEGER NOT NULL,
    sort_key   TEXT NOT NULL,
    read       INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS catalog_notifications_by_user ON catalog_notifications (user_id, sort_key, id);

CREATE TABLE IF NOT EXISTS catalog_playlists (
    id         TEXT NOT NULL PRIMARY KEY,
    owner_id   TEXT NOT NULL,
    title      TEXT NOT NULL,
    sort_key   TEXT NOT NULL,
    is_public  INTEGER NOT NULL,
    item_count INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS catalog_playlists_by_owner ON catalog_playlists (owner_id, sort_key, id);
