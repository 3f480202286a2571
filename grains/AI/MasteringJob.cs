using System.Text.Json;
using Jacameno.Assets;
using Jacameno.Audio.Mastering;
using Jacameno.Audio.Rendering;
using Jacameno.Jobs;
using Jacameno.Rendering;
using Microsoft.Extensions.Options;

namespace Jacameno.AI;

/// <summary>
/// Mastering (<see cref="Mastering"/>). Outputs: <c>master</c> (WAV 24-bit), <c>masterMp3</c> (MP3 320k), and a
/// 30-second A/B pair from the loudest passage, <c>previewBefore</c> and <c>previewAfter</c> (MP3), set to the
/// same loudness so the comparison is about the sound, not the level.
/// </summary>
public sealed class MasteringJob(IOptions<AssetOptions> assetOptions, IOptions<JobOptions> options) : IJobHandler
{
    public const double PreviewSeconds = 30;

    public JobKind Kind => JobKind.Mastering;

    public async Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var input = context.Input<MasteringInput>();
        var maxMinutes = options.Value.MaxAudioMinutes;
        context.Report(0, "loading audio");
        float[][] audio;
        int rate;
        string name;
        if (input.ProjectId is { } projectId)
        {
            var mixdown = await ProjectMixdown.LoadAsync(context, assetOptions.Value, projectId, input.Version ?? 0, cancellationToken);
            if (mixdown.Length > (long)maxMinutes * 60 * mixdown.Project.SampleRate)
            {
                throw new JobRejectedException($"The project is longer than the {maxMinutes} minutes AI tools take.");
            }

            context.Report(20, "mixing");
            (audio, rate, name) = (mixdown.Mix(), mixdown.Project.SampleRate, RenderJob.Safe(mixdown.Project.Name));
        }
        else
        {
            (audio, rate) = await context.DecodeAssetAsync(input.AssetId!.Value, maxMinutes, "audio", cancellationToken);
            name = "master";
        }

        float[][]? reference = null;
        if (input.ReferenceAssetId is { } referenceId)
        {
            context.Report(25, "loading reference");
            var (samples, referenceRate) = await context.DecodeAssetAsync(referenceId, maxMinutes, "reference", cancellationToken);
            reference = referenceRate == rate ? samples : [.. samples.Select(c => Resampler.Resample(c, referenceRate, rate))];
        }

        context.Report(30, "mastering");
        MasteringResult result;
        try
        {
            result = Mastering.Master(audio, rate, new MasteringTarget(input.Lufs, input.TruePeakDbtp, input.Style, input.Intensity), reference);
        }
        catch (ArgumentException e)
        {
            throw new JobRejectedException(e.Message.Split(" (Parameter")[0]);
        }

        context.Report(70, "encoding");
        var outputs = new Dictionary<string, Guid>
        {
            ["master"] = await context.SaveAudioAsync(result.Audio, rate, AudioFileFormat.Wav, 24, $"{name} (master)", cancellationToken),
        };
        context.Report(80);
        outputs["masterMp3"] = await context.SaveAudioAsync(result.Audio, rate, AudioFileFormat.Mp3, 24, $"{name} (master)", cancellationToken, mp3Cbr320: true);

        context.Report(90, "previews");
        var (start, length, matchedLufs) = Previews(audio, result.Audio, rate);
        outputs["previewBefore"] = await context.SaveAudioAsync(Excerpt(audio, start, length, matchedLufs, rate), rate, AudioFileFormat.Mp3, 24, $"{name} (before)", cancellationToken);
        outputs["previewAfter"] = await context.SaveAudioAsync(Excerpt(result.Audio, start, length, matchedLufs, rate), rate, AudioFileFormat.Mp3, 24, $"{name} (after)", cancellationToken);

        var report = new
        {
            target = new { lufs = input.Lufs, truePeakDbtp = input.TruePeakDbtp },
            style = input.Style.ToString().ToLowerInvariant(),
            intensity = input.Intensity,
            result.Report.Before,
            result.Report.After,
            result.Report.Equalizer,
            compressor = new { thresholdDb = result.Report.CompressorThresholdDb, ratio = result.Report.CompressorRatio },
            result.Report.Width,
            result.Report.GainDb,
            result.Report.Iterations,
            result.Report.ReferenceMatched,
            preview = new { startSeconds = Math.Round(start / (double)rate, 2), seconds = Math.Round(length / (double)rate, 2), loudnessLufs = Math.Round(matchedLufs, 2) },
        };
        return new JobResult(outputs, JsonSerializer.Serialize(report, JsonSerializerOptions.Web));
    }

    /// <summary>
    /// The passage (the loudest 30 s of the master) and the loudness both previews are set to: the master's,
    /// or lower if the original would otherwise be raised over -1 dBTP.
    /// </summary>
    private static (int Start, int Length, double Lufs) Previews(float[][] before, float[][] after, int rate)
    {
        var start = Mastering.LoudestPassage(after, rate, PreviewSeconds);
        var length = Math.Min(before[0].Length - start, (int)(PreviewSeconds * rate));
        var b = Mastering.Measure([.. before.Select(c => c[start..(start + length)])], rate, truePeak: true);
        var a = Mastering.Measure([.. after.Select(c => c[start..(start + length)])], rate, truePeak: false);
        var lufs = double.IsFinite(b.IntegratedLufs) ? Math.Min(a.IntegratedLufs, b.IntegratedLufs + (-1 - b.TruePeakDbtp)) : a.IntegratedLufs;
        return (start, length, lufs);
    }

    private static float[][] Excerpt(float[][] audio, int start, int length, double lufs, int rate)
    {
        var excerpt = audio.Select(c => c[start..(start + length)]).ToArray();
        var measured = Mastering.Measure(excerpt, rate, truePeak: false).IntegratedLufs;
        var gain = double.IsFinite(measured) ? (float)Math.Pow(10, (lufs - measured) / 20) : 1f;
        foreach (var channel in excerpt)
        {
            for (var i = 0; i < channel.Length; i++)
            {
                channel[i] *= gain;
            }
        }

        // Short fades, so the excerpt does not start or stop with a click.
        var fade = Math.Min(length / 2, rate / 50);
        foreach (var channel in excerpt)
        {
            for (var i = 0; i < fade; i++)
            {
                channel[i] *= (float)i / fade;
                channel[^(i + 1)] *= (float)i / fade;
            }
        }

        return excerpt;
    }
}
