namespace Jacameno.Projects;

// The project ops of the editor (ProjectEditor.cs has the dispatch and the shared checks).
public sealed partial class ProjectEditor
{
    private ProjectSet SetProject(ProjectSet op)
    {
        var name = op.Name is null ? null : ValidName(op.Name, "name");
        var description = op.Description is null ? null : Text(op.Description, "description", allowEmpty: true);
        if (op.Tempo is { } tempo && (!double.IsFinite(tempo) || tempo < 20 || tempo > 999))
        {
            throw new OpRejectedException("tempo must be between 20 and 999 BPM.");
        }

        if (op.TimeSignature is { } signature && (signature.Numerator is < 1 or > 32 || signature.Denominator is not (1 or 2 or 4 or 8 or 16 or 32)))
        {
            throw new OpRejectedException("timeSignature must be 1-32 over 1, 2, 4, 8, 16 or 32.");
        }

        if (op.Key is { Length: > 0 } key && !KeyPattern().IsMatch(key))
        {
            throw new OpRejectedException("key must look like 'C major' or 'F# minor' (or be empty to clear it).");
        }

        Undo("project.set", new ProjectSet(
            op.Name is null ? null : Document.Name,
            op.Description is null ? null : Document.Description ?? "",
            op.Tempo is null ? null : Document.Tempo,
            op.TimeSignature is null ? null : new TimeSignatureValue(Document.TimeSignature.Numerator, Document.TimeSignature.Denominator),
            op.Key is null ? null : Document.Key ?? ""));
        Check(
            op.Name is null ? null : "project:name", op.Description is null ? null : "project:description", op.Tempo is null ? null : "project:tempo",
            op.TimeSignature is null ? null : "project:timeSignature", op.Key is null ? null : "project:key");
        Document.Name = name ?? Document.Name;
        Document.Description = description ?? Document.Description;
        Document.Tempo = op.Tempo ?? Document.Tempo;
        if (op.TimeSignature is { } ts)
        {
            Document.TimeSignature = new TimeSignature { Numerator = ts.Numerator, Denominator = ts.Denominator };
        }

        if (op.Key is not null)
        {
            Document.Key = op.Key.Length == 0 ? null : op.Key;
        }

        return op with { Name = name };
    }

    private TempoSet SetTempo(TempoSet op)
    {
        var changes = op.Changes ?? [];
        if (changes.Count > ProjectLimits.MaxTempoChanges)
        {
            throw new OpRejectedException($"A project has at most {ProjectLimits.MaxTempoChanges} tempo changes.");
        }

        for (var i = 0; i < changes.Count; i++)
        {
            if (changes[i].Position <= (i == 0 ? 0 : changes[i - 1].Position) || changes[i].Position > ProjectLimits.MaxSamples)
            {
                throw new OpRejectedException("Tempo changes need positions after 0, in order, each after the one before.");
            }

            if (!double.IsFinite(changes[i].Tempo) || changes[i].Tempo < 20 || changes[i].Tempo > 999)
            {
                throw new OpRejectedException("A tempo change's tempo must be between 20 and 999 BPM.");
            }
        }

        Undo("tempo.set", new TempoSet([.. Document.TempoChanges.Select(c => new TempoChangeValue(c.Position, c.Tempo))]));
        Check("project:tempoChanges");
        Document.TempoChanges = [.. changes.Select(c => new TempoChange { Position = c.Position, Tempo = c.Tempo })];
        return op;
    }

    private MasterSet SetMaster(MasterSet op)
    {
        var volume = Decibels(op.VolumeDb, "volumeDb", 12);
        Undo("master.set", new MasterSet(Document.Master.VolumeDb));
        Check("master:volumeDb");
        Document.Master.VolumeDb = volume;
        return op;
    }

    private ProjectRestore Restore(ProjectRestore op)
    {
        (Document.Name, Document.Description, Document.Tempo, Document.Key) = (op.Name, op.Description, op.Tempo, op.Key);
        Document.TempoChanges = [.. (op.TempoChanges ?? []).Select(c => new TempoChange { Position = c.Position, Tempo = c.Tempo })];
        Document.TimeSignature = new TimeSignature { Numerator = op.TimeSignature.Numerator, Denominator = op.TimeSignature.Denominator };
        Document.Master = op.Master;
        Document.Tracks = [.. op.Tracks];
        tracks.Clear();
        clips.Clear();
        chains.Clear();
        foreach (var effect in Document.Master.Effects)
        {
            chains[effect.Id] = Document.Master.Effects;
        }

        foreach (var track in Document.Tracks)
        {
            Index(track);
        }

        foreach (var comment in Document.Comments.Where(c => c.TrackId is { } t && !tracks.ContainsKey(t)))
        {
            comment.TrackId = null;
        }

        return op;
    }
}
