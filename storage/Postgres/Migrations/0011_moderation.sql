-- Trust and safety: what users report, and every action moderators take (the audit log).
CREATE TABLE IF NOT EXISTS moderation_reports (
    id uuid NOT NULL PRIMARY KEY,
    target_type text NOT NULL,
    target_id uuid NOT NULL,
    reporter_id uuid NULL,
    reason text NOT NULL,
    details text NULL,
    created_at bigint NOT NULL,
    resolved_at bigint NULL,
    resolution text NULL,
    -- A copyright notice (takedown) hides its target at once; the owner may answer it with a counter-notice.
    takedown integer NOT NULL DEFAULT 0,
    counter_notice text NULL
);
CREATE INDEX IF NOT EXISTS moderation_reports_open ON moderation_reports (resolved_at, created_at);
CREATE INDEX IF NOT EXISTS moderation_reports_by_target ON moderation_reports (target_type, target_id);
CREATE INDEX IF NOT EXISTS moderation_reports_by_reporter ON moderation_reports (reporter_id, created_at);
CREATE TABLE IF NOT EXISTS moderation_actions (
    id uuid NOT NULL PRIMARY KEY,
    target_type text NOT NULL,
    target_id uuid NOT NULL,
    action text NOT NULL,
    reason text NOT NULL,
    actor_id uuid NOT NULL,
    created_at bigint NOT NULL,
    until_at bigint NULL
);
CREATE INDEX IF NOT EXISTS moderation_actions_by_time ON moderation_actions (created_at);
CREATE INDEX IF NOT EXISTS moderation_actions_by_target ON moderation_actions (target_type, target_id, created_at);
