namespace Jacameno.Projects;

// The MIDI note ops of the editor (ProjectEditor.cs has the dispatch and the shared checks).
public sealed partial class ProjectEditor
{
    private NoteAdd AddNote(NoteAdd op)
    {
        var clip = MidiClipOf(op.ClipId);
        if (clip.Notes.Count >= ProjectLimits.MaxNotesPerClip)
        {
            throw new OpRejectedException($"A clip holds at most {ProjectLimits.MaxNotesPerClip} notes.");
        }

        var note = Note(clip, op.NoteId, op.Pitch, op.Velocity, op.Start, op.Length);
        clip.Notes.Add(note);
        Undo("note.remove", new NoteRemove(clip.Id, note.Id));
        Check($"note:{note.Id}");
        return op with { NoteId = note.Id };
    }

    private NoteMove MoveNote(NoteMove op)
    {
        var clip = MidiClipOf(op.ClipId);
        var note = clip.Notes.Find(n => n.Id == op.NoteId) ?? throw new OpRejectedException("The note no longer exists.");
        var moved = Note(clip, note.Id, op.Pitch ?? note.Pitch, op.Velocity ?? note.Velocity, op.Start ?? note.Start, op.Length ?? note.Length, isNew: false);
        Undo("note.move", new NoteMove(clip.Id, note.Id, note.Pitch, note.Velocity, note.Start, note.Length));
        Check($"note:{note.Id}");
        (note.Pitch, note.Velocity, note.Start, note.Length) = (moved.Pitch, moved.Velocity, moved.Start, moved.Length);
        return op;
    }

    private NoteRemove RemoveNote(NoteRemove op)
    {
        var clip = MidiClipOf(op.ClipId);
        var note = clip.Notes.Find(n => n.Id == op.NoteId) ?? throw new OpRejectedException("The note no longer exists.");
        clip.Notes.Remove(note);
        Undo("note.add", new NoteAdd(clip.Id, note.Pitch, note.Velocity, note.Start, note.Length, note.Id));
        Check($"note:{note.Id}");
        return op;
    }

    private MidiNote Note(Clip clip, Guid? id, int pitch, int velocity, long start, long length, bool isNew = true)
    {
        if (pitch is < 0 or > 127 || velocity is < 1 or > 127)
        {
            throw new OpRejectedException("pitch must be 0-127 and velocity 1-127.");
        }

        if (start < 0 || length <= 0 || start + length > clip.Length)
        {
            throw new OpRejectedException("A note must lie inside its clip (start ≥ 0, length > 0).");
        }

        var noteId = isNew ? id ?? Guid.NewGuid() : id!.Value;
        if (isNew && id is { } given && (given == Guid.Empty || clip.Notes.Exists(n => n.Id == given)))
        {
            throw new OpRejectedException("noteId is already in use.");
        }

        return new MidiNote { Id = noteId, Pitch = pitch, Velocity = velocity, Start = start, Length = length };
    }
}
