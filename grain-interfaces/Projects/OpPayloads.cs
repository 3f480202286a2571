using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jacameno.Projects;

// The payload of each op kind. Ids a client leaves out are chosen by the server and written back into the
// payload that the log keeps, so a replay creates the same ids.

public sealed record TimeSignatureValue(int Numerator, int Denominator);

public sealed record ProjectSet(string? Name = null, string? Description = null, double? Tempo = null, TimeSignatureValue? TimeSignature = null, string? Key = null);

public sealed record MasterSet(double VolumeDb);

public sealed record TrackAdd(Guid? TrackId = null, string? Name = null, TrackKind Kind = TrackKind.Audio, string? Color = null, int? Index = null);

public sealed record TrackRef(Guid TrackId);

public sealed record TrackRename(Guid TrackId, string Name);

public sealed record TrackRecolor(Guid TrackId, string Color);

public sealed record TrackReorder(Guid TrackId, int Index);

/// <summary>Sets a track's send to a bus (made at 0 dB, post-fader, when there is none), or with <see cref="Remove"/> removes it.</summary>
public sealed record TrackSend(Guid TrackId, Guid BusId, double? LevelDb = null, bool? PreFader = null, bool Remove = false);

/// <summary>Mixer properties; <see cref="Output"/> is "master" or a bus track's id.</summary>

public sealed record TrackSet(Guid TrackId, double? VolumeDb = null, double? Pan = null, bool? Mute = null, bool? Solo = null, string? Output = null);

public sealed record NoteValue(int Pitch, int Velocity, long Start, long Length, Guid? NoteId = null);

public sealed record ClipAdd(Guid TrackId, long Start, long Length, Guid? ClipId = null, Guid? AssetId = null, long Offset = 0, double GainDb = 0, IReadOnlyList<NoteValue>? Notes = null);

public sealed record ClipMove(Guid ClipId, long? Start = null, Guid? TrackId = null);

/// <summary>New bounds; moving the start of an audio clip moves its offset into the asset by the same amount.</summary>
public sealed record ClipResize(Guid ClipId, long Length, long? Start = null);

/// <summary>Splits at an absolute position strictly inside the clip; the right part gets <see cref="NewClipId"/>.</summary>
public sealed record ClipSplit(Guid ClipId, long At, Guid? NewClipId = null);

public sealed record ClipRef(Guid ClipId);

public sealed record FadeValue(long Length, FadeCurve Curve = FadeCurve.Linear);

public sealed record ClipSet(Guid ClipId, double? GainDb = null, FadeValue? FadeIn = null, FadeValue? FadeOut = null, bool? Muted = null);

/// <summary>
/// An audio clip's time and pitch, all at once: <see cref="SourceTempo"/> (20-400 BPM) makes it follow the project's
/// tempo, null plays it as recorded; transposition in semitones and cents; formants kept or moved with the pitch.
/// </summary>
public sealed record ClipStretch(Guid ClipId, double? SourceTempo = null, int Transpose = 0, int Cents = 0, bool PreserveFormants = false);

/// <summary>An effect on a track's chain, or on the master bus when <see cref="TrackId"/> is null.</summary>
public sealed record EffectAdd(string Type, Guid? TrackId = null, Guid? EffectId = null, IReadOnlyDictionary<string, double>? Parameters = null, int? Index = null, bool Bypass = false);

public sealed record EffectRef(Guid EffectId);

public sealed record EffectReorder(Guid EffectId, int Index);

public sealed record EffectBypass(Guid EffectId, bool Bypass);

public sealed record AutomationPointValue(long Time, double Value, AutomationCurve Curve = AutomationCurve.Linear);

/// <summary>
/// Replaces the automation lane of <see cref="Target"/> on a track, or on the master when <see cref="TrackId"/> is
/// null; no points removes the lane. Targets: <c>volume</c>, <c>pan</c> (tracks), <c>effect:{effectId}:{parameter}</c>.
/// </summary>
public sealed record AutomationSet(string Target, IReadOnlyList<AutomationPointValue> Points, Guid? TrackId = null);

