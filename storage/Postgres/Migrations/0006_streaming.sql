-- Catalog: releases (every one; "listed" = public and published), their tags, and full-text search.
CREATE TABLE IF NOT EXISTS catalog_releases (
    id           uuid PRIMARY KEY,
    owner_id     uuid NOT NULL,
    artist       text NOT NULL,
    title        text NOT NULL,
    description  text,
    genre        text,
    tags         text NOT NULL,
    mood         text,
    bpm          double precision,
    musical_key  text,
    duration     double precision,
    explicit     integer NOT NULL,
    has_artwork  integer NOT NULL,
    listed       integer NOT NULL,
    release_at   bigint NOT NULL,
    created_at   bigint NOT NULL,
    plays        bigint NOT NULL DEFAULT 0,
    likes        bigint NOT NULL DEFAULT 0,
    reposts      bigint NOT NULL DEFAULT 0,
    comments     bigint NOT NULL DEFAULT 0,
    trend        double precision NOT NULL DEFAULT 0,
    search       tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', artist), 'B') ||
        setweight(to_tsvector('simple', tags), 'C') || setweight(to_tsvector('simple', coalesce(description, '')), 'D')) STORED
);
CREATE INDEX IF NOT EXISTS catalog_releases_new ON catalog_releases (listed, release_at DESC, id);
CREATE INDEX IF NOT EXISTS catalog_releases_trending ON catalog_releases (listed, trend DESC, id);
CREATE INDEX IF NOT EXISTS catalog_releases_top ON catalog_releases (listed, plays DESC, id);
CREATE INDEX IF NOT EXISTS catalog_releases_genre ON catalog_releases (genre, listed, trend DESC, id);
CREATE INDEX IF NOT EXISTS catalog_releases_owner ON catalog_releases (owner_id, created_at DESC, id);
CREATE INDEX IF NOT EXISTS catalog_releases_search ON catalog_releases USING gin (search);

CREATE TABLE IF NOT EXISTS catalog_release_tags (
    tag        text NOT NULL,
    release_id uuid NOT NULL,
    PRIMARY KEY (tag, release_id)
);
CREATE INDEX IF NOT EXISTS catalog_release_tags_by_release ON catalog_release_tags (release_id);

-- Social relations, each written by the grain that serializes it.
CREATE TABLE IF NOT EXISTS catalog_likes (
    user_id    uuid NOT NULL,
    release_id uuid NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (user_id, release_id)
);
CREATE INDEX IF NOT EXISTS catalog_likes_by_user ON catalog_likes (user_id, created_at DESC, release_id);
CREATE INDEX IF NOT EXISTS catalog_likes_by_release ON catalog_likes (release_id, user_id);

CREATE TABLE IF NOT EXISTS catalog_reposts (
    user_id    uuid NOT NULL,
    release_id uuid NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (user_id, release_id)
);
CREATE INDEX IF NOT EXISTS catalog_reposts_by_user ON catalog_reposts (user_id, created_at DESC);
CREATE INDEX IF NOT EXISTS catalog_reposts_by_release ON catalog_reposts (release_id);

CREATE TABLE IF NOT EXISTS catalog_follows (
    follower_id uuid NOT NULL,
    followee_id uuid NOT NULL,
    created_at  bigint NOT NULL,
    PRIMARY KEY (follower_id, followee_id)
);
CREATE INDEX IF NOT EXISTS catalog_follows_by_followee ON catalog_follows (followee_id, created_at DESC, follower_id);
CREATE INDEX IF NOT EXISTS catalog_follows_by_follower ON catalog_follows (follower_id, created_at DESC, followee_id);

CREATE TABLE IF NOT EXISTS catalog_comments (
    id         uuid PRIMARY KEY,
    release_id uuid NOT NULL,
    author_id  uuid NOT NULL,
    parent_id  uuid,
    at_seconds double precision NOT NULL,
    body       text NOT NULL,
    created_at bigint NOT NULL,
    sort_key   text NOT NULL
);
CREATE INDEX IF NOT EXISTS catalog_comments_by_release ON catalog_comments (release_id, sort_key, id);
CREATE INDEX IF NOT EXISTS catalog_comments_by_parent ON catalog_comments (parent_id);

CREATE TABLE IF NOT EXISTS catalog_notifications (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL,
    kind       text NOT NULL,
    actor_id   uuid NOT NULL,
    release_id uuid,
    comment_id uuid,
    created_at bigint NOT NULL,
    sort_key   text NOT NULL,
    read       integer NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS catalog_notifications_by_user ON catalog_notifications (user_id, sort_key, id);

CREATE TABLE IF NOT EXISTS catalog_playlists (
    id         uuid PRIMARY KEY,
    owner_id   uuid NOT NULL,
    title      text NOT NULL,
    sort_key   text NOT NULL,
    is_public  integer NOT NULL,
    item_count integer NOT NULL,
    updated_at bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS catalog_playlists_by_owner ON catalog_playlists (owner_id, sort_key, id);
