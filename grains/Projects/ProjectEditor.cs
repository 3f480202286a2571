using System.Text.Json;
using System.Text.RegularExpressions;

namespace Jacameno.Projects;

/// <summary>What one applied op changed, for undo: its inverse op, the keys to check, the keys written.</summary>
public sealed record Change(string? InverseKind, string? InversePayload, IReadOnlyList<string> Checks, IReadOnlyList<string> Writes);

/// <summary>An op that cannot apply; the reason goes back to the client in its ack.</summary>
public sealed class OpRejectedException(string reason) : Exception(reason);

/// <summary>
/// Applies ops to a project document: checks the role, that every id it names exists in this project and
/// that every value is in range, then changes the document. Pure, with no I/O: the project grain adds order,
/// durability and fan-out. Indexes make an op cost the same in a project of 10 clips or 10 000.
/// </summary>
public sealed partial class ProjectEditor
{
    private readonly Dictionary<Guid, Track> tracks = [];
    private readonly Dictionary<Guid, (Track Track, Clip Clip)> clips = [];
    private readonly Dictionary<Guid, List<Effect>> chains = [];
    private readonly Dictionary<Guid, Comment> comments = [];
    private readonly Dictionary<Guid, (Comment Parent, CommentReply Reply)> replies = [];

    public ProjectEditor(ProjectDocument document)
    {
        Document = document;
        foreach (var effect in document.Master.Effects)
        {
            chains[effect.Id] = document.Master.Effects;
        }

        foreach (var track in document.Tracks)
        {
            Index(track);
        }

        foreach (var comment in document.Comments)
        {
            comments[comment.Id] = comment;
            foreach (var reply in comment.Replies)
            {
                replies[reply.Id] = (comment, reply);
            }
        }
    }

    public ProjectDocument Document { get; }

    public const string RestoreKind = "project.restore";

    /// <summary>Kinds only the server issues (restore, and the inverses undo produces); clients are refused them.</summary>
    public static IReadOnlySet<string> ServerKinds { get; } = new HashSet<string>
    {
        RestoreKind, "track.restore", "clip.restore", "clip.merge", "effect.restore",
    };

    private (string Kind, object Payload)? inverse;
    private readonly List<string> checks = [];
    private readonly List<string> writes = [];

    /// <summary>
    /// What the last applied op changed: the op that undoes it (null when it cannot be undone), the keys an
    /// undo must find unchanged by others, and every key it wrote.
    /// </summary>
    public Change LastChange { get; private set; } = new(null, null, [], []);

    /// <summary>Applies one op and returns its normalized payload (with the ids the server chose).</summary>
    public string Apply(Guid userId, ProjectRole role, string kind, string payload, DateTimeOffset now, bool trusted = false)
    {
        if (ServerKinds.Contains(kind) && !trusted)
        {
            throw new OpRejectedException($"'{kind}' is made by the server (restore a version, or undo), not sent by clients.");
        }

        (inverse, LastChange) = (null, new(null, null, [], []));
        checks.Clear();
        writes.Clear();
        var normalized = ApplyKind(userId, role, kind, payload, now);
        LastChange = new Change(inverse?.Kind, inverse is { } i ? JsonSerializer.Serialize(i.Payload, i.Payload.GetType(), OpJson.Options) : null,
            [.. checks], [.. writes.Concat(checks).Distinct()]);
        return normalized;
    }

