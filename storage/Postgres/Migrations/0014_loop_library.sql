-- The loop library: one row per file of a published library pack (a free sample pack its seller marked as library
-- content), with what analysis found, for browsing by instrument, kind, key and tempo. Rewritten with its listing.
CREATE TABLE IF NOT EXISTS market_loops (
    id           uuid NOT NULL PRIMARY KEY,
    listing_id   uuid NOT NULL,
    file_index   integer NOT NULL,
    name         text NOT NULL,
    pack         text NOT NULL,
    seller       text NOT NULL,
    instrument   text NOT NULL,
    is_loop      integer NOT NULL,
    bpm          double precision,
    beats        integer,
    musical_key  text,
    duration     double precision NOT NULL,
    search       text NOT NULL,
    created_at   bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS market_loops_by_listing ON market_loops (listing_id);
CREATE INDEX IF NOT EXISTS market_loops_browse ON market_loops (instrument, created_at DESC, id);
CREATE INDEX IF NOT EXISTS market_loops_tempo ON market_loops (bpm);
