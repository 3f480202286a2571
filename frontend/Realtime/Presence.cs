using System.Text.Json;
using Jacameno.Common;

namespace Jacameno.Frontend.Realtime;

/// <summary>Where a collaborator is: playhead, what they selected, where their cursor is. Never stored.</summary>
public sealed record Presence(long? Playhead, IReadOnlyList<Guid>? Selection, PresenceCursor? Cursor)
{
    public const int MaxSelection = 200;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Validate()
    {
        if (Playhead is < 0 || Selection is { Count: > MaxSelection } || Cursor is { Position: < 0 })
        {
            throw DomainException.Invalid("presence", $"playhead and cursor positions must be ≥ 0, and at most {MaxSelection} ids selected.");
        }

        return JsonSerializer.Serialize(this, Json);
    }

    public static Presence Parse(string? json) => json is null ? new(null, null, null) : JsonSerializer.Deserialize<Presence>(json, Json)!;
}

/// <summary>A cursor on the timeline: a position in samples, on a track or on the ruler.</summary>
public sealed record PresenceCursor(long Position, Guid? TrackId);

public sealed record PresenceMessage(Guid UserId, string ConnectionId, Presence Presence);

public enum PresenceUpdateKind
{
    Joined,
    Left,
    Changed,
}

/// <summary>A collaborator's connection joined or left the studio, or moved (<see cref="Presence"/> set).</summary>
public sealed record PresenceUpdate(PresenceUpdateKind Kind, Guid UserId, string ConnectionId, Presence? Presence);