    private string ApplyKind(Guid userId, ProjectRole role, string kind, string payload, DateTimeOffset now)
    {
        if (kind == RestoreKind)
        {
            return role >= ProjectRole.Editor
                ? JsonSerializer.Serialize(Restore(Read<ProjectRestore>(payload, ignoreSize: true)), OpJson.Options)
                : throw new OpRejectedException("A viewer or commenter cannot restore a version.");
        }

        var needed = kind.StartsWith("comment.", StringComparison.Ordinal) ? ProjectRole.Commenter : ProjectRole.Editor;
        if (role < needed)
        {
            throw new OpRejectedException($"A {role.ToString().ToLowerInvariant()} cannot {(needed == ProjectRole.Commenter ? "comment" : "edit")}.");
        }

        object normalized = kind switch
        {
            "project.set" => SetProject(Read<ProjectSet>(payload)),
            "master.set" => SetMaster(Read<MasterSet>(payload)),
            "track.add" => AddTrack(Read<TrackAdd>(payload)),
            "track.remove" => RemoveTrack(Read<TrackRef>(payload)),
            "track.rename" => RenameTrack(Read<TrackRename>(payload)),
            "track.recolor" => RecolorTrack(Read<TrackRecolor>(payload)),
            "track.reorder" => ReorderTrack(Read<TrackReorder>(payload)),
            "track.set" => SetTrack(Read<TrackSet>(payload)),
            "clip.add" => AddClip(Read<ClipAdd>(payload)),
            "clip.move" => MoveClip(Read<ClipMove>(payload)),
            "clip.resize" => ResizeClip(Read<ClipResize>(payload)),
            "clip.split" => SplitClip(Read<ClipSplit>(payload)),
            "clip.remove" => RemoveClip(Read<ClipRef>(payload)),
            "clip.set" => SetClip(Read<ClipSet>(payload)),
            "effect.add" => AddEffect(Read<EffectAdd>(payload)),
            "effect.remove" => RemoveEffect(Read<EffectRef>(payload)),
            "effect.reorder" => ReorderEffect(Read<EffectReorder>(payload)),
            "effect.bypass" => BypassEffect(Read<EffectBypass>(payload)),
            "effect.set" => SetEffect(Read<EffectSet>(payload)),
            "effect.sidechain" => SetSidechain(Read<EffectSidechain>(payload)),
            "note.add" => AddNote(Read<NoteAdd>(payload)),
            "note.move" => MoveNote(Read<NoteMove>(payload)),
            "note.remove" => RemoveNote(Read<NoteRemove>(payload)),
            "comment.add" => AddComment(Read<CommentAdd>(payload), userId, now),
            "comment.edit" => EditComment(Read<CommentEdit>(payload), userId),
            "comment.resolve" => ResolveComment(Read<CommentResolve>(payload)),
            "comment.delete" => DeleteComment(Read<CommentRef>(payload), userId, role),
            "track.restore" => RestoreTrack(Read<TrackRestore>(payload, ignoreSize: true)),
            "clip.restore" => RestoreClip(Read<ClipRestore>(payload, ignoreSize: true)),
            "clip.merge" => MergeClip(Read<ClipMerge>(payload)),
            "effect.restore" => RestoreEffect(Read<EffectRestore>(payload, ignoreSize: true)),
            _ => throw new OpRejectedException($"Unknown op kind '{Truncate(kind)}'."),
        };
        return JsonSerializer.Serialize(normalized, normalized.GetType(), OpJson.Options);
    }

    // --- project ---------------------------------------------------------------------------------------

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

    // --- tracks ----------------------------------------------------------------------------------------

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
        Undo("track.restore", new TrackRestore(Copy(track), Document.Tracks.IndexOf(track)));
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

