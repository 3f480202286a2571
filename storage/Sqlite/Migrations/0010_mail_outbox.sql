-- Mail waiting to be sent. A row is claimed by moving due_at past now (a lease); it is deleted once sent.
CREATE TABLE IF NOT EXISTS mail_outbox (
    id TEXT NOT NULL PRIMARY KEY,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX IF NOT EXISTS mail_outbox_by_due ON mail_outbox (due_at);
