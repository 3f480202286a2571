using System.Text.Json;
using Jacameno.Assets;
using Jacameno.Audio.Formats;
using Jacameno.Audio.Rendering;
using Jacameno.Common;
using Jacameno.Infrastructure.Blobs;
using Jacameno.Jobs;
using Jacameno.Projects;
using Microsoft.Extensions.Options;

namespace Jacameno.Rendering;

/// <summary>What to render: a project at a pinned version, into which file format.</summary>
public sealed record RenderInput(Guid ProjectId, long Version, AudioFileFormat Format, int SampleRate, int BitDepth, bool Stems, bool Mp3Cbr320 = false);

/// <summary>
/// Bounces a project version (the audio engine's <see cref="ProjectRenderer"/>): the mix, and with stems one
/// file per track and bus. Outputs: <c>mix</c>, and <c>stem:{trackId}</c> per stem.
/// </summary>
public sealed class RenderJob(IBlobStore blobs, IOptions<AssetOptions> assetOptions) : IJobHandler
{
    public JobKind Kind => JobKind.Render;

    public async Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var input = context.Input<RenderInput>();
        context.Report(0, "loading project");
        ProjectDocument project;
        try
        {
            project = await context.Grains.GetGrain<IProjectGrain>(input.ProjectId).GetVersionAsync(context.OwnerId, input.Version);
        }
        catch (DomainException e)
        {
            throw new JobRejectedException(e.Message);
        }

        var render = ToRender(project);
        var limits = assetOptions.Value;
        var length = render.Tracks.SelectMany(t => t.Clips).Select(c => c.Start + c.Length).DefaultIfEmpty(0).Max();
        if (length == 0)
        {
            throw new JobRejectedException("The project has no clips to render.");
        }

        if (length > (long)limits.MaxMinutes * 60 * project.SampleRate)
        {
            throw new JobRejectedException($"The project is longer than the {limits.MaxMinutes} minutes a render may be.");
        }

        var sources = await LoadSourcesAsync(context, render, project.SampleRate, limits, cancellationToken);
        context.Report(40, "mixing");
        var mix = ProjectRenderer.Render(render, id => sources.GetValueOrDefault(id));
        var outputs = new Dictionary<string, Guid>
        {
            ["mix"] = await SaveAsync(context, mix, project.SampleRate, input, Safe(project.Name), 60, cancellationToken),
        };
        if (input.Stems)
        {
            context.Report(70, "rendering stems");
            var stems = ProjectRenderer.RenderStems(render, id => sources.GetValueOrDefault(id));
            var names = project.Tracks.ToDictionary(t => t.Id, t => t.Name);
            foreach (var (trackId, audio) in stems)
            {
                outputs[$"stem:{trackId}"] = await SaveAsync(context, audio, project.SampleRate, input, $"{Safe(project.Name)} - {Safe(names[trackId])}", 90, cancellationToken);
            }
        }

