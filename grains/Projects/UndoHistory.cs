namespace Jacameno.Projects;

/// <summary>
/// Each user's undo and redo stacks, and the last writers of every key, kept in the project's stored state so
/// undo survives a restart. Undo is per user and refuses to overwrite another user's later edit of the same thing.
/// </summary>
internal sealed class UndoHistory(Func<ProjectState> state)
{
    public const int Depth = 100;
    public const int WritesPerKey = 8;

    /// <summary>The top of the user's undo (or redo) stack, if nobody else has written what it would put back since.</summary>
    public UndoEntry Undoable(Guid userId, string kind)
    {
        var history = state().History.GetValueOrDefault(userId);
        var stack = kind == "undo" ? history?.Undo : history?.Redo;
        if (stack is not { Count: > 0 })
        {
            throw new OpRejectedException(kind == "undo" ? "Nothing to undo." : "Nothing to redo.");
        }

        var entry = stack[^1];
        foreach (var key in entry.Checks)
        {
            if (state().Writes.TryGetValue(key, out var recent)
                && (recent.Exists(w => w.Version > entry.Version && w.UserId != userId)
                    || (recent.Count >= WritesPerKey && recent[0].Version > entry.Version)))
            {
                throw new OpRejectedException($"Someone else changed this since; {kind} would overwrite their edit.");
            }
        }

        return entry;
    }

    /// <summary>Keeps the undo history and the per-key writes in step with an applied op (live or replayed).</summary>
    public void Record(AppliedOp op, Change change)
    {
        var s = state();
        foreach (var key in change.Writes)
        {
            if (!s.Writes.TryGetValue(key, out var recent))
            {
                s.Writes[key] = recent = [];
            }

            recent.Add(new KeyWrite(op.Version, op.UserId));
            if (recent.Count > WritesPerKey)
            {
                recent.RemoveAt(0);
            }
        }

        if (op.Kind == ProjectEditor.RestoreKind)
        {
            // History was rewritten under everyone's feet: old undo entries would not make sense.
            s.History.Clear();
            return;
        }

        if (!s.History.TryGetValue(op.UserId, out var history))
        {
            s.History[op.UserId] = history = new UserHistory();
        }

        var reverse = change.InverseKind is null ? null : new UndoEntry(op.Version, change.InverseKind, change.InversePayload!, change.Checks);
        switch (op.Cause)
        {
            case "undo":
                Pop(history.Undo);
                Push(history.Redo, reverse);
                break;
            case "redo":
                Pop(history.Redo);
                Push(history.Undo, reverse);
                break;
            default:
                if (reverse is not null)
                {
                    Push(history.Undo, reverse);
                    history.Redo.Clear();
                }

                break;
        }

        static void Pop(List<UndoEntry> stack)
        {
            if (stack.Count > 0)
            {
                stack.RemoveAt(stack.Count - 1);
            }
        }

        static void Push(List<UndoEntry> stack, UndoEntry? entry)
        {
            if (entry is null)
            {
                return;
            }

            stack.Add(entry);
            if (stack.Count > Depth)
            {
                stack.RemoveAt(0);
            }
        }
    }
}
