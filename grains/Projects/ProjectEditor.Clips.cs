namespace Jacameno.Projects;

// The clip ops of the editor (ProjectEditor.cs has the dispatch and the shared checks).
public sealed partial class ProjectEditor
{
    private ClipAdd AddClip(ClipAdd op)
    {
        var track = TrackOf(op.TrackId);
        if (track.Kind == TrackKind.Bus)
        {
            throw new OpRejectedException("A bus track holds no clips.");
        }

        if (track.Clips.Count >= ProjectLimits.MaxClipsPerTrack)
        {
            throw new OpRejectedException($"A track holds at most {ProjectLimits.MaxClipsPerTrack} clips.");
        }

        Span(op.Start, op.Length);
        if (track.Kind == TrackKind.Audio && (op.AssetId is null || op.Notes is { Count: > 0 }))
        {
            throw new OpRejectedException("An audio clip needs an assetId and holds no notes.");
        }

        if (track.Kind == TrackKind.Midi && op.AssetId is not null)
        {
            throw new OpRejectedException("A MIDI clip holds notes, not an asset.");
        }

        if (op.Offset is < 0 or > ProjectLimits.MaxSamples)
        {
            throw new OpRejectedException("offset must be between 0 and 24 hours of samples.");
        }

        var clip = new Clip
        {
            Id = NewId(op.ClipId, "clipId"),
            Start = op.Start,
            Length = op.Length,
            AssetId = op.AssetId,
            Offset = op.Offset,
            GainDb = Decibels(op.GainDb, "gainDb", 24),
        };
        var notes = new List<NoteValue>();
        foreach (var note in op.Notes ?? [])
        {
            if (clip.Notes.Count >= ProjectLimits.MaxNotesPerClip)
            {
                throw new OpRejectedException($"A clip holds at most {ProjectLimits.MaxNotesPerClip} notes.");
            }

            var added = Note(clip, note.NoteId, note.Pitch, note.Velocity, note.Start, note.Length);
            clip.Notes.Add(added);
            notes.Add(note with { NoteId = added.Id });
        }

        track.Clips.Add(clip);
        clips[clip.Id] = (track, clip);
        Undo("clip.remove", new ClipRef(clip.Id));
        Check($"clip:{clip.Id}");
        return op with { ClipId = clip.Id, Notes = op.Notes is null ? null : notes };
    }

    private ClipMove MoveClip(ClipMove op)
    {
        var (track, clip) = ClipOf(op.ClipId);
        var start = op.Start ?? clip.Start;
        Span(start, clip.Length);
        var target = op.TrackId is { } targetId ? TrackOf(targetId) : track;
        Undo("clip.move", new ClipMove(clip.Id, clip.Start, op.TrackId is null ? null : track.Id));
        Check($"clip:{clip.Id}:position");
        if (target != track)
        {
            if (target.Kind != track.Kind)
            {
                throw new OpRejectedException($"A {track.Kind.ToString().ToLowerInvariant()} clip cannot move to a {target.Kind.ToString().ToLowerInvariant()} track.");
            }

            if (target.Clips.Count >= ProjectLimits.MaxClipsPerTrack)
            {
                throw new OpRejectedException($"A track holds at most {ProjectLimits.MaxClipsPerTrack} clips.");
            }

            track.Clips.Remove(clip);
            target.Clips.Add(clip);
            clips[clip.Id] = (target, clip);
        }

        clip.Start = start;
        return op;
    }

    private ClipResize ResizeClip(ClipResize op)
    {
        var (_, clip) = ClipOf(op.ClipId);
        var start = op.Start ?? clip.Start;
        Span(start, op.Length);
        var offset = clip.AssetId is null ? 0 : clip.Offset + (start - clip.Start);
        if (offset < 0)
        {
            throw new OpRejectedException("The clip cannot start before the beginning of its audio.");
        }

        Undo("clip.resize", new ClipResize(clip.Id, clip.Length, clip.Start));
        Check($"clip:{clip.Id}:position", $"clip:{clip.Id}:length");
        (clip.Start, clip.Length, clip.Offset) = (start, op.Length, offset);
        clip.FadeIn.Length = Math.Min(clip.FadeIn.Length, op.Length);
        clip.FadeOut.Length = Math.Min(clip.FadeOut.Length, op.Length - clip.FadeIn.Length);
        return op;
    }

