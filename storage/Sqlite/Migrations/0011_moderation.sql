-- Trust and safety: what users report, and every action moderators take (the audit log).
CREATE TABLE IF NOT EXISTS moderation_reports (
    id TEXT NOT NULL PRIMARY KEY,
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    reporter_id TEXT NULL,
    reason TEXT NOT NULL,
    details TEXT NULL,
    created_at INTEGER NOT NULL,
    resolved_at INTEGER NULL,
    resolution TEXT NULL,
    -- A copyright notice (takedown) hides its target at once; the owner may answer it with a counter-notice.
    takedown INTEGER NOT NULL DEFAULT 0,
    counter_notice TEXT NULL
);
CREATE INDEX IF NOT EXISTS moderation_reports_open ON moderation_reports (resolved_at, created_at);
CREATE INDEX IF NOT EXISTS moderation_reports_by_target ON moderation_reports (target_type, target_id);
CREATE INDEX IF NOT EXISTS moderation_reports_by_reporter ON moderation_reports (reporter_id, created_at);
CREATE TABLE IF NOT EXISTS moderation_actions (
    id TEXT NOT NULL PRIMARY KEY,
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    action TEXT NOT NULL,
    reason TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    until_at INTEGER NULL
);
CREATE INDEX IF NOT EXISTS moderation_actions_by_time ON moderation_actions (created_at);
CREATE INDEX IF NOT EXISTS moderation_actions_by_target ON moderation_actions (target_type, target_id, created_at);
