using System.Text.Json;
using Jacameno.Audio.Analysis;
using Jacameno.Jobs;
using Microsoft.Extensions.Options;

namespace Jacameno.AI;

/// <summary>Track and vocal analysis (<see cref="AudioAnalyzer"/>); the report is the whole result, there are no audio outputs.</summary>
public sealed class AnalysisJob(IOptions<JobOptions> options) : IJobHandler
{
    public const double MinSeconds = 1;

    /// <summary>Files up to this long are also read as a possible loop (<see cref="LoopAnalyzer"/> plays them four times over).</summary>
    public const double LoopSeconds = 30;

    public JobKind Kind => JobKind.Analysis;

    public async Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var input = context.Input<AnalysisInput>();
        context.Report(0, "loading audio");
        var (samples, rate) = await context.DecodeAssetAsync(input.AssetId, options.Value.MaxAudioMinutes, "audio", cancellationToken);
        if (samples[0].Length < MinSeconds * rate)
        {
            throw new JobRejectedException($"The audio is {samples[0].Length / (double)rate:0.###} s long; analysis needs at least {MinSeconds} s.");
        }

        MusicalKey? key = null;
        if (input.Key is not null)
        {
            key = MusicalKey.TryParse(input.Key, out var parsed) ? parsed : throw new JobRejectedException($"\"{input.Key}\" is not a key.");
        }

        context.Report(20, "analysing");
        var report = AudioAnalyzer.Analyze(samples, rate, key);
        // A short file may be a loop, whose tempo its length gives exactly (what a clip should follow).
        if (report.DurationSeconds <= LoopSeconds)
        {
            report = report with { Loop = LoopAnalyzer.Analyze(samples, rate, "") };
        }
        if (report.IntegratedLufs <= -70)
        {
            throw new JobRejectedException("The audio is silent (below the -70 LUFS gate); there is nothing to analyse.");
        }

        return new JobResult(new Dictionary<string, Guid>(), JsonSerializer.Serialize(report, JsonSerializerOptions.Web));
    }
}
