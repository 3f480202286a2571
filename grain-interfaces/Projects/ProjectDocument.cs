namespace Jacameno.Projects;

/// <summary>What a collaborator may do; ordered by power.</summary>
public enum ProjectRole
{
    Viewer = 0,
    Commenter = 1,
    Editor = 2,
    Owner = 3,
}

public enum TrackKind
{
    Audio,
    Midi,
    Bus,
}

public enum FadeCurve
{
    Linear,
    Exponential,
    Logarithmic,
    SCurve,
}

/// <summary>How an automation value travels from a point to the next: a straight line, held until the next point, or a curve.</summary>
public enum AutomationCurve
{
    Linear,
    Hold,
    Exponential,
    Logarithmic,
    SCurve,
}

/// <summary>
/// A whole project as the project grain holds it and clients receive it: the state after
/// <see cref="Version"/> ops. Positions and lengths are in samples at <see cref="SampleRate"/>.
/// </summary>
[GenerateSerializer, Alias("jacameno.project")]
public sealed class ProjectDocument
{
    [Id(0)] public Guid Id { get; set; }
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public string? Description { get; set; }
    [Id(3)] public double Tempo { get; set; } = 120;
    [Id(4)] public TimeSignature TimeSignature { get; set; } = new();
    [Id(5)] public string? Key { get; set; }
    [Id(6)] public int SampleRate { get; set; } = 48000;
    [Id(7)] public MasterBus Master { get; set; } = new();
    [Id(8)] public Guid OwnerId { get; set; }
    [Id(9)] public List<Collaborator> Collaborators { get; set; } = [];
    [Id(10)] public List<Track> Tracks { get; set; } = [];
    [Id(11)] public List<Comment> Comments { get; set; } = [];
    [Id(12)] public long Version { get; set; }
    [Id(13)] public DateTimeOffset CreatedAt { get; set; }
    [Id(14)] public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The project and version this one was forked from, if any.</summary>
    [Id(15)] public ForkSource? ForkedFrom { get; set; }

    /// <summary>Where the tempo changes, in time order: <see cref="Tempo"/> holds from the start to the first.</summary>
    [Id(16)] public List<TempoChange> TempoChanges { get; set; } = [];

    /// <summary>The tempo over time, for beats, grids and clips that follow the tempo.</summary>
    public Jacameno.Audio.Rendering.TempoMap TempoMap() => new(Tempo, TempoChanges.Select(c => (c.Position, c.Tempo)), SampleRate);

    /// <summary>Every asset the project plays: its clips' audio and its instruments' samples.</summary>
    public IEnumerable<Guid> PlayedAssets() =>
        Tracks.SelectMany(t => t.Clips.Select(c => c.AssetId).OfType<Guid>().Concat(t.Effects.SelectMany(e => e.Zones).Select(z => z.AssetId)));
}

/// <summary>From <see cref="Position"/> (samples) on, the project plays at <see cref="Tempo"/> BPM, until the next change.</summary>
[GenerateSerializer, Alias("jacameno.tempo-change")]
public sealed class TempoChange
{
    [Id(0)] public long Position { get; set; }
    [Id(1)] public double Tempo { get; set; }
}

[GenerateSerializer, Alias("jacameno.time-signature")]
public sealed class TimeSignature
{
    [Id(0)] public int Numerator { get; set; } = 4;
    [Id(1)] public int Denominator { get; set; } = 4;
}

[GenerateSerializer, Alias("jacameno.master-bus")]
public sealed class MasterBus
{
    [Id(0)] public double VolumeDb { get; set; }
    [Id(1)] public List<Effect> Effects { get; set; } = [];

    /// <summary>Automation of the master's volume and its effects' parameters.</summary>
    [Id(2)] public List<AutomationLane> Automation { get; set; } = [];
}

[GenerateSerializer, Alias("jacameno.collaborator")]
public sealed class Collaborator
{
    [Id(0)] public Guid UserId { get; set; }
    [Id(1)] public ProjectRole Role { get; set; }
}

/// <summary>An invitation of an email address to a project, waiting to be accepted.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.project-invitation")]
public sealed record ProjectInvitation(
    [property: Id(0)] string Email,
    [property: Id(1)] ProjectRole Role,
    [property: Id(2)] Guid InvitedBy,
    [property: Id(3)] DateTimeOffset InvitedAt);

