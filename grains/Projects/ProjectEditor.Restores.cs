namespace Jacameno.Projects;

// What undo puts back, in server-issued op kinds (ProjectEditor.cs has the dispatch and the shared checks).
public sealed partial class ProjectEditor
{
    private TrackRestore RestoreTrack(TrackRestore op)
    {
        var track = op.Track;
        if (Document.Tracks.Count >= ProjectLimits.MaxTracks || tracks.ContainsKey(track.Id))
        {
            throw new OpRejectedException("The track cannot come back: the project is full or it exists.");
        }

        // Clips and effects that exist again elsewhere stay where they are now.
        track.Clips.RemoveAll(c => clips.ContainsKey(c.Id));
        track.Effects.RemoveAll(e => chains.ContainsKey(e.Id));
        if (track.Output is { } output && !tracks.ContainsKey(output))
        {
            track.Output = null;
        }

        track.Sends.RemoveAll(s => !tracks.ContainsKey(s.Bus));
        Document.Tracks.Insert(Math.Clamp(op.Index, 0, Document.Tracks.Count), track);
        Index(track);
        Undo("track.remove", new TrackRef(track.Id));
        Check($"track:{track.Id}");
        Write("tracks:order");
        RestoreFeeds(track, op);
        return op;
    }

    /// <summary>
    /// A bus put back is fed again by what fed it when it went, where that still can be: a track is routed back only
    /// if it still plays into the master (someone's later choice stands), a send comes back only if the track has
    /// none to the bus and room for one, and nothing comes back that would now make a loop.
    /// </summary>
    private void RestoreFeeds(Track bus, TrackRestore op)
    {
        foreach (var input in op.Inputs ?? [])
        {
            if (tracks.GetValueOrDefault(input) is { Output: null } track && !Reaches(bus, track))
            {
                track.Output = bus.Id;
                Check($"track:{track.Id}:output");
            }
        }

        foreach (var send in op.SendsIn ?? [])
        {
            if (send.BusId == bus.Id && tracks.GetValueOrDefault(send.TrackId) is { } track && track.Sends.All(s => s.Bus != bus.Id)
                && track.Sends.Count < ProjectLimits.MaxSends && !Reaches(bus, track))
            {
                track.Sends.Add(new Send { Bus = bus.Id, LevelDb = send.LevelDb ?? 0, PreFader = send.PreFader ?? false });
                Check($"track:{track.Id}:send:{bus.Id}");
            }
        }
    }

    private ClipRestore RestoreClip(ClipRestore op)
    {
        var track = TrackOf(op.TrackId);
        if (clips.ContainsKey(op.Clip.Id) || track.Clips.Count >= ProjectLimits.MaxClipsPerTrack)
        {
            throw new OpRejectedException("The clip cannot come back: its track is full or it exists.");
        }

        track.Clips.Add(op.Clip);
        clips[op.Clip.Id] = (track, op.Clip);
        Undo("clip.remove", new ClipRef(op.Clip.Id));
        Check($"clip:{op.Clip.Id}");
        return op;
    }

    /// <summary>Joins the right part of a split back onto the left one.</summary>
    private ClipMerge MergeClip(ClipMerge op)
    {
        var (track, left) = ClipOf(op.ClipId);
        var (rightTrack, right) = ClipOf(op.RightClipId);
        if (rightTrack != track || right.Start != left.Start + left.Length)
        {
            throw new OpRejectedException("The two parts are no longer side by side.");
        }

        var at = right.Start;
        foreach (var note in right.Notes)
        {
            note.Start += left.Length;
            left.Notes.Add(note);
        }

        left.Length += right.Length;
        left.FadeOut = right.FadeOut;
        track.Clips.Remove(right);
        clips.Remove(right.Id);
        Undo("clip.split", new ClipSplit(left.Id, at, right.Id));
        Check($"clip:{left.Id}:length", $"clip:{right.Id}");
        return op;
    }

    private EffectRestore RestoreEffect(EffectRestore op)
    {
        var chain = op.TrackId is { } trackId ? TrackOf(trackId).Effects : Document.Master.Effects;
        if (chains.ContainsKey(op.Effect.Id) || chain.Count >= ProjectLimits.MaxEffectsPerChain)
        {
            throw new OpRejectedException("The effect cannot come back: its chain is full or it exists.");
        }

        chain.Insert(Math.Clamp(op.Index, 0, chain.Count), op.Effect);
        chains[op.Effect.Id] = chain;
        Undo("effect.remove", new EffectRef(op.Effect.Id));
        Check($"effect:{op.Effect.Id}");
        return op;
    }
}