    private ClipSplit SplitClip(ClipSplit op)
    {
        var (track, clip) = ClipOf(op.ClipId);
        if (op.At <= clip.Start || op.At >= clip.Start + clip.Length)
        {
            throw new OpRejectedException("at must be strictly inside the clip.");
        }

        if (track.Clips.Count >= ProjectLimits.MaxClipsPerTrack)
        {
            throw new OpRejectedException($"A track holds at most {ProjectLimits.MaxClipsPerTrack} clips.");
        }

        var cut = op.At - clip.Start;
        Write($"clip:{clip.Id}");
        var right = new Clip
        {
            Id = NewId(op.NewClipId, "newClipId"),
            Start = op.At,
            Length = clip.Length - cut,
            AssetId = clip.AssetId,
            Offset = clip.AssetId is null ? 0 : clip.Offset + cut,
            GainDb = clip.GainDb,
            FadeOut = new Fade { Length = Math.Min(clip.FadeOut.Length, clip.Length - cut), Curve = clip.FadeOut.Curve },
            Muted = clip.Muted,
        };
        foreach (var note in clip.Notes.Where(n => n.Start >= cut).ToList())
        {
            clip.Notes.Remove(note);
            note.Start -= cut;
            right.Notes.Add(note);
        }

        clip.Length = cut;
        clip.FadeIn.Length = Math.Min(clip.FadeIn.Length, cut);
        clip.FadeOut = new Fade { Curve = clip.FadeOut.Curve };
        track.Clips.Add(right);
        clips[right.Id] = (track, right);
        Undo("clip.merge", new ClipMerge(clip.Id, right.Id));
        Check($"clip:{clip.Id}:length", $"clip:{right.Id}");
        return op with { NewClipId = right.Id };
    }

    private ClipRef RemoveClip(ClipRef op)
    {
        var (track, clip) = ClipOf(op.ClipId);
        Undo("clip.restore", new ClipRestore(track.Id, Copy(clip)));
        Check($"clip:{clip.Id}");
        track.Clips.Remove(clip);
        clips.Remove(clip.Id);
        return op;
    }

    private ClipStretch StretchClip(ClipStretch op)
    {
        var (track, clip) = ClipOf(op.ClipId);
        if (track.Kind != TrackKind.Audio || clip.AssetId is null)
        {
            throw new OpRejectedException("Only audio clips stretch and transpose; MIDI notes carry their own pitch.");
        }

        if (op.SourceTempo is { } tempo && (!double.IsFinite(tempo) || tempo < 20 || tempo > 400))
        {
            throw new OpRejectedException("sourceTempo must be between 20 and 400 BPM, or null to play the audio as recorded.");
        }

        if (op.Transpose is < -24 or > 24 || op.Cents is < -100 or > 100)
        {
            throw new OpRejectedException("transpose must be between -24 and 24 semitones and cents between -100 and 100.");
        }

        Undo("clip.stretch", new ClipStretch(clip.Id, clip.SourceTempo, clip.Transpose, clip.Cents, clip.PreserveFormants));
        Check($"clip:{clip.Id}:stretch");
        (clip.SourceTempo, clip.Transpose, clip.Cents, clip.PreserveFormants) = (op.SourceTempo, op.Transpose, op.Cents, op.PreserveFormants);
        return op;
    }

    private ClipSet SetClip(ClipSet op)
    {
        var (_, clip) = ClipOf(op.ClipId);
        var gain = op.GainDb is { } g ? Decibels(g, "gainDb", 24) : clip.GainDb;
        var fadeIn = op.FadeIn ?? new FadeValue(clip.FadeIn.Length, clip.FadeIn.Curve);
        var fadeOut = op.FadeOut ?? new FadeValue(clip.FadeOut.Length, clip.FadeOut.Curve);
        if (fadeIn.Length < 0 || fadeOut.Length < 0 || fadeIn.Length + fadeOut.Length > clip.Length)
        {
            throw new OpRejectedException("Fades must not be negative and together must fit in the clip.");
        }

        Undo("clip.set", new ClipSet(clip.Id,
            op.GainDb is null ? null : clip.GainDb,
            op.FadeIn is null ? null : new FadeValue(clip.FadeIn.Length, clip.FadeIn.Curve),
            op.FadeOut is null ? null : new FadeValue(clip.FadeOut.Length, clip.FadeOut.Curve),
            op.Muted is null ? null : clip.Muted));
        Check(
            op.GainDb is null ? null : $"clip:{clip.Id}:gainDb", op.FadeIn is null ? null : $"clip:{clip.Id}:fadeIn",
            op.FadeOut is null ? null : $"clip:{clip.Id}:fadeOut", op.Muted is null ? null : $"clip:{clip.Id}:muted");
        clip.GainDb = gain;
        clip.FadeIn = new Fade { Length = fadeIn.Length, Curve = fadeIn.Curve };
        clip.FadeOut = new Fade { Length = fadeOut.Length, Curve = fadeOut.Curve };
        clip.Muted = op.Muted ?? clip.Muted;
        return op;
    }
}
