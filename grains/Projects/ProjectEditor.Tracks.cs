namespace Jacameno.Projects;

// The track ops of the editor (ProjectEditor.cs has the dispatch and the shared checks).
public sealed partial class ProjectEditor
{
    private TrackAdd AddTrack(TrackAdd op)
    {
        if (Document.Tracks.Count >= ProjectLimits.MaxTracks)
        {
            throw new OpRejectedException($"A project holds at most {ProjectLimits.MaxTracks} tracks.");
        }

        var id = NewId(op.TrackId, "trackId");
        var track = new Track
        {
            Id = id,
            Name = op.Name is null ? $"{op.Kind} {Document.Tracks.Count + 1}" : ValidName(op.Name, "name"),
            Kind = op.Kind,
            Color = op.Color is null ? "#4f8cff" : ValidColor(op.Color),
        };
        var index = Math.Clamp(op.Index ?? Document.Tracks.Count, 0, Document.Tracks.Count);
        Document.Tracks.Insert(index, track);
        Index(track);
        Undo("track.remove", new TrackRef(id));
        Check($"track:{id}");
        Write("tracks:order");
        return op with { TrackId = id, Name = track.Name, Color = track.Color, Index = index };
    }

    private TrackRef RemoveTrack(TrackRef op)
    {
        var track = TrackOf(op.TrackId);
        var inputs = Document.Tracks.Where(t => t.Output == track.Id).Select(t => t.Id).ToList();
        var sendsIn = Document.Tracks.SelectMany(t => t.Sends.Where(s => s.Bus == track.Id).Select(s => new TrackSend(t.Id, s.Bus, s.LevelDb, s.PreFader))).ToList();
        Undo("track.restore", new TrackRestore(Copy(track), Document.Tracks.IndexOf(track), inputs is [] ? null : inputs, sendsIn is [] ? null : sendsIn));
        Check($"track:{track.Id}");
        Write("tracks:order");
        Document.Tracks.Remove(track);
        tracks.Remove(track.Id);
        foreach (var clip in track.Clips)
        {
            clips.Remove(clip.Id);
        }

        foreach (var effect in track.Effects)
        {
            chains.Remove(effect.Id);
        }

        // Whatever was routed into a removed bus goes to the master, and sends to it go (their lanes are kept and
        // ignored, as an effect's are; undo puts both back); comments pinned to it stay at their time.
        foreach (var other in Document.Tracks.Where(t => t.Output == track.Id))
        {
            other.Output = null;
        }

        foreach (var other in Document.Tracks)
        {
            other.Sends.RemoveAll(s => s.Bus == track.Id);
        }

        foreach (var comment in Document.Comments.Where(c => c.TrackId == track.Id))
        {
            comment.TrackId = null;
        }

        return op;
    }

    private TrackRename RenameTrack(TrackRename op)
    {
        var track = TrackOf(op.TrackId);
        var name = ValidName(op.Name, "name");
        Undo("track.rename", new TrackRename(track.Id, track.Name));
        Check($"track:{track.Id}:name");
        track.Name = name;
        return op;
    }

    private TrackRecolor RecolorTrack(TrackRecolor op)
    {
        var track = TrackOf(op.TrackId);
        var color = ValidColor(op.Color);
        Undo("track.recolor", new TrackRecolor(track.Id, track.Color));
        Check($"track:{track.Id}:color");
        track.Color = color;
        return op;
    }

    private TrackReorder ReorderTrack(TrackReorder op)
    {
        var track = TrackOf(op.TrackId);
        if (op.Index < 0 || op.Index >= Document.Tracks.Count)
        {
            throw new OpRejectedException($"index must be between 0 and {Document.Tracks.Count - 1}.");
        }

        Undo("track.reorder", new TrackReorder(track.Id, Document.Tracks.IndexOf(track)));
        Check("tracks:order");
        Document.Tracks.Remove(track);
        Document.Tracks.Insert(op.Index, track);
        return op;
    }

