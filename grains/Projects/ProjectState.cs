namespace Jacameno.Projects;

/// <summary>The stored snapshot: the document at its version, and the recent op ids of each client.</summary>
[GenerateSerializer, Alias("jacameno.project-state")]
public sealed class ProjectState
{
    [Id(0)] public ProjectDocument? Document { get; set; }

    /// <summary>Per client, the last ops it sent (op id → version), so a retry is recognised as a duplicate.</summary>
    [Id(1)] public Dictionary<string, Dictionary<string, long>> RecentOps { get; set; } = [];

    /// <summary>The project at version 0, where replays of history start.</summary>
    [Id(2)] public ProjectDocument? Genesis { get; set; }

    [Id(3)] public List<NamedSnapshot> Snapshots { get; set; } = [];

    /// <summary>Each user's undo and redo stacks.</summary>
    [Id(4)] public Dictionary<Guid, UserHistory> History { get; set; } = [];

    /// <summary>Per key (a property or an entity), its most recent writes: undo checks nobody else wrote since.</summary>
    [Id(5)] public Dictionary<string, List<KeyWrite>> Writes { get; set; } = [];

    /// <summary>Invited addresses not yet accepted, by normalized email.</summary>
    [Id(6)] public Dictionary<string, ProjectInvitation> Invitations { get; set; } = [];
}

[GenerateSerializer, Alias("jacameno.user-history")]
public sealed class UserHistory
{
    [Id(0)] public List<UndoEntry> Undo { get; set; } = [];
    [Id(1)] public List<UndoEntry> Redo { get; set; } = [];
}

/// <summary>The op that reverses the op applied at <see cref="Version"/>, and the keys it must find untouched by others.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.undo-entry")]
public sealed record UndoEntry([property: Id(0)] long Version, [property: Id(1)] string Kind, [property: Id(2)] string Payload,
    [property: Id(3)] IReadOnlyList<string> Checks);

[GenerateSerializer, Immutable, Alias("jacameno.key-write")]
public sealed record KeyWrite([property: Id(0)] long Version, [property: Id(1)] Guid UserId);
