-- The op log of every project: the durable record of each applied edit, in version order.
CREATE TABLE IF NOT EXISTS project_ops (
    project_id TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    user_id    TEXT    NOT NULL,
    client_id  TEXT    NOT NULL,
    op_id      TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    payload    TEXT    NOT NULL,
    at         TEXT    NOT NULL,
    PRIMARY KEY (project_id, version)
) WITHOUT ROWID;

-- Catalog: who is in which project, for "my projects" and "shared with me".
CREATE TABLE IF NOT EXISTS catalog_project_members (
    project_id TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    role       TEXT    NOT NULL,
    is_owner   INTEGER NOT NULL,
    name       TEXT    NOT NULL,
    sort_key   TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (project_id, user_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS catalog_project_members_by_user ON catalog_project_members (user_id, is_owner, sort_key, project_id);
