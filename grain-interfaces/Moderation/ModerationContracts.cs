namespace Jacameno.Moderation;

/// <summary>What can be reported and moderated.</summary>
public enum ModerationTarget
{
    Release,
    Comment,
    Listing,
    Playlist,
    User,
}

/// <summary>Why something is reported.</summary>
public enum ReportReason
{
    Spam,
    Harassment,
    Hate,
    Sexual,
    Violence,
    Copyright,
    Impersonation,
    Other,
}

/// <summary>
/// What a moderator does. Content: hide (out of public view, kept), restore, remove (deleted). Users: warn,
/// suspend (no writes until a date), ban (sessions end, no sign-in, public content hidden), reinstate.
/// </summary>
public enum ModerationAction
{
    Hide,
    Restore,
    Remove,
    Warn,
    Suspend,
    Ban,
    Reinstate,
}

/// <summary>
/// A user's report; <see cref="ResolvedAt"/> is set once a moderator acted on its target. A <see cref="Takedown"/> is a
/// copyright notice: its target was hidden when it came in, and its owner may answer with a <see cref="CounterNotice"/>.
/// </summary>
public sealed record Report(Guid Id, ModerationTarget TargetType, Guid TargetId, Guid? ReporterId, ReportReason Reason, string? Details,
    DateTimeOffset CreatedAt, DateTimeOffset? ResolvedAt = null, string? Resolution = null, bool Takedown = false, string? CounterNotice = null);

/// <summary>One moderator's action, as the audit log keeps it: who, when, what, on what, why.</summary>
public sealed record ModerationEntry(Guid Id, ModerationTarget TargetType, Guid TargetId, ModerationAction Action, string Reason, Guid ActorId,
    DateTimeOffset At, DateTimeOffset? Until);

/// <summary>Why an account may not write: banned, or suspended until a date.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.account-restriction")]
public sealed record AccountRestriction(
    [property: Id(0)] bool Banned,
    [property: Id(1)] DateTimeOffset? SuspendedUntil,
    [property: Id(2)] string Reason)
{
    public string Message => Banned
        ? $"This account is banned: {Reason}"
        : $"This account is suspended until {SuspendedUntil:u}: {Reason}";
}