[GenerateSerializer, Alias("jacameno.fork-source")]
public sealed class ForkSource
{
    [Id(0)] public Guid ProjectId { get; set; }
    [Id(1)] public long Version { get; set; }
}

[GenerateSerializer, Alias("jacameno.track")]
public sealed class Track
{
    [Id(0)] public Guid Id { get; set; }
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public TrackKind Kind { get; set; }
    [Id(3)] public string Color { get; set; } = "#4f8cff";
    [Id(4)] public double VolumeDb { get; set; }
    [Id(5)] public double Pan { get; set; }
    [Id(6)] public bool Mute { get; set; }
    [Id(7)] public bool Solo { get; set; }

    /// <summary>A bus track's id, or null for the master bus.</summary>
    [Id(8)] public Guid? Output { get; set; }
    [Id(9)] public List<Effect> Effects { get; set; } = [];
    [Id(10)] public List<Clip> Clips { get; set; } = [];

    /// <summary>Automation of the track's volume, pan, sends and its effects' parameters.</summary>
    [Id(11)] public List<AutomationLane> Automation { get; set; } = [];

    /// <summary>What the track also feeds into buses, besides its output (an effect return, a parallel bus).</summary>
    [Id(12)] public List<Send> Sends { get; set; } = [];
}

/// <summary>
/// Part of a track's signal fed to a bus: at <see cref="LevelDb"/>, after the track's fader and pan, or
/// <see cref="PreFader"/>, after its effects and before them.
/// </summary>
[GenerateSerializer, Alias("jacameno.send")]
public sealed class Send
{
    [Id(0)] public Guid Bus { get; set; }
    [Id(1)] public double LevelDb { get; set; }
    [Id(2)] public bool PreFader { get; set; }
}

/// <summary>
/// What one control does over time: <see cref="Target"/> is <c>volume</c> (dB), <c>pan</c> (−1..1) or
/// <c>effect:{effectId}:{parameter}</c> (the parameter's own unit). Before the first point the control holds the
/// first point's value, after the last the last's; the control's own setting is not used while a lane exists.
/// </summary>
[GenerateSerializer, Alias("jacameno.automation-lane")]
public sealed class AutomationLane
{
    [Id(0)] public string Target { get; set; } = "";

    /// <summary>In time order (samples at the project rate).</summary>
    [Id(1)] public List<AutomationPoint> Points { get; set; } = [];
}

/// <summary>The targets an automation lane may name.</summary>
public static class AutomationTargets
{
    public const string Volume = "volume";
    public const string Pan = "pan";

    /// <summary>The target of an effect's parameter.</summary>
    public static string Effect(Guid effectId, string parameter) => $"effect:{effectId}:{parameter}";

    /// <summary>The target of a track's send to a bus (its level in dB).</summary>
    public static string Send(Guid busId) => $"send:{busId}";

    /// <summary>The parameter a target names on this effect, or null when it names something else.</summary>
    public static string? EffectParameter(string target, Guid effectId)
    {
        var prefix = $"effect:{effectId}:";
        return target.StartsWith(prefix, StringComparison.Ordinal) && target.Length > prefix.Length ? target[prefix.Length..] : null;
    }
}

/// <summary>A value at a time, and the shape of the way to the next point.</summary>
[GenerateSerializer, Alias("jacameno.automation-point")]
public sealed class AutomationPoint
{
    [Id(0)] public long Time { get; set; }
    [Id(1)] public double Value { get; set; }
    [Id(2)] public AutomationCurve Curve { get; set; }
}

[GenerateSerializer, Alias("jacameno.effect")]
public sealed class Effect
{
    [Id(0)] public Guid Id { get; set; }
    [Id(1)] public string Type { get; set; } = "";
    [Id(2)] public Dictionary<string, double> Parameters { get; set; } = [];
    [Id(3)] public bool Bypass { get; set; }

    /// <summary>The track whose signal drives this compressor's detector (ducking), or null for its own input.</summary>
    [Id(4)] public Guid? SidechainTrackId { get; set; }

