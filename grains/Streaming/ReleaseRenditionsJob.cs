using System.Text.Json;
using Jacameno.Assets;
using Jacameno.Audio.Analysis;
using Jacameno.Audio.Formats;
using Jacameno.Audio.Mastering;
using Jacameno.Audio.Waveforms;
using Jacameno.Jobs;
using Jacameno.Rendering;
using Microsoft.Extensions.Options;

namespace Jacameno.Streaming;

/// <summary>
/// The renditions of one audio version of a release: the audio normalized to -14 LUFS with true peaks at or
/// under -1 dBTP (the limiter aims 0.5 dB lower, for what lossy codecs add), encoded as Opus, AAC and MP3; the
/// original (the uploaded file as it is, or the project's mix as 24-bit FLAC); waveform peaks; tempo and key.
/// All go straight to the blob store under the release, and the release grain is told.
/// </summary>
public sealed class ReleaseRenditionsJob(IOptions<AssetOptions> assetOptions, IOptions<JobOptions> jobOptions) : IJobHandler
{
    public const double TargetLufs = -14;
    public const double CeilingDbtp = -1.5;

    private static readonly (RenditionFormat Format, AudioFileFormat File)[] Streams =
        [(RenditionFormat.Opus, AudioFileFormat.Opus), (RenditionFormat.Aac, AudioFileFormat.Aac), (RenditionFormat.Mp3, AudioFileFormat.Mp3)];

    public JobKind Kind => JobKind.Release;

    public async Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var input = context.Input<ReleaseRenditionsInput>();
        var release = context.Grains.GetGrain<IReleaseGrain>(input.ReleaseId);
        try
        {
            return await MakeAsync(context, input, release, cancellationToken);
        }
        catch (JobRejectedException e)
        {
            await release.RenditionsFailedAsync(input.Version, e.Message);
            throw;
        }
    }

    private async Task<JobResult> MakeAsync(JobContext context, ReleaseRenditionsInput input, IReleaseGrain release, CancellationToken cancellationToken)
    {
        var prefix = $"releases/{input.ReleaseId:N}/v{input.Version}";
        var renditions = new List<Rendition>();
        context.Report(0, "loading audio");
        float[][] audio;
        int rate;
        if (input.AssetId is { } assetId)
        {
            (audio, rate) = await context.DecodeAssetAsync(assetId, jobOptions.Value.MaxAudioMinutes, "audio", cancellationToken);
            var asset = context.Grains.GetGrain<IAssetGrain>(assetId);
            var info = await asset.GetAsync(context.OwnerId);
            await using var original = await context.Blobs.GetAsync(await asset.GetBlobKeyAsync(context.OwnerId, peaks: false), cancellationToken: cancellationToken)
                ?? throw new JobRejectedException("The audio is gone.");
            // Named and typed by what the file is (its probed container), never by the name the uploader gave it.
            var container = AudioContainer.FromDemuxer(info.Format) ?? throw new JobRejectedException("The audio's format is not known.");
            var originalKey = $"{prefix}/original{container.Extension}";
            var stored = await context.Blobs.PutAsync(originalKey, original.Stream, container.ContentType, cancellationToken);
            renditions.Add(new Rendition(RenditionFormat.Original, originalKey, stored.ContentType, stored.Length));
        }
        else
        {
            var mixdown = await ProjectMixdown.LoadAsync(context, assetOptions.Value, input.ProjectId!.Value, input.ProjectVersion!.Value, cancellationToken);
            context.Report(40, "mixing");
            (audio, rate) = (mixdown.Mix(), mixdown.Project.SampleRate);
            var mix = await WriteWavAsync(context, audio, rate, "original");
            renditions.Add(await EncodeAndStoreAsync(context, mix, AudioFileFormat.Flac, RenditionFormat.Original, $"{prefix}/original.flac", cancellationToken));
        }

        if (audio[0].Length > (long)jobOptions.Value.MaxAudioMinutes * 60 * rate)
        {
            throw new JobRejectedException($"A release is at most {jobOptions.Value.MaxAudioMinutes} minutes long.");
        }

        context.Report(50, "normalizing loudness");
        var (normalized, _, _) = Mastering.Normalize(audio, rate, TargetLufs, CeilingDbtp);
        var loudness = Mastering.Measure(normalized, rate, truePeak: true);
        if (!double.IsFinite(loudness.IntegratedLufs))
        {
            throw new JobRejectedException("The audio is silent (below the -70 LUFS gate); there is nothing to publish.");
        }

        var (tempo, key) = AudioAnalyzer.TempoAndKey(audio, rate);

        context.Report(60, "encoding");
        var wav = await WriteWavAsync(context, normalized, rate, "stream");
        // The three encoders run at once: ffmpeg is single-threaded for audio.
        renditions.AddRange(await Task.WhenAll(Streams.Select(s =>
            EncodeAndStoreAsync(context, wav, s.File, s.Format, $"{prefix}/stream.{AudioEncoder.Describe(s.File).Extension}", cancellationToken))));

        context.Report(90, "waveform");
        var peaksKey = $"{prefix}/peaks.dat";
        using (var peaks = new MemoryStream())
        {
            WaveformPeaks.Compute(normalized, rate, IAssetGrain.PeaksSamplesPerPixel, bits: 8).WriteDat(peaks);
            peaks.Position = 0;
            await context.Blobs.PutAsync(peaksKey, peaks, "application/octet-stream", cancellationToken);
        }

        var set = new RenditionSet(renditions, peaksKey, Math.Round((double)audio[0].Length / rate, 3), Math.Round(loudness.IntegratedLufs, 2),
            Math.Round(loudness.TruePeakDbtp, 2), tempo?.Bpm, key?.Key.ToString());
        await release.RenditionsReadyAsync(input.Version, set);
        var report = new
        {
            releaseId = input.ReleaseId,
            version = input.Version,
            set.DurationSeconds,
            set.IntegratedLufs,
            set.TruePeakDbtp,
            set.Bpm,
            set.Key,
            renditions = renditions.Select(r => new { format = r.Format.ToString().ToLowerInvariant(), r.ContentType, r.Size }),
        };
        return new JobResult(new Dictionary<string, Guid>(), JsonSerializer.Serialize(report, JsonSerializerOptions.Web));
    }

    /// <summary>Encodes the WAV at <paramref name="wav"/> and stores the file at <paramref name="key"/>.</summary>
    private async Task<Rendition> EncodeAndStoreAsync(JobContext context, string wav, AudioFileFormat file, RenditionFormat format, string key,
        CancellationToken cancellationToken)
    {
        var (extension, contentType) = AudioEncoder.Describe(file);
        var path = Path.ChangeExtension(wav, extension);
        await AudioEncoder.EncodeAsync(wav, path, file, 24, mp3Cbr320: false, assetOptions.Value.DecodeTimeout, cancellationToken);
        await using var stream = File.OpenRead(path);
        var stored = await context.Blobs.PutAsync(key, stream, contentType, cancellationToken);
        return new Rendition(format, key, contentType, stored.Length);
    }

    private static async Task<string> WriteWavAsync(JobContext context, float[][] audio, int rate, string name)
    {
        var wav = Path.Combine(context.Scratch, $"{name}.wav");
        await using var file = File.Create(wav);
        WavWriter.Write(file, audio, rate, WavSampleFormat.Pcm24, dither: true);
        return wav;
    }
}
