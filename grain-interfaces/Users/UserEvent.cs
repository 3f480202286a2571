using Jacameno.Assets;
using Jacameno.Jobs;

namespace Jacameno.Users;

public enum UserEventKind
{
    JobProgress,
    JobCompleted,
    AssetProgress,
    AssetProcessed,
    Notification,
}

/// <summary>
/// Something for one user, published on their stream (<see cref="Common.StreamNames.UserEvents"/>, keyed by
/// user id); frontends forward it to the user's SignalR connections. Nothing depends on it arriving: the
/// same state is always readable from the API.
/// </summary>
[GenerateSerializer, Immutable, Alias("jacameno.user-event")]
public sealed record UserEvent(
    [property: Id(0)] UserEventKind Kind,
    [property: Id(1)] JobInfo? Job = null,
    [property: Id(2)] AssetInfo? Asset = null,
    [property: Id(3)] int? Progress = null,
    [property: Id(4)] string? Stage = null,
    [property: Id(5)] Jacameno.Streaming.Notification? Notification = null);
