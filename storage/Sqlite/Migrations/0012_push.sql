-- Push notifications: the devices (browsers by their Web Push subscription, phones by an FCM or APNs token), which
-- topics each user wants pushed (rows only where they chose; absent means the topic's default), and the outbox of
-- pushes to send, one row per event and device, claimed by moving due_at past now (a lease) and deleted once sent.
CREATE TABLE IF NOT EXISTS push_devices (
    id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    -- The Web Push endpoint URL or the FCM/APNs device token: one device belongs to one account at a time.
    address TEXT NOT NULL,
    p256dh TEXT NULL,
    auth TEXT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (kind, address)
);
CREATE INDEX IF NOT EXISTS push_devices_by_user ON push_devices (user_id);
CREATE TABLE IF NOT EXISTS push_preferences (
    user_id TEXT NOT NULL,
    topic TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    PRIMARY KEY (user_id, topic)
);
CREATE TABLE IF NOT EXISTS push_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    topic TEXT NOT NULL,
    actor_id TEXT NULL,
    subject_id TEXT NULL,
    comment_id TEXT NULL,
    detail TEXT NULL,
    created_at INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NULL,
    UNIQUE (event_id, device_id)
);
CREATE INDEX IF NOT EXISTS push_outbox_by_due ON push_outbox (due_at);
CREATE INDEX IF NOT EXISTS push_outbox_by_device ON push_outbox (device_id);
