namespace Jacameno.Jobs;

/// <summary>Does the work of one job kind. Runs on a worker grain's silo, off the grain scheduler.</summary>
public interface IJobHandler
{
    JobKind Kind { get; }

    Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken);
}

/// <summary>
/// The job cannot succeed with this input (silence, a file that is not audio, an impossible target):
/// it fails at once with <see cref="Exception.Message"/> as the reason, without further attempts.
/// </summary>
public sealed class JobRejectedException(string reason) : Exception(reason);

/// <summary>
/// This attempt failed for a reason that may pass (a model endpoint that timed out or answered nonsense): the
/// job tries again, up to its attempts, and then fails with <see cref="Exception.Message"/> as the reason.
/// </summary>
public sealed class JobRetryException(string reason) : Exception(reason);