    private TrackSet SetTrack(TrackSet op)
    {
        var track = TrackOf(op.TrackId);
        var volume = op.VolumeDb is { } v ? Decibels(v, "volumeDb", 12) : track.VolumeDb;
        if (op.Pan is { } pan && (!double.IsFinite(pan) || pan < -1 || pan > 1))
        {
            throw new OpRejectedException("pan must be between -1 and 1.");
        }

        var output = track.Output;
        if (op.Output is { } target)
        {
            output = string.Equals(target, "master", StringComparison.OrdinalIgnoreCase) ? null : BusFor(track, target);
        }

        Undo("track.set", new TrackSet(track.Id,
            op.VolumeDb is null ? null : track.VolumeDb, op.Pan is null ? null : track.Pan, op.Mute is null ? null : track.Mute,
            op.Solo is null ? null : track.Solo, op.Output is null ? null : track.Output?.ToString() ?? "master"));
        Check(
            op.VolumeDb is null ? null : $"track:{track.Id}:volumeDb", op.Pan is null ? null : $"track:{track.Id}:pan",
            op.Mute is null ? null : $"track:{track.Id}:mute", op.Solo is null ? null : $"track:{track.Id}:solo",
            op.Output is null ? null : $"track:{track.Id}:output");
        (track.VolumeDb, track.Pan, track.Mute, track.Solo, track.Output) = (volume, op.Pan ?? track.Pan, op.Mute ?? track.Mute, op.Solo ?? track.Solo, output);
        return op;
    }

    private TrackSend SetSend(TrackSend op)
    {
        var track = TrackOf(op.TrackId);
        var send = track.Sends.Find(s => s.Bus == op.BusId);
        if (op.Remove)
        {
            if (send is null)
            {
                throw new OpRejectedException("The track has no send to that bus.");
            }

            Undo("track.send", new TrackSend(track.Id, send.Bus, send.LevelDb, send.PreFader));
            Check($"track:{track.Id}:send:{send.Bus}");
            track.Sends.Remove(send);
            return op;
        }

        var level = op.LevelDb is { } v ? Decibels(v, "levelDb", 12) : send?.LevelDb ?? 0;
        if (send is null)
        {
            Bus(track, op.BusId, "busId");
            if (track.Sends.Count >= ProjectLimits.MaxSends)
            {
                throw new OpRejectedException($"A track has at most {ProjectLimits.MaxSends} sends.");
            }
        }

        Undo("track.send", send is null ? new TrackSend(track.Id, op.BusId, Remove: true) : new TrackSend(track.Id, send.Bus, send.LevelDb, send.PreFader));
        Check($"track:{track.Id}:send:{op.BusId}");
        if (send is null)
        {
            track.Sends.Add(send = new Send { Bus = op.BusId });
        }

        (send.LevelDb, send.PreFader) = (level, op.PreFader ?? send.PreFader);
        return op with { LevelDb = send.LevelDb, PreFader = send.PreFader };
    }

    private Guid BusFor(Track track, string target) =>
        Guid.TryParse(target, out var busId) ? Bus(track, busId, "output")
        : throw new OpRejectedException("output must be \"master\" or the id of a bus track of this project.");

    /// <summary>A bus of this project the track may feed: not itself, nor one that (through outputs and sends) feeds it.</summary>
    private Guid Bus(Track track, Guid busId, string field)
    {
        if (!tracks.TryGetValue(busId, out var bus) || bus.Kind != TrackKind.Bus)
        {
            throw new OpRejectedException(field == "output"
                ? "output must be \"master\" or the id of a bus track of this project."
                : $"{field} must be the id of a bus track of this project.");
        }

        // Feeding a bus that (through other buses) feeds this track would loop forever.
        return Reaches(bus, track) ? throw new OpRejectedException("That routing would make a loop.") : busId;
    }

    /// <summary>Whether what <paramref name="from"/> plays reaches <paramref name="to"/>, through outputs and sends.</summary>
    private bool Reaches(Track from, Track to)
    {
        var seen = new HashSet<Guid>();
        var next = new Stack<Track>([from]);
        while (next.TryPop(out var hop))
        {
            if (hop.Id == to.Id)
            {
                return true;
            }

            foreach (var fed in hop.Sends.Select(s => s.Bus).Append(hop.Output ?? Guid.Empty))
            {
                if (seen.Add(fed) && tracks.GetValueOrDefault(fed) is { } feeds)
                {
                    next.Push(feeds);
                }
            }
        }

        return false;
    }
}
