using System.Text.Json;
using Jacameno.Assets;
using Jacameno.Audio.Rendering;
using Jacameno.Jobs;
using Microsoft.Extensions.Options;

namespace Jacameno.Rendering;

/// <summary>
/// Bounces a project version (the audio engine's <see cref="ProjectRenderer"/>): the mix, and with stems one
/// file per track and bus. Outputs: <c>mix</c>, and <c>stem:{trackId}</c> per stem.
/// </summary>
public sealed class RenderJob(IOptions<AssetOptions> assetOptions) : IJobHandler
{
    public JobKind Kind => JobKind.Render;

    public async Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var input = context.Input<RenderInput>();
        context.Report(0, "loading project");
        var mixdown = await ProjectMixdown.LoadAsync(context, assetOptions.Value, input.ProjectId, input.Version, cancellationToken);
        var project = mixdown.Project;
        context.Report(40, "mixing");
        var outputs = new Dictionary<string, Guid>
        {
            ["mix"] = await SaveAsync(context, mixdown.Mix(), project.SampleRate, input, Safe(project.Name), 60, cancellationToken),
        };
        if (input.Stems)
        {
            context.Report(70, "rendering stems");
            var names = project.Tracks.ToDictionary(t => t.Id, t => t.Name);
            foreach (var (trackId, audio) in mixdown.Stems())
            {
                outputs[$"stem:{trackId}"] = await SaveAsync(context, audio, project.SampleRate, input, $"{Safe(project.Name)} - {Safe(names[trackId])}", 90, cancellationToken);
            }
        }

        var report = new
        {
            projectId = project.Id,
            version = project.Version,
            durationSeconds = Math.Round((double)mixdown.Length / project.SampleRate, 3),
            format = input.Format.ToString().ToLowerInvariant(),
            sampleRate = input.SampleRate,
            bitDepth = input.BitDepth,
            stems = input.Stems ? project.Tracks.Select(t => new { trackId = t.Id, name = t.Name, output = $"stem:{t.Id}" }).ToArray() : [],
            // What the render uses under marketplace licenses: the order of each (GET /api/orders/{id}/license).
            licenses = mixdown.Licenses.Select(l => new { assetId = l.Key, orderId = l.Value }).ToArray(),
            // Plugins the project uses that this server could not run; they were bypassed.
            missingPlugins = mixdown.Plugins.Missing,
        };
        return new JobResult(outputs, JsonSerializer.Serialize(report, JsonSerializerOptions.Web));
    }

    private static Task<Guid> SaveAsync(JobContext context, float[][] audio, int projectRate, RenderInput input, string name, int progress, CancellationToken cancellationToken)
    {
        if (input.SampleRate != projectRate)
        {
            audio = [.. audio.Select(channel => Resampler.Resample(channel, projectRate, input.SampleRate))];
        }

        context.Report(progress, "encoding");
        return context.SaveAudioAsync(audio, input.SampleRate, input.Format, input.BitDepth, name, cancellationToken, input.Mp3Cbr320);
    }

    /// <summary>A file name from a project or track name: letters, digits, spaces and a few marks, at most 80 characters.</summary>
    public static string Safe(string name)
    {
        var clean = new string([.. name.Select(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_' or '.' ? c : '_')]).Trim();
        return clean.Length == 0 ? "render" : clean.Length > 80 ? clean[..80] : clean;
    }
}