        var report = new
        {
            projectId = project.Id,
            version = project.Version,
            durationSeconds = Math.Round((double)length / project.SampleRate, 3),
            format = input.Format.ToString().ToLowerInvariant(),
            sampleRate = input.SampleRate,
            bitDepth = input.BitDepth,
            stems = input.Stems ? project.Tracks.Select(t => new { trackId = t.Id, name = t.Name, output = $"stem:{t.Id}" }).ToArray() : [],
        };
        return new JobResult(outputs, JsonSerializer.Serialize(report, JsonSerializerOptions.Web));
    }

    /// <summary>The engine's view of a project: the same tracks, clips and effects, without the collaboration metadata.</summary>
    public static RenderProject ToRender(ProjectDocument project) => new(
        project.SampleRate,
        project.Tempo,
        [.. project.Tracks.Select(t => new RenderTrack(
            t.Id,
            t.Kind == TrackKind.Bus,
            [.. t.Clips.Select(c => new RenderClip(c.Start, c.Length, c.AssetId, c.Offset, c.GainDb,
                c.FadeIn.Length, (FadeShape)c.FadeIn.Curve, c.FadeOut.Length, (FadeShape)c.FadeOut.Curve, c.Muted))],
            Effects(t.Effects),
            t.VolumeDb, t.Pan, t.Mute, t.Solo, t.Output))],
        Effects(project.Master.Effects),
        project.Master.VolumeDb);

    private static RenderEffect[] Effects(IEnumerable<Effect> effects) =>
        [.. effects.Select(e => new RenderEffect(e.Type, e.Parameters, e.Bypass))];

    /// <summary>Each source decoded once. Sources are read as the render's trusted worker: the project's member asked for it.</summary>
    private async Task<Dictionary<Guid, AudioSource>> LoadSourcesAsync(JobContext context, RenderProject render, int rate, AssetOptions limits, CancellationToken cancellationToken)
    {
        var ids = render.Tracks.SelectMany(t => t.Clips).Select(c => c.SourceId).OfType<Guid>().Distinct().ToList();
        var sources = new Dictionary<Guid, AudioSource>();
        foreach (var (id, index) in ids.Select((id, i) => (id, i)))
        {
            context.Report(5 + (35 * index / Math.Max(1, ids.Count)), "loading audio");
            string key;
            try
            {
                (_, key) = await context.Grains.GetGrain<IAssetGrain>(id).GetSourceAsync();
            }
            catch (DomainException e)
            {
                throw new JobRejectedException($"A clip's audio ({id}) cannot be used: {e.Message}");
            }

            var path = Path.Combine(context.Scratch, $"source-{id:N}");
            await using (var content = await blobs.GetAsync(key, cancellationToken: cancellationToken) ?? throw new JobRejectedException($"A clip's audio ({id}) is gone."))
            await using (var file = File.Create(path))
            {
                await content.Stream.CopyToAsync(file, cancellationToken);
            }

            try
            {
                var (probe, samples) = await AudioProbe.DecodeAllAsync(path, (long)limits.MaxMinutes * 60 * 192_000, limits.DecodeTimeout, cancellationToken);
                sources[id] = new AudioSource(probe.SampleRate, samples.Length > 2 ? samples[..2] : samples);
            }
            catch (AudioRejectedException e)
            {
                throw new JobRejectedException($"A clip's audio ({id}) cannot be decoded: {e.Message}");
            }
            finally
            {
                File.Delete(path);
            }
        }

        return sources;
    }

    private static async Task<Guid> SaveAsync(JobContext context, float[][] audio, int projectRate, RenderInput input, string name, int progress, CancellationToken cancellationToken)
    {
        if (input.SampleRate != projectRate)
        {
            audio = [.. audio.Select(channel => Resampler.Resample(channel, projectRate, input.SampleRate))];
        }

        context.Report(progress, "encoding");
        var wav = Path.Combine(context.Scratch, $"{Guid.NewGuid():N}.wav");
        var format = input.Format == AudioFileFormat.Wav && input.BitDepth == 32 ? WavSampleFormat.Float32
            : input.BitDepth == 16 ? WavSampleFormat.Pcm16 : WavSampleFormat.Pcm24;
        await using (var file = File.Create(wav))
        {
            WavWriter.Write(file, audio, input.SampleRate, format, dither: format != WavSampleFormat.Float32);
        }

        var (extension, contentType) = AudioEncoder.Describe(input.Format);
        var path = wav;
        if (input.Format != AudioFileFormat.Wav)
        {
            path = Path.ChangeExtension(wav, extension);
            await AudioEncoder.EncodeAsync(wav, path, input.Format, input.BitDepth, input.Mp3Cbr320, TimeSpan.FromMinutes(10), cancellationToken);
            File.Delete(wav);
        }

        var id = await context.SaveOutputAsync(path, $"{name}.{extension}", contentType, cancellationToken);
        File.Delete(path);
        return id;
    }

    private static string Safe(string name)
    {
        var clean = new string([.. name.Select(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_' or '.' ? c : '_')]).Trim();
        return clean.Length == 0 ? "render" : clean.Length > 80 ? clean[..80] : clean;
    }
}