    /// <summary>
    /// A hosted plugin's saved state (base64 of its VST2 chunk or LV2 state), restored before <see cref="Parameters"/>
    /// when it is loaded; null for built-in effects and plugins used with parameters alone.
    /// </summary>
    [Id(5)] public string? State { get; set; }

    /// <summary>The samples a built-in instrument (sampler, drums) plays, each for its keys and velocities.</summary>
    [Id(6)] public List<SampleZone> Zones { get; set; } = [];

    /// <summary>The installed SoundFont a <c>soundfont</c> instrument plays (its id), or null for none yet.</summary>
    [Id(7)] public string? SoundFont { get; set; }
}

/// <summary>
/// A sample of a built-in instrument: the asset, the key at which it sounds as recorded (<see cref="Root"/>; other keys
/// play it faster or slower), and the keys and velocities it answers. Where zones overlap, each plays (layers).
/// </summary>
[GenerateSerializer, Alias("jacameno.sample-zone")]
public sealed class SampleZone
{
    [Id(0)] public Guid AssetId { get; set; }
    [Id(1)] public int Root { get; set; } = 60;
    [Id(2)] public int Low { get; set; }
    [Id(3)] public int High { get; set; } = 127;
    [Id(4)] public int LowVelocity { get; set; } = 1;
    [Id(5)] public int HighVelocity { get; set; } = 127;
}

[GenerateSerializer, Alias("jacameno.clip")]
public sealed class Clip
{
    [Id(0)] public Guid Id { get; set; }
    [Id(1)] public long Start { get; set; }
    [Id(2)] public long Length { get; set; }

    /// <summary>The audio asset an audio clip plays, from <see cref="Offset"/> samples into it.</summary>
    [Id(3)] public Guid? AssetId { get; set; }
    [Id(4)] public long Offset { get; set; }
    [Id(5)] public double GainDb { get; set; }
    [Id(6)] public Fade FadeIn { get; set; } = new();
    [Id(7)] public Fade FadeOut { get; set; } = new();
    [Id(8)] public bool Muted { get; set; }

    /// <summary>MIDI clips only; note positions are relative to the clip start.</summary>
    [Id(9)] public List<MidiNote> Notes { get; set; } = [];

    /// <summary>
    /// The tempo the audio was played at; set, the clip follows the project's tempo (time-stretched by source ÷ project
    /// tempo, pitch kept). Null: it plays as recorded.
    /// </summary>
    [Id(10)] public double? SourceTempo { get; set; }

    /// <summary>Transposition in semitones (−24..24) and cents (−100..100), length kept.</summary>
    [Id(11)] public int Transpose { get; set; }

    [Id(12)] public int Cents { get; set; }

    /// <summary>Keep a voice's formants where they were when it is transposed.</summary>
    [Id(13)] public bool PreserveFormants { get; set; }
}

[GenerateSerializer, Alias("jacameno.fade")]
public sealed class Fade
{
    [Id(0)] public long Length { get; set; }
    [Id(1)] public FadeCurve Curve { get; set; }
}

[GenerateSerializer, Alias("jacameno.midi-note")]
public sealed class MidiNote
{
    [Id(0)] public Guid Id { get; set; }
    [Id(1)] public int Pitch { get; set; }
    [Id(2)] public int Velocity { get; set; }
    [Id(3)] public long Start { get; set; }
    [Id(4)] public long Length { get; set; }
}

[GenerateSerializer, Alias("jacameno.comment")]
public sealed class Comment
{
    [Id(0)] public Guid Id { get; set; }
    [Id(1)] public Guid AuthorId { get; set; }
    [Id(2)] public long Position { get; set; }
    [Id(3)] public Guid? TrackId { get; set; }
    [Id(4)] public string Text { get; set; } = "";
    [Id(5)] public bool Resolved { get; set; }
    [Id(6)] public DateTimeOffset CreatedAt { get; set; }
    [Id(7)] public List<CommentReply> Replies { get; set; } = [];
}

[GenerateSerializer, Alias("jacameno.comment-reply")]
public sealed class CommentReply
{
    [Id(0)] public Guid Id { get; set; }
    [Id(1)] public Guid AuthorId { get; set; }
    [Id(2)] public string Text { get; set; } = "";
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
}