        // Whatever was routed into a removed bus goes to the master; comments pinned to it stay at their time.
        foreach (var other in Document.Tracks.Where(t => t.Output == track.Id))
        {
            other.Output = null;
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

    private Guid BusFor(Track track, string target)
    {
        if (!Guid.TryParse(target, out var busId) || !tracks.TryGetValue(busId, out var bus) || bus.Kind != TrackKind.Bus)
        {
            throw new OpRejectedException("output must be \"master\" or the id of a bus track of this project.");
        }

        // Routing into a bus that (through other buses) feeds this track would loop forever.
        for (Track? hop = bus; hop is not null; hop = hop.Output is { } next ? tracks.GetValueOrDefault(next) : null)
        {
            if (hop.Id == track.Id)
            {
                throw new OpRejectedException("That routing would make a loop.");
            }
        }

        return busId;
    }

    // --- clips -----------------------------------------------------------------------------------------

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

    // --- effects ---------------------------------------------------------------------------------------

    private EffectAdd AddEffect(EffectAdd op)
    {
        var chain = op.TrackId is { } trackId ? TrackOf(trackId).Effects : Document.Master.Effects;
        if (chain.Count >= ProjectLimits.MaxEffectsPerChain)
        {
            throw new OpRejectedException($"An effect chain holds at most {ProjectLimits.MaxEffectsPerChain} effects.");
        }

        if (op.Type.Length is 0 or > 200 || !EffectType().IsMatch(op.Type))
        {
            throw new OpRejectedException("type must be a built-in effect name or 'lv2:<plugin uri>'.");
        }

        CheckBuiltIn(op.Type, op.Parameters ?? new Dictionary<string, double>());
        var effect = new Effect { Id = NewId(op.EffectId, "effectId"), Type = op.Type, Bypass = op.Bypass };
        SetParameters(effect, op.Parameters ?? new Dictionary<string, double>());
        var index = Math.Clamp(op.Index ?? chain.Count, 0, chain.Count);
        chain.Insert(index, effect);
        chains[effect.Id] = chain;
        Undo("effect.remove", new EffectRef(effect.Id));
        Check($"effect:{effect.Id}");
        return op with { EffectId = effect.Id, Index = index };
    }

    private EffectRef RemoveEffect(EffectRef op)
    {
        var (chain, effect) = EffectOf(op.EffectId);
        Undo("effect.restore", new EffectRestore(Copy(effect), chain.IndexOf(effect), OwnerOf(chain)));
        Check($"effect:{effect.Id}");
        chain.Remove(effect);
        chains.Remove(effect.Id);
        return op;
    }

    private EffectReorder ReorderEffect(EffectReorder op)
    {
        var (chain, effect) = EffectOf(op.EffectId);
        if (op.Index < 0 || op.Index >= chain.Count)
        {
            throw new OpRejectedException($"index must be between 0 and {chain.Count - 1}.");
        }

        Undo("effect.reorder", new EffectReorder(effect.Id, chain.IndexOf(effect)));
        Check($"effect:{effect.Id}:index");
        chain.Remove(effect);
        chain.Insert(op.Index, effect);
        return op;
    }

    private EffectBypass BypassEffect(EffectBypass op)
    {
        var effect = EffectOf(op.EffectId).Effect;
        Undo("effect.bypass", new EffectBypass(effect.Id, effect.Bypass));
        Check($"effect:{effect.Id}:bypass");
        effect.Bypass = op.Bypass;
        return op;
    }

    private EffectSet SetEffect(EffectSet op)
    {
        var effect = EffectOf(op.EffectId).Effect;
        var unset = op.Unset ?? [];
        var before = op.Parameters.Keys.Where(effect.Parameters.ContainsKey).ToDictionary(k => k, k => effect.Parameters[k]);
        var restoreUnset = unset.Where(effect.Parameters.ContainsKey).ToDictionary(k => k, k => effect.Parameters[k]);
        CheckBuiltIn(effect.Type, effect.Parameters.Where(kv => !unset.Contains(kv.Key)).Concat(op.Parameters)
            .GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value));
        SetParameters(effect, op.Parameters);
        foreach (var name in unset)
        {
            effect.Parameters.Remove(name);
        }

        Undo("effect.set", new EffectSet(effect.Id, before.Concat(restoreUnset).ToDictionary(),
            [.. op.Parameters.Keys.Where(k => !before.ContainsKey(k))]));
        Check([.. op.Parameters.Keys.Concat(unset).Select(k => $"effect:{effect.Id}:p:{k}")]);
        return op;
    }

    private EffectSidechain SetSidechain(EffectSidechain op)
    {
        var (chain, effect) = EffectOf(op.EffectId);
        if (effect.Type != "compressor")
        {
            throw new OpRejectedException("Only a compressor takes a sidechain.");
        }

        if (op.TrackId is { } key && (!tracks.TryGetValue(key, out var source) || ReferenceEquals(source.Effects, chain)))
        {
            throw new OpRejectedException(tracks.ContainsKey(key) ? "A compressor cannot be keyed by its own track." : "The sidechain track no longer exists in this project.");
        }

        Undo("effect.sidechain", new EffectSidechain(effect.Id, effect.SidechainTrackId));
        effect.SidechainTrackId = op.TrackId;
        Check($"effect:{effect.Id}:sidechain");
        return op;
    }

    /// <summary>Built-in effects take only their own parameters, in range (audio's EffectCatalog); plugins ("lv2:…") are checked by the plugin host.</summary>
    private static void CheckBuiltIn(string type, IReadOnlyDictionary<string, double> parameters)
    {
        if (type.StartsWith("lv2:", StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            Jacameno.Audio.Effects.EffectCatalog.Validate(type, parameters);
        }
        catch (Jacameno.Audio.Effects.EffectParameterException e)
        {
            throw new OpRejectedException(e.Message);
        }
    }

    private static void SetParameters(Effect effect, IReadOnlyDictionary<string, double> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            if (name.Length is 0 or > 64 || !double.IsFinite(value))
            {
                throw new OpRejectedException($"Parameter '{Truncate(name)}' needs a name of 1-64 characters and a finite value.");
            }
        }

        if (effect.Parameters.Keys.Union(parameters.Keys).Count() > ProjectLimits.MaxParameters)
        {
            throw new OpRejectedException($"An effect holds at most {ProjectLimits.MaxParameters} parameters.");
        }

        foreach (var (name, value) in parameters)
        {
            effect.Parameters[name] = value;
        }
    }

    // --- MIDI notes ------------------------------------------------------------------------------------

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

    // --- comments --------------------------------------------------------------------------------------

