using Jacameno.Audio.Loudness;
using Jacameno.Audio.Waveforms;
using Jacameno.Common;
using Jacameno.Storage.Blobs;
using Jacameno.Storage.Catalog;
using Jacameno.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jacameno.Assets;

[GenerateSerializer, Alias("jacameno.asset-state")]
public sealed class AssetState
{
    [Id(0)] public Guid OwnerId { get; set; }
    [Id(1)] public AssetUpload? Upload { get; set; }
    [Id(2)] public AssetStatus Status { get; set; }
    [Id(3)] public string? Error { get; set; }
    [Id(4)] public ProbeResult? Probe { get; set; }
    [Id(5)] public AssetLoudness? Loudness { get; set; }
    [Id(6)] public string? PeaksKey { get; set; }
    [Id(7)] public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// Drives one upload through probe, decode, loudness and peaks. The work runs off the grain's turn (CPU and
/// ffmpeg), with calls still answered meanwhile; a silo that dies mid-way leaves the state at Processing,
/// and the next activation starts over. A file that fails keeps its record (with the reason) but not its bytes.
/// </summary>
public sealed partial class AssetGrain(
    [PersistentState("asset", StorageNames.Grains)] IPersistentState<AssetState> state,
    IBlobStore blobs,
    ICatalog catalog,
    IOptions<AssetOptions> options,
    AssetProcessingSlots slots,
    TimeProvider clock,
    ILogger<AssetGrain> logger) : Grain, IAssetGrain
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);
    private int lastProgress = -1;

    private Guid Id => this.GetPrimaryKey();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.RecordExists && state.State.Status == AssetStatus.Processing)
        {
            StartProcessing();
        }

        return Task.CompletedTask;
    }

    public async Task<AssetInfo> CreateAsync(Guid ownerId, AssetUpload upload)
    {
        if (state.RecordExists)
        {
            throw new DomainException(DomainErrorKind.Conflict, "The asset already exists.");
        }

        state.State = new AssetState { OwnerId = ownerId, Upload = upload, Status = AssetStatus.Processing, CreatedAt = clock.GetUtcNow() };
        await state.WriteStateAsync();
        await catalog.AddOwnedAsync(OwnedList.Assets, Id, ownerId, state.State.CreatedAt);
        StartProcessing();
        return Info();
    }

    public Task<AssetInfo> GetAsync(Guid userId)
    {
        Authorize(userId);
        return Task.FromResult(Info());
    }

    public Task<string> GetBlobKeyAsync(Guid userId, bool peaks)
    {
        Authorize(userId);
        return Task.FromResult((peaks ? state.State.PeaksKey : state.State.Status == AssetStatus.Failed ? null : state.State.Upload!.BlobKey)
            ?? throw NotUsable());
    }

    public Task<(AssetInfo Info, string BlobKey)> GetSourceAsync(bool peaks = false)
    {
        if (!state.RecordExists)
        {
            throw DomainException.NotFound("The asset");
        }

        return Task.FromResult((Info(), state.State.Status == AssetStatus.Ready ? (peaks ? state.State.PeaksKey! : state.State.Upload!.BlobKey)
            : throw NotUsable()));
    }

    public async Task DeleteAsync(Guid userId)
    {
        Authorize(userId);
        var users = await catalog.ProjectsUsingAssetAsync(Id);
        if (users.Count > 0)
        {
            throw new DomainException(DomainErrorKind.Conflict,
                $"The asset is used by {(users.Count == 1 ? "a project" : $"{users.Count} projects")} ({string.Join(", ", users)}); remove its clips there first.");
        }

        await blobs.DeleteAsync(state.State.Upload!.BlobKey);
        if (state.State.Status != AssetStatus.Failed)
        {
            await GrainFactory.GetGrain<Jacameno.Users.IUserGrain>(userId).ReleaseStorageAsync(state.State.Upload.Size);
        }

        if (state.State.PeaksKey is { } peaks)
        {
            await blobs.DeleteAsync(peaks);
        }

        await state.ClearStateAsync();
        await catalog.RemoveOwnedAsync(OwnedList.Assets, Id);
        DeactivateOnIdle();
    }

    /// <summary>Still processing: not ready (try again soon); failed: a conflict that lasts, with the reason.</summary>
    private DomainException NotUsable() => state.State.Status == AssetStatus.Processing
        ? new DomainException(DomainErrorKind.NotReady, AssetReadiness.StillProcessing)
        : new DomainException(DomainErrorKind.Conflict, $"The asset could not be processed: {state.State.Error}");

    private void Authorize(Guid userId)
    {
        if (!state.RecordExists || state.State.OwnerId != userId)
        {
            throw DomainException.NotFound("The asset");
        }
    }

    private void StartProcessing() =>
        this.RegisterGrainTimer(ProcessAsync, new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan, Interleave = true, KeepAlive = true });

    private async Task ProcessAsync(CancellationToken cancellationToken)
    {
        var upload = state.State.Upload!;
        var limits = options.Value;
        var temp = Path.Combine(Path.GetTempPath(), $"jacameno-asset-{Id:N}");
        try
        {
            await using (var content = await blobs.GetAsync(upload.BlobKey, cancellationToken: cancellationToken)
                ?? throw new AudioRejectedException("The uploaded file is gone."))
            await using (var file = File.Create(temp))
            {
                await content.Stream.CopyToAsync(file, cancellationToken);
            }

            // A slot on this silo first: an import of hundreds of files, or many users at once, queue here instead of
            // starting an ffmpeg each at once.
            await PublishProgressAsync(5, "queued");
            using var slot = await slots.TakeAsync(state.State.OwnerId, cancellationToken);

            // CPU and child processes: off the grain's scheduler. Progress is read by a timer on it and published.
            await PublishProgressAsync(10, "probing");
            var probe = await Task.Run(() => AudioProbe.ProbeAsync(temp, cancellationToken), cancellationToken);
            if (probe.DurationSeconds > limits.MaxMinutes * 60.0)
            {
                throw new AudioRejectedException($"The audio is {probe.DurationSeconds / 60:F0} minutes long; at most {limits.MaxMinutes} are accepted.");
            }

            await PublishProgressAsync(20, "measuring");
            var expected = Math.Max(1, (long)(probe.DurationSeconds * probe.SampleRate));
            long decoded = 0;
            using var ticker = this.RegisterGrainTimer(_ => PublishProgressAsync((int)(20 + (70 * Math.Min(1.0, Interlocked.Read(ref decoded) / (double)expected))), "measuring"),
                new GrainTimerCreationOptions { DueTime = ProgressInterval, Period = ProgressInterval, Interleave = true });
            var (loudness, peaks) = await Task.Run(async () =>
            {
                var meter = probe.Channels <= 8 ? new LoudnessMeter(probe.SampleRate, probe.Channels) : null;
                var builder = new WaveformPeaks.Builder(probe.Channels, probe.SampleRate, IAssetGrain.PeaksSamplesPerPixel);
                await AudioProbe.DecodeAsync(temp, probe, (long)limits.MaxMinutes * 60 * probe.SampleRate, (planar, frames) =>
                {
                    meter?.Process(planar, 0, frames);
                    builder.Add(planar, 0, frames);
                    Interlocked.Add(ref decoded, frames);
                }, limits.DecodeTimeout, cancellationToken);
                return (meter?.Result(), builder.Build());
            }, cancellationToken);
            ticker.Dispose();
            await PublishProgressAsync(95, "waveform");

            var peaksKey = $"assets/{Id:N}/peaks-{IAssetGrain.PeaksSamplesPerPixel}.dat";
            using (var dat = new MemoryStream())
            {
                peaks.WriteDat(dat);
                dat.Position = 0;
                await blobs.PutAsync(peaksKey, dat, "application/octet-stream", cancellationToken);
            }

            state.State.Probe = probe;
            state.State.Loudness = loudness is null ? null : new AssetLoudness(Round(loudness.IntegratedLufs), Round(loudness.LoudnessRangeLu),
                Round(loudness.TruePeakDbtp), Round(loudness.SamplePeakDbfs));
            state.State.PeaksKey = peaksKey;
            state.State.Status = AssetStatus.Ready;
        }
        catch (AudioRejectedException e)
        {
            await FailAsync(e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogProcessingFailed(logger, e, Id);
            await FailAsync("Processing failed on our side; upload the file again.");
        }
        finally
        {
            File.Delete(temp);
        }

        await state.WriteStateAsync();
        await PublishAsync(new UserEvent(UserEventKind.AssetProcessed, Asset: Info()));
    }

    private async Task PublishProgressAsync(int percent, string stage)
    {
        if (percent == lastProgress)
        {
            return;
        }

        lastProgress = percent;
        await PublishAsync(new UserEvent(UserEventKind.AssetProgress, Asset: Info(), Progress: percent, Stage: stage));
    }

    private Task PublishAsync(UserEvent userEvent) => this.PublishToUserAsync(state.State.OwnerId, userEvent, logger);

    // A failed asset keeps its record and reason, not its bytes.
    private async Task FailAsync(string reason)
    {
        state.State.Status = AssetStatus.Failed;
        state.State.Error = reason;
        await blobs.DeleteAsync(state.State.Upload!.BlobKey);
        await GrainFactory.GetGrain<Jacameno.Users.IUserGrain>(state.State.OwnerId).ReleaseStorageAsync(state.State.Upload.Size);
    }

    // Infinity (silence) has no JSON form; two decimals are more than a meter shows.
    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 2) : -999;

    private AssetInfo Info()
    {
        var s = state.State;
        var p = s.Probe;
        return new AssetInfo(Id, s.OwnerId, s.Upload!.FileName, s.Upload.Size, s.Status, s.Error, p?.Format, p?.Codec,
            p is null ? null : Math.Round(p.DurationSeconds, 3), p?.SampleRate, p?.Channels, p?.BitDepth, s.Loudness, s.CreatedAt, s.Upload.LicenseId);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing asset {AssetId} failed")]
    private static partial void LogProcessingFailed(ILogger logger, Exception exception, Guid assetId);
}
