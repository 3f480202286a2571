-- Push notifications: the devices (browsers by their Web Push subscription, phones by an FCM or APNs token), which
-- topics each user wants pushed (rows only where they chose; absent means the topic's default), and the outbox of
-- pushes to send, one row per event and device, claimed by moving due_at past now (a lease) and deleted once sent.
CREATE TABLE IF NOT EXISTS push_devices (
    id uuid NOT NULL PRIMARY KEY,
    user_id uuid NOT NULL,
    kind text NOT NULL,
    name text NOT NULL,
    -- The Web Push endpoint URL or the FCM/APNs device token: one device belongs to one account at a time.
    address text NOT NULL,
    p256dh text NULL,
    auth text NULL,
    created_at bigint NOT NULL,
    UNIQUE (kind, address)
);
CREATE INDEX IF NOT EXISTS push_devices_by_user ON push_devices (user_id);
CREATE TABLE IF NOT EXISTS push_preferences (
    user_id uuid NOT NULL,
    topic text NOT NULL,
    enabled integer NOT NULL,
    PRIMARY KEY (user_id, topic)
);
CREATE TABLE IF NOT EXISTS push_outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id uuid NOT NULL,
    device_id uuid NOT NULL,
    user_id uuid NOT NULL,
    topic text NOT NULL,
    actor_id uuid NULL,
    subject_id uuid NULL,
    comment_id uuid NULL,
    detail text NULL,
    created_at bigint NOT NULL,
    due_at bigint NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    last_error text NULL,
    UNIQUE (event_id, device_id)
);
CREATE INDEX IF NOT EXISTS push_outbox_by_due ON push_outbox (due_at);
CREATE INDEX IF NOT EXISTS push_outbox_by_device ON push_outbox (device_id);