    private CommentAdd AddComment(CommentAdd op, Guid userId, DateTimeOffset now)
    {
        var text = Text(op.Text, "text", allowEmpty: false);
        var id = NewId(op.CommentId, "commentId");
        if (op.ReplyTo is { } parentId)
        {
            var parent = comments.GetValueOrDefault(parentId) ?? throw new OpRejectedException("The comment to reply to no longer exists.");
            if (parent.Replies.Count >= ProjectLimits.MaxReplies)
            {
                throw new OpRejectedException($"A comment holds at most {ProjectLimits.MaxReplies} replies.");
            }

            var reply = new CommentReply { Id = id, AuthorId = userId, Text = text, CreatedAt = now };
            parent.Replies.Add(reply);
            replies[id] = (parent, reply);
            return op with { CommentId = id, Text = text };
        }

        if (Document.Comments.Count >= ProjectLimits.MaxComments)
        {
            throw new OpRejectedException($"A project holds at most {ProjectLimits.MaxComments} comments.");
        }

        if (op.Position is < 0 or > ProjectLimits.MaxSamples)
        {
            throw new OpRejectedException("position must be between 0 and 24 hours of samples.");
        }

        if (op.TrackId is { } trackId)
        {
            TrackOf(trackId);
        }

        var comment = new Comment { Id = id, AuthorId = userId, Position = op.Position, TrackId = op.TrackId, Text = text, CreatedAt = now };
        Document.Comments.Add(comment);
        comments[id] = comment;
        return op with { CommentId = id, Text = text };
    }

    private CommentEdit EditComment(CommentEdit op, Guid userId)
    {
        var text = Text(op.Text, "text", allowEmpty: false);
        var (author, setText) = comments.TryGetValue(op.CommentId, out var comment)
            ? (comment.AuthorId, (Action<string>)(t => comment.Text = t))
            : replies.TryGetValue(op.CommentId, out var reply)
                ? (reply.Reply.AuthorId, t => reply.Reply.Text = t)
                : throw new OpRejectedException("The comment no longer exists.");
        if (author != userId)
        {
            throw new OpRejectedException("Only its author can edit a comment.");
        }

        setText(text);
        return op with { Text = text };
    }

    private CommentResolve ResolveComment(CommentResolve op)
    {
        var comment = comments.GetValueOrDefault(op.CommentId) ?? throw new OpRejectedException("The comment no longer exists.");
        comment.Resolved = op.Resolved;
        return op;
    }

    private CommentRef DeleteComment(CommentRef op, Guid userId, ProjectRole role)
    {
        if (comments.TryGetValue(op.CommentId, out var comment))
        {
            Authorize(comment.AuthorId);
            Document.Comments.Remove(comment);
            comments.Remove(comment.Id);
            foreach (var reply in comment.Replies)
            {
                replies.Remove(reply.Id);
            }
        }
        else if (replies.TryGetValue(op.CommentId, out var reply))
        {
            Authorize(reply.Reply.AuthorId);
            reply.Parent.Replies.Remove(reply.Reply);
            replies.Remove(reply.Reply.Id);
        }
        else
        {
            throw new OpRejectedException("The comment no longer exists.");
        }

        return op;

        void Authorize(Guid author)
        {
            if (author != userId && role != ProjectRole.Owner)
            {
                throw new OpRejectedException("Only its author or the project owner can delete a comment.");
            }
        }
    }

    // --- what undo puts back (server-issued kinds) ---------------------------------------------------------

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

        Document.Tracks.Insert(Math.Clamp(op.Index, 0, Document.Tracks.Count), track);
        Index(track);
        Undo("track.remove", new TrackRef(track.Id));
        Check($"track:{track.Id}");
        Write("tracks:order");
        return op;
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

    private void Undo(string kind, object payload) => inverse = (kind, payload);

    private void Check(params string?[] keys) => checks.AddRange(keys.OfType<string>());

    private void Write(string key) => writes.Add(key);

    private Guid? OwnerOf(List<Effect> chain) => chain == Document.Master.Effects ? null : Document.Tracks.First(t => t.Effects == chain).Id;

