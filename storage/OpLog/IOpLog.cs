using Jacameno.Projects;

namespace Jacameno.Storage.OpLog;

/// <summary>
/// The durable, append-only log of each project's applied ops, keyed by (project, version). An op is
/// acknowledged only after its append returns, so the log is the project's source of truth; the grain's
/// stored document is a snapshot that saves replaying from version 1.
/// </summary>
public interface IOpLog
{
    /// <summary>Appends a batch atomically; throws <see cref="OpLogConflictException"/> when a version is taken.</summary>
    Task AppendAsync(Guid projectId, IReadOnlyList<AppliedOp> ops, CancellationToken cancellationToken = default);

    /// <summary>Ops with a version above <paramref name="afterVersion"/>, oldest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<AppliedOp>> ReadAsync(Guid projectId, long afterVersion, int max, CancellationToken cancellationToken = default);

    Task DeleteAsync(Guid projectId, CancellationToken cancellationToken = default);
}

/// <summary>Another writer appended these versions first: this activation's view of the project is stale.</summary>
public sealed class OpLogConflictException(Guid projectId, long version)
    : Exception($"Version {version} of project {projectId} was already written by another activation.");
