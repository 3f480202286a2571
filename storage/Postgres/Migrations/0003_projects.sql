-- The op log of every project: the durable record of each applied edit, in version order.
CREATE TABLE IF NOT EXISTS project_ops (
    project_id uuid        NOT NULL,
    version    bigint      NOT NULL,
    user_id    uuid        NOT NULL,
    client_id  text        NOT NULL,
    op_id      text        NOT NULL,
    kind       text        NOT NULL,
    payload    text        NOT NULL,
    at         timestamptz NOT NULL,
    PRIMARY KEY (project_id, version)
);

-- Catalog: who is in which project, for "my projects" and "shared with me".
CREATE TABLE IF NOT EXISTS catalog_project_members (
    project_id uuid        NOT NULL,
    user_id    uuid        NOT NULL,
    role       text        NOT NULL,
    is_owner   boolean     NOT NULL,
    name       text        NOT NULL,
    sort_key   text        NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX IF NOT EXISTS catalog_project_members_by_user ON catalog_project_members (user_id, is_owner, sort_key COLLATE "C", project_id);
