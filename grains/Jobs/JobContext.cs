using System.Text.Json;
using Jacameno.Assets;
using Jacameno.Audio.Formats;
using Jacameno.Common;
using Jacameno.Storage.Blobs;
using Jacameno.Users;
using Microsoft.Extensions.Options;

namespace Jacameno.Jobs;

/// <summary>
/// What a handler gets for one attempt: its input, a progress reporter, the owner's assets as local files,
/// and a way to save audio it makes as new assets of the owner (with peaks and loudness like any upload).
/// Files live in a scratch folder removed with the context.
/// </summary>
public sealed class JobContext(JobWork work, IGrainFactory grains, IBlobStore blobs, IOptions<AssetOptions> assetOptions, Plugins.InstalledPlugins plugins) : IAsyncDisposable
{
    private readonly List<Guid> outputs = [];
    private volatile int progress;
    private volatile string stage = "running";

    public JobWork Work { get; } = work;

    public Guid OwnerId => Work.OwnerId;

    public IGrainFactory Grains { get; } = grains;

    public IBlobStore Blobs { get; } = blobs;

    /// <summary>The plugins this silo can run, for renders.</summary>
    public Plugins.InstalledPlugins Plugins { get; } = plugins;

    /// <summary>A folder of this attempt's own, deleted when it ends.</summary>
    public string Scratch { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"jacameno-job-{work.JobId:N}-{work.Attempt}")).FullName;

    public int Progress => progress;

    public string Stage => stage;

    public T Input<T>() => JsonSerializer.Deserialize<T>(Work.InputJson, JobInputs.Json) ?? throw new JobRejectedException("The job has no input.");

    /// <summary>Reports how far the attempt got (0-99) and what it is doing; sent with the next heartbeat.</summary>
    public void Report(int percent, string? stageName = null)
    {
        progress = Math.Clamp(percent, 0, 99);
        if (stageName is not null)
        {
            stage = stageName;
        }
    }

    /// <summary>
    /// Stores a file this job made as an asset of the owner (counted against their storage) and waits until
    /// it is processed, so the result names playable audio.
    /// </summary>
    public async Task<Guid> SaveOutputAsync(string path, string fileName, CancellationToken cancellationToken)
    {
        var user = Grains.GetGrain<IUserGrain>(OwnerId);
        AssetInfo info;
        try
        {
            var role = (await user.GetProfileAsync()).Role;
            await using var file = File.OpenRead(path);
            info = await AssetFiles.CreateAsync(Grains, Blobs, OwnerId, assetOptions.Value.QuotaFor(role), file, fileName, cancellationToken);
        }
        catch (DomainException e)
        {
            throw new JobRejectedException(e.Message);
        }

        var id = info.Id;
        var asset = Grains.GetGrain<IAssetGrain>(id);
        outputs.Add(id);
        while (info.Status == AssetStatus.Processing)
        {
            await Task.Delay(50, cancellationToken);
            info = await asset.GetAsync(OwnerId);
        }

        return info.Status == AssetStatus.Ready ? id : throw new InvalidOperationException($"The output {fileName} could not be processed: {info.Error}");
    }

    /// <summary>
    /// Writes planar audio as a file of the format (WAV 16/24-bit with TPDF dither or 32-bit float; FLAC, MP3,
    /// Opus or AAC through ffmpeg) and saves it as an output asset named <paramref name="name"/> plus the extension.
    /// </summary>
    public async Task<Guid> SaveAudioAsync(float[][] audio, int sampleRate, AudioFileFormat format, int bitDepth, string name,
        CancellationToken cancellationToken, bool mp3Cbr320 = false)
    {
        var wav = Path.Combine(Scratch, $"{Guid.NewGuid():N}.wav");
        var sampleFormat = format == AudioFileFormat.Wav && bitDepth == 32 ? WavSampleFormat.Float32
            : bitDepth == 16 ? WavSampleFormat.Pcm16 : WavSampleFormat.Pcm24;
        await using (var file = File.Create(wav))
        {
            WavWriter.Write(file, audio, sampleRate, sampleFormat, dither: sampleFormat != WavSampleFormat.Float32);
        }

        var (extension, _) = AudioEncoder.Describe(format);
        var path = wav;
        if (format != AudioFileFormat.Wav)
        {
            path = Path.ChangeExtension(wav, extension);
            await AudioEncoder.EncodeAsync(wav, path, format, bitDepth, mp3Cbr320, TimeSpan.FromMinutes(10), cancellationToken);
            File.Delete(wav);
        }

        var id = await SaveOutputAsync(path, $"{name}.{extension}", cancellationToken);
        File.Delete(path);
        return id;
    }

    /// <summary>The owner's asset decoded whole (planar float at its own rate, at most stereo), refused past <paramref name="maxMinutes"/>; another user's or a failed asset is refused.</summary>
    public async Task<(float[][] Samples, int SampleRate)> DecodeAssetAsync(Guid assetId, int maxMinutes, string what, CancellationToken cancellationToken)
    {
        var grain = Grains.GetGrain<IAssetGrain>(assetId);
        AssetInfo info;
        string key;
        try
        {
            info = await grain.GetAsync(OwnerId);
            key = await grain.GetBlobKeyAsync(OwnerId, peaks: false);
        }
        catch (DomainException e)
        {
            throw new JobRejectedException(e.Message);
        }

        if (info.DurationSeconds > maxMinutes * 60.0)
        {
            throw new JobRejectedException($"The {what} is {info.DurationSeconds / 60:F0} minutes long; AI tools take at most {maxMinutes}.");
        }

        return await DecodeBlobAsync(key, (long)maxMinutes * 60 * (info.SampleRate ?? 48000), $"The {what}", cancellationToken);
    }

    /// <summary>
    /// A stored audio file decoded whole (through a scratch file, deleted after), at most stereo; stops past
    /// <paramref name="maxFrames"/>. Files that are gone or cannot be decoded reject the job, naming <paramref name="what"/>.
    /// </summary>
    public async Task<(float[][] Samples, int SampleRate)> DecodeBlobAsync(string key, long maxFrames, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await StoredAudio.DecodeAsync(Blobs, key, Scratch, maxFrames, assetOptions.Value.DecodeTimeout, cancellationToken)
                ?? throw new JobRejectedException($"{what} is gone.");
        }
        catch (AudioRejectedException e)
        {
            throw new JobRejectedException($"{what} cannot be decoded: {e.Message}");
        }
    }

    /// <summary>Deletes the outputs of an attempt whose result is not taken (cancelled, failed, superseded).</summary>
    public async Task DeleteOutputsAsync()
    {
        foreach (var id in outputs)
        {
            try
            {
                await Grains.GetGrain<IAssetGrain>(id).DeleteAsync(OwnerId);
            }
            catch (DomainException)
            {
                // Already gone.
            }
        }

        outputs.Clear();
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(Scratch, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }
}
