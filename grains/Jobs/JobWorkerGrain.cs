using Jacameno.Assets;
using Jacameno.Hosting;
using Jacameno.Storage.Blobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jacameno.Jobs;

/// <summary>
/// Runs one attempt: waits for a slot on this silo, tells the job it started, runs the kind's handler off the
/// grain scheduler, and reports the result. A heartbeat timer tells the job it is alive (with progress);
/// when the job answers "stop" (cancelled, or superseded after a lease ran out) the handler is cancelled.
/// </summary>
[Plugins.PreferPluginSilo]
[PreferGpuSilo]
public sealed partial class JobWorkerGrain(
    JobSlots slots,
    IEnumerable<IJobHandler> handlers,
    IBlobStore blobs,
    IOptions<AssetOptions> assetOptions,
    IOptions<JobOptions> options,
    Plugins.InstalledPlugins plugins,
    ILogger<JobWorkerGrain> logger) : Grain, IJobWorkerGrain
{
    private readonly CancellationTokenSource cancel = new();
    private JobWork? work;
    private JobContext? context;
    private IGrainTimer? heartbeat;
    private bool deactivating;

    // The trace of whoever started the attempt: grain timers do not carry it, so the run takes it up from here.
    private System.Diagnostics.ActivityContext origin;

    public Task StartAsync(JobWork job)
    {
        if (work is not null)
        {
            return Task.CompletedTask; // a retried call
        }

        work = job;
        origin = System.Diagnostics.Activity.Current?.Context ?? default;
        cancel.CancelAfter(options.Value.AttemptTimeout);
        var interval = options.Value.HeartbeatInterval;
        heartbeat = this.RegisterGrainTimer(HeartbeatAsync, new GrainTimerCreationOptions { DueTime = interval, Period = interval, Interleave = true, KeepAlive = true });
        this.RegisterGrainTimer(RunAsync, new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan, Interleave = true, KeepAlive = true });
        return Task.CompletedTask;
    }

    /// <summary>The silo is stopping (or the activation is going): stop the work and say nothing; the job's lease runs out and it tries again.</summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        deactivating = true;
        cancel.Cancel();
        return Task.CompletedTask;
    }

    public Task CancelAsync()
    {
        cancel.Cancel();
        return Task.CompletedTask;
    }

    private IJobGrain Job => GrainFactory.GetGrain<IJobGrain>(work!.JobId);

    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!await Job.HeartbeatAsync(work!.Attempt, context?.Progress, context?.Stage))
            {
                cancel.Cancel();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The job's silo may be moving; the next heartbeat tries again.
            LogHeartbeatFailed(logger, e, work!.JobId);
        }
    }

    private async Task RunAsync(CancellationToken _)
    {
        using var span = Common.JacamenoTelemetry.Activities.StartActivity($"job {work!.Kind}", System.Diagnostics.ActivityKind.Internal, origin);
        span?.SetTag("jacameno.job.id", work.JobId).SetTag("jacameno.job.attempt", work.Attempt);
        var job = Job;
        var token = cancel.Token;
        try
        {
            var attempt = work!;
            var handler = handlers.FirstOrDefault(h => h.Kind == attempt.Kind)
                ?? throw new JobRejectedException($"This platform has no {attempt.Kind} worker.");
            var slot = await slots.TakeAsync(token);
            try
            {
                if (!await job.StartedAsync(attempt.Attempt))
                {
                    return;
                }

                await using (context = new JobContext(attempt, GrainFactory, blobs, assetOptions, plugins))
                {
                    try
                    {
                        var result = await Task.Run(() => handler.RunAsync(context, token), token);

                        // The slot is free again before the result is recorded: recording is I/O, not this silo's CPU.
                        slot.Dispose();
                        if (!await job.SucceededAsync(attempt.Attempt, result))
                        {
                            await context.DeleteOutputsAsync();
                        }
                    }
                    catch
                    {
                        await context.DeleteOutputsAsync();
                        throw;
                    }
                }
            }
            finally
            {
                slot.Dispose(); // idempotent
            }
        }
        catch (JobRejectedException e)
        {
            await job.FailedAsync(work!.Attempt, e.Message, final: true);
        }
        catch (Plugins.PluginException e)
        {
            // A plugin crashed, hung or refused: another attempt would do the same. The message names it.
            await job.FailedAsync(work!.Attempt, e.Message, final: true);
        }
        catch (JobRetryException e)
        {
            await job.FailedAsync(work!.Attempt, e.Message, final: false);
        }
        catch (OperationCanceledException) when (deactivating)
        {
            // Not this attempt's fault: the next one starts when the lease runs out.
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Out of time; or cancelled by the job, which then ignores this.
            await job.FailedAsync(work!.Attempt, $"The job ran longer than {options.Value.AttemptTimeout.TotalMinutes:0} minutes.", final: true);
        }
        catch (Exception e)
        {
            LogAttemptFailed(logger, e, work!.JobId, work.Attempt);
            await job.FailedAsync(work.Attempt, $"The job failed on our side ({e.GetType().Name}: {e.Message}).", final: false);
        }
        finally
        {
            heartbeat?.Dispose();
            DeactivateOnIdle();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: heartbeat failed")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception, Guid jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: attempt {Attempt} failed")]
    private static partial void LogAttemptFailed(ILogger logger, Exception exception, Guid jobId, int attempt);
}
