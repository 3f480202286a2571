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
/// durability and fan-out. Indexes make an op cost the same in a project of 10 clips or 10 000. One partial file per
/// entity holds its ops (ProjectEditor.Tracks.cs, .Clips.cs, ...); this one dispatches and holds the shared checks.
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

    /// <summary>
    /// The plugins installed where this editor runs, by id: a client's op that adds a plugin, or sets one's
    /// parameters, is checked against it. Ops replayed from the log are not (a plugin may have gone since).
    /// </summary>
    public Func<string, Jacameno.Plugins.PluginInfo?> Plugins { get; init; } = _ => null;

    /// <summary>Whether a SoundFont is installed where this editor runs: checked, as plugins are, for clients' ops only.</summary>
    public Func<string, bool> SoundFontInstalled { get; init; } = _ => false;

    private bool replaying;

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

        (inverse, LastChange, replaying) = (null, new(null, null, [], []), trusted);
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
            "tempo.set" => SetTempo(Read<TempoSet>(payload)),
            "master.set" => SetMaster(Read<MasterSet>(payload)),
            "track.add" => AddTrack(Read<TrackAdd>(payload)),
            "track.remove" => RemoveTrack(Read<TrackRef>(payload)),
            "track.rename" => RenameTrack(Read<TrackRename>(payload)),
            "track.recolor" => RecolorTrack(Read<TrackRecolor>(payload)),
            "track.reorder" => ReorderTrack(Read<TrackReorder>(payload)),
            "track.set" => SetTrack(Read<TrackSet>(payload)),
            "track.send" => SetSend(Read<TrackSend>(payload)),
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
            "effect.state" => SetState(Read<EffectState>(payload)),
            "effect.zones" => SetZones(Read<EffectZones>(payload)),
            "effect.soundfont" => SetSoundFont(Read<EffectSoundFont>(payload)),
            "automation.set" => SetAutomation(Read<AutomationSet>(payload)),
            "clip.stretch" => StretchClip(Read<ClipStretch>(payload)),
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

    // --- helpers ---------------------------------------------------------------------------------------

    private void Undo(string kind, object payload) => inverse = (kind, payload);

    private void Check(params string?[] keys) => checks.AddRange(keys.OfType<string>());

    private void Write(string key) => writes.Add(key);

    private Guid? OwnerOf(List<Effect> chain) => chain == Document.Master.Effects ? null : Document.Tracks.First(t => t.Effects == chain).Id;

    /// <summary>A deep copy through the op JSON (which round-trips every project type).</summary>
    public static T Copy<T>(T value) => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, OpJson.Options), OpJson.Options)!;

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

    [GeneratedRegex("^((lv2|vst2):[!-~]+|[a-z][a-z0-9-]*)$")]
    private static partial Regex EffectType();
}
