-- The loop library: one row per file of a published library pack (a free sample pack its seller marked as library
-- content), with what analysis found, for browsing by instrument, kind, key and tempo. Rewritten with its listing.
CREATE TABLE IF NOT EXISTS market_loops (
    id           TEXT NOT NULL PRIMARY KEY,
    listing_id   TEXT NOT NULL,
    file_index   INTEGER NOT NULL,
    name         TEXT NOT NULL,
    pack         TEXT NOT NULL,
    seller       TEXT NOT NULL,
    instrument   TEXT NOT NULL,
    is_loop      INTEGER NOT NULL,
    bpm          REAL,
    beats        INTEGER,
    musical_key  TEXT,
    duration     REAL NOT NULL,
    search       TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS market_loops_by_listing ON market_loops (listing_id);
CREATE INDEX IF NOT EXISTS market_loops_browse ON market_loops (instrument, created_at DESC, id);
CREATE INDEX IF NOT EXISTS market_loops_tempo ON market_loops (bpm);
