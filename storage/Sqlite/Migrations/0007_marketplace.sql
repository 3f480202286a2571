-- Marketplace catalog: listings for search, orders for the buyer's and seller's lists, licenses, reviews,
-- the double-entry ledger, and the payment provider events already handled.
CREATE TABLE IF NOT EXISTS market_listings (
    id           TEXT NOT NULL UNIQUE,
    seller_id    TEXT NOT NULL,
    seller       TEXT NOT NULL,
    type         TEXT NOT NULL,
    title        TEXT NOT NULL,
    description  TEXT,
    genre        TEXT,
    tags         TEXT NOT NULL,
    bpm          REAL,
    musical_key  TEXT,
    currency     TEXT,
    min_price    INTEGER,
    status       TEXT NOT NULL,
    listed       INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    sales        INTEGER NOT NULL,
    rating       REAL NOT NULL,
    ratings      INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS market_listings_new ON market_listings (listed, created_at DESC, id);
CREATE INDEX IF NOT EXISTS market_listings_seller ON market_listings (seller_id, created_at DESC, id);
CREATE TABLE IF NOT EXISTS market_listing_tags (
    tag        TEXT NOT NULL,
    listing_id TEXT NOT NULL,
    PRIMARY KEY (tag, listing_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS market_listing_tags_by_listing ON market_listing_tags (listing_id);
CREATE VIRTUAL TABLE IF NOT EXISTS market_listings_fts USING fts5 (title, seller, tags, description, tokenize = 'unicode61 remove_diacritics 2');

CREATE TABLE IF NOT EXISTS market_orders (
    id         TEXT NOT NULL PRIMARY KEY,
    buyer_id   TEXT NOT NULL,
    seller_id  TEXT NOT NULL,
    listing_id TEXT NOT NULL,
    status     TEXT NOT NULL,
    payment    TEXT,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS market_orders_by_buyer ON market_orders (buyer_id, created_at DESC, id);
CREATE INDEX IF NOT EXISTS market_orders_by_seller ON market_orders (seller_id, created_at DESC, id);
CREATE INDEX IF NOT EXISTS market_orders_by_payment ON market_orders (payment);

CREATE TABLE IF NOT EXISTS market_licenses (
    order_id   TEXT NOT NULL PRIMARY KEY,
    buyer_id   TEXT NOT NULL,
    listing_id TEXT NOT NULL,
    active     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS market_licenses_by_buyer ON market_licenses (buyer_id, listing_id);

CREATE TABLE IF NOT EXISTS market_reviews (
    listing_id TEXT NOT NULL,
    buyer_id   TEXT NOT NULL,
    stars      INTEGER NOT NULL,
    body       TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (listing_id, buyer_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS market_reviews_by_time ON market_reviews (listing_id, updated_at DESC, buyer_id);

CREATE TABLE IF NOT EXISTS market_ledger (
    id         TEXT NOT NULL PRIMARY KEY,
    reference  TEXT NOT NULL,
    kind       TEXT NOT NULL,
    account    TEXT NOT NULL,
    amount     INTEGER NOT NULL,
    currency   TEXT NOT NULL,
    at         INTEGER NOT NULL,
    UNIQUE (reference, kind, account)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS market_ledger_by_account ON market_ledger (account, currency, at);

CREATE TABLE IF NOT EXISTS market_payment_events (
    id TEXT NOT NULL PRIMARY KEY,
    at INTEGER NOT NULL
) WITHOUT ROWID;
