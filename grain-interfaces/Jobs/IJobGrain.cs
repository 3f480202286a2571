using Orleans.Concurrency;

namespace Jacameno.Jobs;

/// <summary>What a job does; each kind has its own input and report (docs/jobs.md).</summary>
public enum JobKind
{
    Render,
    Analysis,
    Mastering,
    Mix,
    Lyrics,
    Release,
    ListingFiles,

    /// <summary>A zip of everything an account holds, for its owner (docs/accounts.md).</summary>
    AccountExport,
}

public enum JobStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>What a finished job made: audio outputs as assets of the owner, by name, and a JSON report.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.job-result")]
public sealed record JobResult(
    [property: Id(0)] IReadOnlyDictionary<string, Guid> Outputs,
    [property: Id(1)] string ReportJson);

/// <summary>
/// One job as the API shows it. Input and report are JSON documents whose shape depends on the kind.
/// <see cref="QueuePosition"/> is set while the job waits for one of its owner's slots of jobs at once (1 = next).
/// </summary>
[GenerateSerializer, Immutable, Alias("jacameno.job")]
public sealed record JobInfo(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid OwnerId,
    [property: Id(2)] JobKind Kind,
    [property: Id(3)] string InputJson,
    [property: Id(4)] JobStatus Status,
    [property: Id(5)] int Progress,
    [property: Id(6)] string Stage,
    [property: Id(7)] JobResult? Result,
    [property: Id(8)] int Attempts,
    [property: Id(9)] string? Error,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] DateTimeOffset? StartedAt,
    [property: Id(12)] DateTimeOffset? FinishedAt,
    [property: Id(13)] int? QueuePosition)
{
    public bool IsFinished => Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;
}

/// <summary>Limits on a user's jobs, from their role; null fields mean unlimited.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.job-limits")]
public sealed record JobLimits(
    [property: Id(0)] int? PerDay,
    [property: Id(1)] int? Concurrent);

/// <summary>
/// One AI or render job, keyed by job id: the durable state machine (queued, running, succeeded, failed,
/// cancelled). It hands each attempt to a <see cref="IJobWorkerGrain"/>, watches its heartbeats, starts a new
/// attempt when a worker goes silent (its silo died), and gives up after the configured number of attempts.
/// </summary>
[Alias("jacameno.job-grain")]
public interface IJobGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Accepts the job (after the owner's jobs per day allowed it) and queues its first attempt, or, when all
    /// of the owner's slots of jobs at once are taken, puts it in the owner's line (<see cref="JobInfo.QueuePosition"/>).
    /// </summary>
    [Alias("create")]
    Task<JobInfo> CreateAsync(Guid ownerId, JobKind kind, string inputJson, JobLimits limits);

    /// <summary>The job; not found for anyone but its owner.</summary>
    [Alias("get")]
    Task<JobInfo> GetAsync(Guid userId);

    /// <summary>Cancels a queued or running job; a finished job is left as it is.</summary>
    [Alias("cancel")]
    Task<JobInfo> CancelAsync(Guid userId);

    /// <summary>From the owner's grain: a slot is the job's now; it starts if it still waits.</summary>
    [Alias("slot-freed"), OneWay]
    Task SlotFreedAsync();

    /// <summary>From the owner's grain: the job's new place in the owner's line.</summary>
    [Alias("place-in-line"), OneWay]
    Task PlaceInLineAsync(int place);

    /// <summary>A worker took the attempt from its queue and began. False: stop, the attempt is no longer wanted.</summary>
    [Alias("started")]
    Task<bool> StartedAsync(int attempt);

    /// <summary>The worker is alive (and, when given, has reached a stage). False: stop.</summary>
    [Alias("heartbeat")]
    Task<bool> HeartbeatAsync(int attempt, int? progress, string? stage);

    /// <summary>The attempt made its result. False: the job was cancelled or moved on; the worker deletes its outputs.</summary>
    [Alias("succeeded")]
    Task<bool> SucceededAsync(int attempt, JobResult result);

    /// <summary>The attempt failed; <paramref name="final"/> when another attempt would fail the same way (bad input).</summary>
    [Alias("failed")]
    Task FailedAsync(int attempt, string error, bool final);
}

/// <summary>An attempt of a job, as the job grain hands it to a worker.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.job-work")]
public sealed record JobWork(
    [property: Id(0)] Guid JobId,
    [property: Id(1)] int Attempt,
    [property: Id(2)] Guid OwnerId,
    [property: Id(3)] JobKind Kind,
    [property: Id(4)] string InputJson);

/// <summary>
/// Runs one attempt of one job (keyed <c>{jobId:N}/{attempt}</c>), on a gpu silo when the cluster has one.
/// Each silo runs at most its configured number of attempts at once; the rest wait in line there.
/// </summary>
[Alias("jacameno.job-worker")]
public interface IJobWorkerGrain : IGrainWithStringKey
{
    /// <summary>Queues the attempt and returns at once.</summary>
    [Alias("start")]
    Task StartAsync(JobWork work);

    /// <summary>Stops the attempt; interleaves, since the worker may be calling its job at that moment.</summary>
    [Alias("cancel"), AlwaysInterleave]
    Task CancelAsync();
}
