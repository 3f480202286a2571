-- Mail waiting to be sent. A row is claimed by moving due_at past now (a lease); it is deleted once sent.
CREATE TABLE IF NOT EXISTS mail_outbox (
    id uuid NOT NULL PRIMARY KEY,
    recipient text NOT NULL,
    subject text NOT NULL,
    text_body text NOT NULL,
    html_body text NOT NULL,
    created_at bigint NOT NULL,
    due_at bigint NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    last_error text
);
CREATE INDEX IF NOT EXISTS mail_outbox_by_due ON mail_outbox (due_at);
