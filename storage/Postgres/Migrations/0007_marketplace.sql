-- Marketplace catalog: listings for search, orders for the buyer's and seller's lists, licenses, reviews,
-- the double-entry ledger, and the payment provider events already handled.
CREATE TABLE IF NOT EXISTS market_listings (
    id           uuid NOT NULL UNIQUE,
    seller_id    uuid NOT NULL,
    seller       text NOT NULL,
    type         text NOT NULL,
    title        text NOT NULL,
    description  text,
    genre        text,
    tags         text NOT NULL,
    bpm          double precision,
    musical_key  text,
    currency     text,
    min_price    bigint,
    status       text NOT NULL,
    listed       integer NOT NULL,
    created_at   bigint NOT NULL,
    sales        bigint NOT NULL,
    rating       double precision NOT NULL,
    ratings      integer NOT NULL,
    search       tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', seller), 'B') ||
        setweight(to_tsvector('simple', tags), 'C') || setweight(to_tsvector('simple', coalesce(description, '')), 'D')) STORED
);
CREATE INDEX IF NOT EXISTS market_listings_new ON market_listings (listed, created_at DESC, id);
CREATE INDEX IF NOT EXISTS market_listings_seller ON market_listings (seller_id, created_at DESC, id);
CREATE TABLE IF NOT EXISTS market_listing_tags (
    tag        text NOT NULL,
    listing_id uuid NOT NULL,
    PRIMARY KEY (tag, listing_id)
);
CREATE INDEX IF NOT EXISTS market_listing_tags_by_listing ON market_listing_tags (listing_id);
CREATE INDEX IF NOT EXISTS market_listings_search ON market_listings USING gin (search);

CREATE TABLE IF NOT EXISTS market_orders (
    id         uuid NOT NULL PRIMARY KEY,
    buyer_id   uuid NOT NULL,
    seller_id  uuid NOT NULL,
    listing_id uuid NOT NULL,
    status     text NOT NULL,
    payment    text,
    created_at bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS market_orders_by_buyer ON market_orders (buyer_id, created_at DESC, id);
CREATE INDEX IF NOT EXISTS market_orders_by_seller ON market_orders (seller_id, created_at DESC, id);
CREATE INDEX IF NOT EXISTS market_orders_by_payment ON market_orders (payment);

CREATE TABLE IF NOT EXISTS market_licenses (
    order_id   uuid NOT NULL PRIMARY KEY,
    buyer_id   uuid NOT NULL,
    listing_id uuid NOT NULL,
    active     integer NOT NULL
);
CREATE INDEX IF NOT EXISTS market_licenses_by_buyer ON market_licenses (buyer_id, listing_id);

CREATE TABLE IF NOT EXISTS market_reviews (
    listing_id uuid NOT NULL,
    buyer_id   uuid NOT NULL,
    stars      integer NOT NULL,
    body       text,
    updated_at bigint NOT NULL,
    PRIMARY KEY (listing_id, buyer_id)
);
CREATE INDEX IF NOT EXISTS market_reviews_by_time ON market_reviews (listing_id, updated_at DESC, buyer_id);

CREATE TABLE IF NOT EXISTS market_ledger (
    id         uuid NOT NULL PRIMARY KEY,
    reference  uuid NOT NULL,
    kind       text NOT NULL,
    account    text NOT NULL,
    amount     bigint NOT NULL,
    currency   text NOT NULL,
    at         bigint NOT NULL,
    UNIQUE (reference, kind, account)
);
CREATE INDEX IF NOT EXISTS market_ledger_by_account ON market_ledger (account, currency, at);

CREATE TABLE IF NOT EXISTS market_payment_events (
    id text NOT NULL PRIMARY KEY,
    at bigint NOT NULL
);
