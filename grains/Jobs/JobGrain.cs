using Jacameno.Common;
using Jacameno.Push;
using Jacameno.Storage.Catalog;
using Jacameno.Storage.Push;
using Jacameno.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jacameno.Jobs;

[GenerateSerializer, Alias("jacameno.job-state")]
public sealed class JobState
{
    [Id(0)] public Guid OwnerId { get; set; }
    [Id(1)] public JobKind Kind { get; set; }
    [Id(2)] public string InputJson { get; set; } = "{}";
    [Id(3)] public JobStatus Status { get; set; }
    [Id(4)] public int Progress { get; set; }
    [Id(5)] public string Stage { get; set; } = "queued";
    [Id(6)] public JobResult? Result { get; set; }
    [Id(7)] public int Attempts { get; set; }
    [Id(8)] public string? Error { get; set; }
    [Id(9)] public DateTimeOffset CreatedAt { get; set; }
    [Id(10)] public DateTimeOffset? StartedAt { get; set; }
    [Id(11)] public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Set while the job waits in its owner's line for a slot of jobs at once; no attempt has started.</summary>
    [Id(12)] public int? QueuePosition { get; set; }

    /// <summary>The owner's limits when the job was accepted, to ask the owner's grain again about its standing.</summary>
    [Id(13)] public JobLimits? Limits { get; set; }
}