    /// <summary>A deep copy through the op JSON (which round-trips every project type).</summary>
    public static T Copy<T>(T value) => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, OpJson.Options), OpJson.Options)!;

    // --- helpers ---------------------------------------------------------------------------------------

    private static T Read<T>(string payload, bool ignoreSize = false)
    {
        if (!ignoreSize && payload.Length > ProjectLimits.MaxPayloadChars)
        {
            throw new OpRejectedException($"The payload is larger than {ProjectLimits.MaxPayloadChars} characters.");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(payload, OpJson.Options) ?? throw new OpRejectedException("The payload must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw new OpRejectedException($"The payload does not fit this kind of op{(e.Path is { Length: > 1 } path ? $" (at {path})" : "")}: {Reason(e)}");
        }
    }

    /// <summary>System.Text.Json's messages name our .NET types; the client knows only the op's fields.</summary>
    private static string Reason(JsonException e)
    {
        var message = e.Message;
        if (message.StartsWith("The JSON value could not be converted to ", StringComparison.Ordinal))
        {
            return "the value there has the wrong type.";
        }

        if (message.StartsWith("The JSON property ", StringComparison.Ordinal) && message.Contains(" could not be mapped to any ", StringComparison.Ordinal))
        {
            return "that field is not one of this op's.";
        }

        if (message.Contains(" doesn't allow ", StringComparison.Ordinal) && message.Contains("null values", StringComparison.Ordinal))
        {
            return "that field must not be null.";
        }

        const string missing = "was missing required properties including: ";
        var at = message.IndexOf(missing, StringComparison.Ordinal);
        if (at >= 0)
        {
            return $"required fields are missing: {Truncate(message[(at + missing.Length)..].TrimEnd('.'), 200)}.";
        }

        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return Truncate(end > 0 ? message[..(end + 1)] : message, 200);
    }

    private void Index(Track track)
    {
        tracks[track.Id] = track;
        foreach (var clip in track.Clips)
        {
            clips[clip.Id] = (track, clip);
        }

        foreach (var effect in track.Effects)
        {
            chains[effect.Id] = track.Effects;
        }
    }

    private Track TrackOf(Guid id) => tracks.GetValueOrDefault(id) ?? throw new OpRejectedException("The track no longer exists in this project.");

    private (Track Track, Clip Clip) ClipOf(Guid id) =>
        clips.TryGetValue(id, out var found) ? found : throw new OpRejectedException("The clip no longer exists in this project.");

    private Clip MidiClipOf(Guid id)
    {
        var (track, clip) = ClipOf(id);
        return track.Kind == TrackKind.Midi ? clip : throw new OpRejectedException("Notes belong on MIDI clips.");
    }

    private (List<Effect> Chain, Effect Effect) EffectOf(Guid id) =>
        chains.TryGetValue(id, out var chain) && chain.Find(e => e.Id == id) is { } effect
            ? (chain, effect)
            : throw new OpRejectedException("The effect no longer exists in this project.");

    /// <summary>A new entity's id: the client's (so it can refer to it before the ack) or a fresh one.</summary>
    private Guid NewId(Guid? requested, string field)
    {
        if (requested is not { } id)
        {
            return Guid.NewGuid();
        }

        if (id == Guid.Empty || tracks.ContainsKey(id) || clips.ContainsKey(id) || chains.ContainsKey(id) || comments.ContainsKey(id) || replies.ContainsKey(id))
        {
            throw new OpRejectedException($"{field} is already in use.");
        }

        return id;
    }

    private static void Span(long start, long length)
    {
        if (start < 0 || length <= 0 || start + length > ProjectLimits.MaxSamples)
        {
            throw new OpRejectedException("A clip needs start ≥ 0 and length > 0, within 24 hours of samples.");
        }
    }

    private static double Decibels(double value, string field, double max) =>
        double.IsFinite(value) && value >= -96 && value <= max ? value : throw new OpRejectedException($"{field} must be between -96 and {max} dB.");

    private static string ValidName(string name, string field)
    {
        var trimmed = name.Trim();
        return trimmed.Length is > 0 and <= ProjectLimits.MaxNameLength && !trimmed.Any(char.IsControl)
            ? trimmed
            : throw new OpRejectedException($"{field} must be 1-{ProjectLimits.MaxNameLength} characters without control characters.");
    }

    private static string Text(string text, string field, bool allowEmpty)
    {
        var trimmed = text.Trim();
        return (allowEmpty || trimmed.Length > 0) && trimmed.Length <= ProjectLimits.MaxTextLength
            ? trimmed
            : throw new OpRejectedException($"{field} must be {(allowEmpty ? 0 : 1)}-{ProjectLimits.MaxTextLength} characters.");
    }

    private static string ValidColor(string color) =>
        ColorPattern().IsMatch(color) ? color.ToLowerInvariant() : throw new OpRejectedException("color must be #rrggbb.");

    private static string Truncate(string text, int max = 40) => text.Length <= max ? text : text[..max] + "…";

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex ColorPattern();

    [GeneratedRegex("^[A-G](#|b)? (major|minor)$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^(lv2:[!-~]+|[a-z][a-z0-9-]*)$")]
    private static partial Regex EffectType();
}
