using System.Text.Json;
using Jacameno.Assets;
using Jacameno.Audio.Analysis;
using Jacameno.Audio.Formats;
using Jacameno.Audio.Watermarks;
using Jacameno.Jobs;
using Jacameno.Rendering;
using Microsoft.Extensions.Options;

namespace Jacameno.Marketplace;

/// <summary>
/// Makes what a listing delivers, stored under the listing so sales never depend on the seller's assets: the
/// master as 24-bit WAV and MP3 V0, the stems (a project's tracks rendered, or the seller's stem files), a
/// pack's samples as uploaded; and the watermarked preview (<see cref="ToneTag"/>), the only audio anyone
/// hears before buying. Tempo and key come from analysis: of the master, or of each file of a sample pack (which
/// makes a loop library pack browsable by tempo and key, <see cref="LoopAnalyzer"/>).
/// </summary>
public sealed class ListingFilesJob(IOptions<AssetOptions> assetOptions, IOptions<JobOptions> jobOptions) : IJobHandler
{
    public JobKind Kind => JobKind.ListingFiles;

    public async Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var input = context.Input<ListingFilesInput>();
        var listing = context.Grains.GetGrain<IListingGrain>(input.ListingId);
        try
        {
            var files = await PrepareAsync(context, input, cancellationToken);
            await listing.FilesReadyAsync(files);
            return new JobResult(new Dictionary<string, Guid>(), JsonSerializer.Serialize(new { listingId = input.ListingId, files = files.Files.Select(f => new { f.Format, f.Name, f.Size }) },
                JobInputs.Json));
        }
        catch (JobRejectedException e)
        {
            await listing.FilesFailedAsync(e.Message);
            throw;
        }
    }

    private async Task<ListingFiles> PrepareAsync(JobContext context, ListingFilesInput input, CancellationToken cancellationToken)
    {
        var prefix = $"listings/{input.ListingId:N}/files-{context.Work.Attempt}";
        var files = new List<ListingFile>();
        float[][]? main = null;
        var rate = 48000;
        context.Report(0, "loading audio");
        if (input.ProjectId is { } projectId)
        {
            var mixdown = await ProjectMixdown.LoadAsync(context, assetOptions.Value, projectId, input.ProjectVersion ?? long.MaxValue, cancellationToken);
            (main, rate) = (mixdown.Mix(), mixdown.Project.SampleRate);
            var names = mixdown.Project.Tracks.ToDictionary(t => t.Id, t => t.Name);
            foreach (var (trackId, audio) in mixdown.Stems())
            {
                files.Add(await WavAsync(context, audio, rate, DeliveredFormat.Stems, $"{prefix}/stems/{trackId:N}.wav",
                    $"{RenderJob.Safe(names[trackId])}.wav", cancellationToken));
            }
        }
        else if (input.AssetId is { } assetId)
        {
            (main, rate) = await context.DecodeAssetAsync(assetId, jobOptions.Value.MaxAudioMinutes, "master", cancellationToken);
        }

        // Stem files and a pack's samples are delivered as the seller uploaded them.
        var format = input.Type == ListingType.SamplePack ? DeliveredFormat.Wav : DeliveredFormat.Stems;
        var previewParts = new List<float[][]>();
        foreach (var (assetId, index) in (input.AssetIds ?? []).Select((a, i) => (a, i)))
        {
            context.Report(10 + (40 * index / Math.Max(1, input.AssetIds!.Count)), "copying files");
            var (copy, asset) = await CopyAssetAsync(context, assetId, $"{prefix}/{(format == DeliveredFormat.Wav ? "samples" : "stems")}/{index:D3}", format, cancellationToken);
            var (pack, previewPart) = (input.Type == ListingType.SamplePack, main is null && previewParts.Count < 8);
            if (pack || previewPart)
            {
                var (samples, sampleRate) = await context.DecodeAssetAsync(asset, jobOptions.Value.MaxAudioMinutes, "sample", cancellationToken);
                if (pack)
                {
                    var loop = LoopAnalyzer.Analyze(samples, sampleRate, copy.Name);
                    copy = copy with { Loop = new LoopFacts(loop.DurationSeconds, loop.Bpm, loop.Beats, loop.Key?.ToString()) };
                }

                if (previewPart)
                {
                    rate = previewParts.Count == 0 ? sampleRate : rate;
                    // A pack's preview: up to eight of its files, four seconds each, one after another.
                    previewParts.Add(sampleRate == rate ? [.. samples.Select(c => c[..Math.Min(c.Length, 4 * rate)])] : []);
                }
            }

            files.Add(copy);
        }

        main ??= Concatenate(previewParts.Where(p => p.Length > 0).ToList());
        if (main is null || main[0].Length == 0)
        {
            throw new JobRejectedException("The listing has no audio: give a master (assetId), files (assetIds) or a project.");
        }

        if (input.Type != ListingType.SamplePack)
        {
            context.Report(60, "encoding");
            files.Add(await WavAsync(context, main, rate, DeliveredFormat.Wav, $"{prefix}/master.wav", "master.wav", cancellationToken));
            files.Add(await Mp3Async(context, main, rate, DeliveredFormat.Mp3, $"{prefix}/master.mp3", "master.mp3", cancellationToken));
        }

        context.Report(80, "watermarking the preview");
        var preview = await Mp3Async(context, ToneTag.Apply(main, rate), rate, DeliveredFormat.TaggedMp3, $"{prefix}/preview.mp3", "preview (tagged).mp3", cancellationToken);
        files.Add(preview);
        var (tempo, key) = input.Type == ListingType.SamplePack ? (null, null) : AudioAnalyzer.TempoAndKey(main, rate);
        return new ListingFiles(files, preview.BlobKey, Math.Round((double)main[0].Length / rate, 3), tempo?.Bpm, key?.Key.ToString());
    }

    private static float[][]? Concatenate(IReadOnlyList<float[][]> parts) =>
        parts.Count == 0 ? null
        : [.. Enumerable.Range(0, parts.Min(p => p.Length)).Select(c => parts.SelectMany(p => p[c]).ToArray())];

    private static async Task<(ListingFile File, Guid AssetId)> CopyAssetAsync(JobContext context, Guid assetId, string keyPrefix, DeliveredFormat format, CancellationToken cancellationToken)
    {
        var asset = context.Grains.GetGrain<IAssetGrain>(assetId);
        AssetInfo info;
        string key;
        try
        {
            info = await asset.GetAsync(context.OwnerId);
            key = await asset.GetBlobKeyAsync(context.OwnerId, peaks: false);
        }
        catch (Common.DomainException e)
        {
            throw new JobRejectedException($"A file ({assetId}) cannot be used: {e.Message}");
        }

        await using var original = await context.Blobs.GetAsync(key, cancellationToken: cancellationToken) ?? throw new JobRejectedException($"The file {info.FileName} is gone.");
        var container = AudioContainer.FromDemuxer(info.Format) ?? throw new JobRejectedException($"The file {info.FileName} is in no known format.");
        var target = keyPrefix + container.Extension;
        var stored = await context.Blobs.PutAsync(target, original.Stream, container.ContentType, cancellationToken);
        return (new ListingFile(format, Path.ChangeExtension(info.FileName, container.Extension), target, stored.ContentType, stored.Length), assetId);
    }

    private static async Task<ListingFile> WavAsync(JobContext context, float[][] audio, int rate, DeliveredFormat format, string key, string name, CancellationToken cancellationToken)
    {
        var path = Path.Combine(context.Scratch, $"{Guid.NewGuid():N}.wav");
        await using (var file = File.Create(path))
        {
            WavWriter.Write(file, audio, rate, WavSampleFormat.Pcm24, dither: true);
        }

        return await PutAsync(context, path, format, key, name, "audio/wav", cancellationToken);
    }

    private async Task<ListingFile> Mp3Async(JobContext context, float[][] audio, int rate, DeliveredFormat format, string key, string name, CancellationToken cancellationToken)
    {
        var wav = Path.Combine(context.Scratch, $"{Guid.NewGuid():N}.wav");
        await using (var file = File.Create(wav))
        {
            WavWriter.Write(file, audio, rate, WavSampleFormat.Pcm24, dither: true);
        }

        var mp3 = Path.ChangeExtension(wav, "mp3");
        await AudioEncoder.EncodeAsync(wav, mp3, AudioFileFormat.Mp3, 24, mp3Cbr320: false, assetOptions.Value.DecodeTimeout, cancellationToken);
        return await PutAsync(context, mp3, format, key, name, "audio/mpeg", cancellationToken);
    }

    private static async Task<ListingFile> PutAsync(JobContext context, string path, DeliveredFormat format, string key, string name, string contentType, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        var stored = await context.Blobs.PutAsync(key, stream, contentType, cancellationToken);
        return new ListingFile(format, name, key, contentType, stored.Length);
    }
}