/// <summary>Sets (or, with null, clears) a hosted plugin's saved state: base64, as the plugin's own state gives it.</summary>
public sealed record EffectState(Guid EffectId, string? State);

/// <summary>Sets (or with a null track clears) the track that keys a compressor.</summary>
public sealed record EffectSidechain(Guid EffectId, Guid? TrackId = null);

public sealed record TempoChangeValue(long Position, double Tempo);

/// <summary>Replaces the project's tempo changes (positions after 0, in order; 20-999 BPM); none leaves the tempo constant.</summary>
public sealed record TempoSet(IReadOnlyList<TempoChangeValue> Changes);

/// <summary>A sample of a sampler or drum machine: the asset, the key it sounds as recorded at, its keys and velocities (inclusive).</summary>
public sealed record ZoneValue(Guid AssetId, int Root = 60, int Low = 0, int High = 127, int LowVelocity = 1, int HighVelocity = 127);

/// <summary>Replaces the zones of a built-in instrument (sampler or drums); every asset must be the submitter's or already in the project.</summary>
public sealed record EffectZones(Guid EffectId, IReadOnlyList<ZoneValue> Zones);

/// <summary>Sets (or with null clears) the installed SoundFont a soundfont instrument plays; its preset is the bank and program parameters.</summary>
public sealed record EffectSoundFont(Guid EffectId, string? SoundFont);

/// <summary>Sets the given parameters and removes those in <see cref="Unset"/>; the others keep their values.</summary>
public sealed record EffectSet(Guid EffectId, IReadOnlyDictionary<string, double> Parameters, IReadOnlyList<string>? Unset = null);

public sealed record NoteAdd(Guid ClipId, int Pitch, int Velocity, long Start, long Length, Guid? NoteId = null);

public sealed record NoteMove(Guid ClipId, Guid NoteId, int? Pitch = null, int? Velocity = null, long? Start = null, long? Length = null);

public sealed record NoteRemove(Guid ClipId, Guid NoteId);

/// <summary>A comment at a time position (optionally on a track), or a reply when <see cref="ReplyTo"/> is set.</summary>
public sealed record CommentAdd(string Text, long Position = 0, Guid? TrackId = null, Guid? ReplyTo = null, Guid? CommentId = null);

public sealed record CommentEdit(Guid CommentId, string Text);

public sealed record CommentResolve(Guid CommentId, bool Resolved = true);

public sealed record CommentRef(Guid CommentId);

/// <summary>
/// The content of a past version, put back as one op (only the grain issues it: <see cref="IProjectGrain.RestoreAsync"/>).
/// Comments and collaborators are not part of it.
/// </summary>
public sealed record ProjectRestore(long Version, string Name, double Tempo, TimeSignatureValue TimeSignature, MasterBus Master,
    IReadOnlyList<Track> Tracks, string? Description = null, string? Key = null, IReadOnlyList<TempoChangeValue>? TempoChanges = null);

// Kinds the server issues when undo puts back what an op removed.

/// <summary>
/// A removed track put back where it was; for a bus, also what fed it: the tracks whose output it was
/// (<paramref name="Inputs"/>) and the sends into it (<paramref name="SendsIn"/>).
/// </summary>
public sealed record TrackRestore(Track Track, int Index, IReadOnlyList<Guid>? Inputs = null, IReadOnlyList<TrackSend>? SendsIn = null);

public sealed record ClipRestore(Guid TrackId, Clip Clip);

public sealed record ClipMerge(Guid ClipId, Guid RightClipId);

public sealed record EffectRestore(Effect Effect, int Index, Guid? TrackId = null);

public static class OpJson
{
    /// <summary>
    /// Strict: unknown fields, missing required fields, nulls where a value is required and numbers sent as
    /// strings are all refused, so a malformed op is rejected with the reason rather than half applied.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };
}