/// <summary>
/// The durable side of a job. Each attempt runs on a worker grain that sends heartbeats; a watchdog timer
/// starts the next attempt when they stop for <see cref="JobOptions.LeaseTimeout"/> (the worker's silo died).
/// A reminder re-activates the job after its own silo dies, and the watchdog takes over from there.
/// Stale attempts (an older worker still alive) are told to stop, so only one result is ever taken.
/// </summary>
public sealed partial class JobGrain(
    [PersistentState("job", StorageNames.Grains)] IPersistentState<JobState> state,
    ICatalog catalog,
    IPushOutbox push,
    IOptions<JobOptions> options,
    TimeProvider clock,
    IClusterMembershipService membership,
    ILogger<JobGrain> logger) : Grain, IJobGrain, IRemindable
{
    private const string ReminderName = "watchdog";
    private static readonly TimeSpan ProgressPublishInterval = TimeSpan.FromMilliseconds(200);

    private DateTimeOffset lastHeartbeat;
    private DateTimeOffset lastPublished;
    private IGrainTimer? watchdog;

    private Guid Id => this.GetPrimaryKey();

    private bool Active => state.RecordExists && state.State.Status is JobStatus.Queued or JobStatus.Running;

    private bool InLine => Active && state.State.QueuePosition is not null;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Active && !InLine)
        {
            // Back after a silo died (or a deactivation): give the current attempt one lease to speak up.
            lastHeartbeat = clock.GetUtcNow();
            StartWatchdog();
        }

        return Task.CompletedTask;
    }

    public async Task<JobInfo> CreateAsync(Guid ownerId, JobKind kind, string inputJson, JobLimits limits)
    {
        if (state.RecordExists)
        {
            throw new DomainException(DomainErrorKind.Conflict, "The job already exists.");
        }

        var user = GrainFactory.GetGrain<IUserGrain>(ownerId);
        var counted = limits.PerDay is not null || limits.Concurrent is not null;
        // Unlimited (admins): nothing to count, and no write on the owner's grain to queue behind.
        var place = counted ? await user.QueueJobAsync(Id, limits) : null;
        try
        {
            state.State = new JobState
            {
                OwnerId = ownerId, Kind = kind, InputJson = inputJson, Status = JobStatus.Queued, CreatedAt = clock.GetUtcNow(),
                Attempts = place is null ? 1 : 0, QueuePosition = place, Limits = counted ? limits : null,
            };
            await state.WriteStateAsync();
            await Task.WhenAll(
                this.RegisterOrUpdateReminder(ReminderName, options.Value.ReminderPeriod, options.Value.ReminderPeriod),
                catalog.AddOwnedAsync(OwnedList.Jobs, Id, ownerId, state.State.CreatedAt));
        }
        catch
        {
            await user.ReleaseJobAsync(Id);
            throw;
        }

        if (place is null)
        {
            await StartAttemptAsync();
        }

        return Info();
    }

    public async Task SlotFreedAsync()
    {
        if (InLine)
        {
            state.State.QueuePosition = null;
            await DispatchAsync();
        }
    }

    public async Task PlaceInLineAsync(int place)
    {
        if (InLine && place != state.State.QueuePosition)
        {
            state.State.QueuePosition = place;
            await state.WriteStateAsync();
            await PublishAsync(UserEventKind.JobProgress);
        }
    }

    public Task<JobInfo> GetAsync(Guid userId)
    {
        Authorize(userId);
        return Task.FromResult(Info());
    }

    public async Task<JobInfo> CancelAsync(Guid userId)
    {
        Authorize(userId);
        if (InLine)
        {
            await FinishAsync(JobStatus.Cancelled, error: null, result: null);
        }
        else if (Active)
        {
            var attempt = state.State.Attempts;
            await FinishAsync(JobStatus.Cancelled, error: null, result: null);
            try
            {
                await Worker(attempt).CancelAsync();
            }
            catch (Exception e)
            {
                // The worker stops anyway at its next heartbeat, which is answered "stop".
                LogWorkerUnreachable(logger, e, Id, attempt);
            }
        }

        return Info();
    }

    public async Task<bool> StartedAsync(int attempt)
    {
        if (!IsCurrent(attempt))
        {
            return false;
        }

        lastHeartbeat = clock.GetUtcNow();
        state.State.Status = JobStatus.Running;
        state.State.StartedAt ??= lastHeartbeat;
        state.State.Stage = "running";
        await state.WriteStateAsync();
        await PublishAsync(UserEventKind.JobProgress);
        return true;
    }

    public async Task<bool> HeartbeatAsync(int attempt, int? progress, string? stage)
    {
        if (!IsCurrent(attempt))
        {
            return false;
        }

        lastHeartbeat = clock.GetUtcNow();
        var changed = false;
        if (progress is { } p && p != state.State.Progress)
        {
            state.State.Progress = Math.Clamp(p, 0, 99);
            changed = true;
        }

        if (stage is { Length: > 0 } s && s != state.State.Stage)
        {
            state.State.Stage = s;
            changed = true;
        }

        // Progress lives in memory (a new attempt starts it over); it is published, not written.
        if (changed && lastHeartbeat - lastPublished >= ProgressPublishInterval)
        {
            await PublishAsync(UserEventKind.JobProgress);
        }

        return true;
    }

    public async Task<bool> SucceededAsync(int attempt, JobResult result)
    {
        if (!IsCurrent(attempt))
        {
            return false;
        }

        await FinishAsync(JobStatus.Succeeded, error: null, result);
        return true;
    }

    public async Task FailedAsync(int attempt, string error, bool final)
    {
        if (!IsCurrent(attempt))
        {
            return;
        }

        if (final || state.State.Attempts >= options.Value.MaxAttempts)
        {
            await FinishAsync(JobStatus.Failed, error, result: null);
        }
        else
        {
            state.State.Error = error;
            await DispatchAsync();
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Activation already started the watchdog; a finished job no longer needs waking.
        if (!Active)
        {
            await UnregisterReminderAsync();
        }
        else if (InLine && state.State.Limits is { } limits)
        {
            // A message from the owner's grain may have been lost (a silo died): ask for the job's standing.
            if (await GrainFactory.GetGrain<IUserGrain>(state.State.OwnerId).QueueJobAsync(Id, limits) is { } place)
            {
                await PlaceInLineAsync(place);
            }
            else
            {
                await SlotFreedAsync();
            }
        }
    }

    private bool IsCurrent(int attempt) => Active && attempt == state.State.Attempts;

    private async Task DispatchAsync()
    {
        state.State.Attempts++;
        state.State.Status = JobStatus.Queued;
        state.State.Progress = 0;
        state.State.Stage = "queued";
        await state.WriteStateAsync();
        await StartAttemptAsync();
    }

    /// <summary>Hands the current attempt (already written) to its worker.</summary>
    private async Task StartAttemptAsync()
    {
        lastHeartbeat = clock.GetUtcNow();
        StartWatchdog();
        var s = state.State;
        try
        {
            var work = new JobWork(Id, s.Attempts, s.OwnerId, s.Kind, s.InputJson);
            // A render goes where its plugins are (the worker is placed by this call); with one silo there is no choice to make.
            if (membership.CurrentSnapshot.Members.Count(m => m.Value.Status == SiloStatus.Active) > 1
                && await Plugins.PluginPlacement.NeededAsync(GrainFactory, work) is { } plugins)
            {
                RequestContext.Set(Plugins.PluginSiloPlacementFilterDirector.RequestKey, plugins);
            }

            try
            {
                await Worker(s.Attempts).StartAsync(work);
            }
            finally
            {
                RequestContext.Remove(Plugins.PluginSiloPlacementFilterDirector.RequestKey);
            }
        }
        catch (Exception e)
        {
            // No worker could take it now: the watchdog tries again when the lease runs out.
            LogWorkerUnreachable(logger, e, Id, s.Attempts);
        }
    }

    private void StartWatchdog()
    {
        var o = options.Value;
        watchdog ??= this.RegisterGrainTimer(CheckLeaseAsync, new GrainTimerCreationOptions
        {
            DueTime = o.HeartbeatInterval,
            Period = o.HeartbeatInterval,
            Interleave = false,
            KeepAlive = true,
        });
    }

    private async Task CheckLeaseAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!Active || InLine || clock.GetUtcNow() - lastHeartbeat < o.LeaseTimeout)
        {
            return;
        }

        LogLeaseExpired(logger, Id, state.State.Attempts);
        if (state.State.Attempts >= o.MaxAttempts)
        {
            await FinishAsync(JobStatus.Failed, state.State.Error ?? $"The job's worker stopped answering, {state.State.Attempts} times; try again later.", result: null);
        }
        else
        {
            await DispatchAsync();
        }
    }

    private async Task FinishAsync(JobStatus status, string? error, JobResult? result)
    {
        var s = state.State;
        s.Status = status;
        s.Error = error;
        s.Result = result;
        s.QueuePosition = null;
        s.FinishedAt = clock.GetUtcNow();
        if (status == JobStatus.Succeeded)
        {
            (s.Progress, s.Stage) = (100, "done");
        }

        if (status != JobStatus.Cancelled)
        {
            // Queued before the result is stored, keyed by the job: a crash in between finishes the job again and
            // queues the same push, which the outbox takes once.
            await push.EnqueueAsync(new PushEvent(Id, s.OwnerId, PushTopic.JobFinished, null, Id, null, $"{s.Kind}:{status}", s.FinishedAt.Value));
        }

        await state.WriteStateAsync();
        JacamenoTelemetry.JobsFinished.Add(1, new KeyValuePair<string, object?>("kind", s.Kind.ToString()), new KeyValuePair<string, object?>("status", status.ToString()));
        watchdog?.Dispose();
        watchdog = null;
        // The result is durable; the rest only tidies up, and can go together.
        await Task.WhenAll(GrainFactory.GetGrain<IUserGrain>(s.OwnerId).ReleaseJobAsync(Id), UnregisterReminderAsync(), PublishAsync(UserEventKind.JobCompleted));
    }

    private async Task UnregisterReminderAsync()
    {
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private Task PublishAsync(UserEventKind kind)
    {
        lastPublished = clock.GetUtcNow();
        return this.PublishToUserAsync(state.State.OwnerId, new UserEvent(kind, Job: Info()), logger);
    }

    private IJobWorkerGrain Worker(int attempt) => GrainFactory.GetGrain<IJobWorkerGrain>($"{Id:N}/{attempt}");

    private void Authorize(Guid userId)
    {
        if (!state.RecordExists || state.State.OwnerId != userId)
        {
            throw DomainException.NotFound("The job");
        }
    }

    private JobInfo Info()
    {
        var s = state.State;
        return new JobInfo(Id, s.OwnerId, s.Kind, s.InputJson, s.Status, s.Progress, s.Stage, s.Result, s.Attempts, s.Error,
            s.CreatedAt, s.StartedAt, s.FinishedAt, s.QueuePosition);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: the worker of attempt {Attempt} could not be reached")]
    private static partial void LogWorkerUnreachable(ILogger logger, Exception exception, Guid jobId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: attempt {Attempt} went silent; its silo is taken for dead")]
    private static partial void LogLeaseExpired(ILogger logger, Guid jobId, int attempt);
}
