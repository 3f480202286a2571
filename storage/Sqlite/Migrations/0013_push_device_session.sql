-- The sign-in session that registered a device: when that session ends (sign-out, sign-out everywhere, a password
-- change, a replayed refresh token), its devices stop receiving pushes. Null for devices registered with a personal
-- access token or an app's token, and for those registered before this column.
ALTER TABLE push_devices ADD COLUMN session_id TEXT NULL;
CREATE INDEX IF NOT EXISTS push_devices_by_session ON push_devices (session_id);
