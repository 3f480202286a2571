namespace Jacameno.Streaming;

/// <summary>What happened: someone followed me, liked, commented on or reposted my release, or someone I follow released one.</summary>
public enum NotificationKind
{
    Follow,
    Like,
    Comment,
    Repost,
    Release,

    /// <summary>Someone bought a license to one of my listings (<see cref="Notification.ReleaseId"/> holds the listing id).</summary>
    Sale,
}

/// <summary>Something that happened for <see cref="UserId"/>, by <see cref="ActorId"/>.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.notification")]
public sealed record Notification(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid UserId,
    [property: Id(2)] NotificationKind Kind,
    [property: Id(3)] Guid ActorId,
    [property: Id(4)] Guid? ReleaseId,
    [property: Id(5)] Guid? CommentId,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] bool Read = false);
