-- Ops produced by undo and redo say so, so a replay rebuilds each user's undo history.
ALTER TABLE project_ops ADD COLUMN IF NOT EXISTS cause text;
