using Jacameno.Push;

namespace Jacameno.Storage.Push;

/// <summary>
/// Something to push to <see cref="UserId"/>: by <see cref="ActorId"/>, about <see cref="SubjectId"/> (a release,
/// listing, job or project), with a <see cref="Detail"/> where the subject alone does not say enough (a job's kind
/// and result, a project's name). <see cref="Id"/> makes it once per device, however often it is enqueued.
/// </summary>
public sealed record PushEvent(Guid Id, Guid UserId, PushTopic Topic, Guid? ActorId, Guid? SubjectId, Guid? CommentId, string? Detail, DateTimeOffset CreatedAt);

/// <summary>A push taken from the outbox for one device; <see cref="Attempts"/> counts this one.</summary>
public sealed record OutgoingPush(long Id, Guid DeviceId, PushEvent Event, int Attempts);

/// <summary>
/// Pushes waiting to be sent, one per event and device, in the shared database: an event is written with its pushes
/// (to the devices of the user that want its topic), so a crash never loses one, and no two senders send the same.
/// </summary>
public interface IPushOutbox
{
    /// <summary>Queues the event for each of the user's devices, if the user wants its topic pushed.</summary>
    Task EnqueueAsync(PushEvent push, CancellationToken cancellationToken = default);

    /// <summary>Takes up to <paramref name="max"/> due pushes, oldest first, for <paramref name="lease"/>.</summary>
    Task<IReadOnlyList<OutgoingPush>> ClaimAsync(int max, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Removes pushes that were sent or given up.</summary>
    Task DeleteAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default);

    /// <summary>Puts a push that could not be sent back, due at <paramref name="dueAt"/>.</summary>
    Task RetryAsync(long id, DateTimeOffset dueAt, string error, CancellationToken cancellationToken = default);

    /// <summary>How many pushes are waiting.</summary>
    Task<int> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>Raised in this process after a push is queued, so a sender here sends it at once.</summary>
    event Action? Enqueued;
}
