using System.Text.Json;
using Jacameno.Assets;
using Jacameno.Audio.Analysis;
using Jacameno.Audio.Mastering;
using Jacameno.Audio.Rendering;
using Jacameno.Common;
using Jacameno.Jobs;
using Jacameno.Projects;
using Jacameno.Rendering;
using Microsoft.Extensions.Options;

namespace Jacameno.AI;

/// <summary>
/// Auto-mix: each audio track is rendered alone and measured (loudness, octave-band spectrum), then the job
/// proposes mixer settings as ordinary ops: gain staging to equal loudness, a high-pass on every track that
/// is not bass, a panning spread (bass and the lead in the centre), a cut where two tracks mask each other
/// in the same band, and glue compression on the master bus. With apply, the ops are submitted as the
/// assistant, so collaborators see them live and can undo them.
/// </summary>
public sealed class MixJob(IOptions<AssetOptions> assetOptions) : IJobHandler
{
    private static readonly double[] Spread = [-0.35, 0.35, -0.6, 0.6, -0.8, 0.8];

    public JobKind Kind => JobKind.Mix;

    public async Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var input = context.Input<MixInput>();
        context.Report(0, "loading project");
        var mixdown = await ProjectMixdown.LoadAsync(context, assetOptions.Value, input.ProjectId, input.Version, cancellationToken);
        var project = mixdown.Project;
        var rate = project.SampleRate;
        var tracks = project.Tracks.Where(t => t.Kind == TrackKind.Audio && t.Clips.Any(c => c.AssetId is not null)).ToList();
        if (tracks.Count == 0)
        {
            throw new JobRejectedException("The project has no audio tracks to mix.");
        }

        // Every track alone, at unity gain, centred, through its own effects.
        var measured = new List<TrackMeasure>();
        foreach (var (track, index) in tracks.Select((t, i) => (t, i)))
        {
            context.Report(40 + (40 * index / tracks.Count), "listening to tracks");
            var alone = mixdown.Render with
            {
                Tracks = [mixdown.Render.Tracks.Single(t => t.Id == track.Id) with { VolumeDb = 0, Pan = 0, Mute = false, Solo = false, Output = null }],
                MasterEffects = [],
                MasterVolumeDb = 0,
            };
            var audio = ProjectRenderer.Render(alone, id => mixdown.Sources.GetValueOrDefault(id));
            var lufs = Mastering.Measure(audio, rate, truePeak: false).IntegratedLufs;
            var bands = OctaveBands.Levels(audio, rate);
            var total = bands.Where(double.IsFinite).Sum(db => Math.Pow(10, db / 10));
            var low = bands.Take(3).Where(double.IsFinite).Sum(db => Math.Pow(10, db / 10)); // the bands up to 125 Hz (below about 177 Hz)
            measured.Add(new TrackMeasure(track, lufs, bands, total > 0 && low / total > 0.5));
        }

        context.Report(85, "proposing");
        var audible = measured.Where(m => double.IsFinite(m.Lufs)).ToList();
        var target = Math.Round(-18 - (10 * Math.Log10(Math.Max(1, audible.Count))), 1);
        var lead = audible.Where(m => !m.IsBass).OrderByDescending(m => m.Lufs).FirstOrDefault();
        var proposals = new List<object>();
        var ops = new List<OpSubmission>();
        var n = 0;
        void Op(string kind, object payload) =>
            ops.Add(new OpSubmission("assistant", $"mix-{context.Work.JobId:N}-{n++}", project.Version, kind, JsonSerializer.Serialize(payload, OpJson.Options)));

        var spread = 0;
        var carves = audible.ToDictionary(m => m.Track.Id, _ => new List<double>());
        foreach (var (a, b) in audible.Where(m => !m.IsBass).SelectMany((a, i) => audible.Where(m => !m.IsBass).Skip(i + 1).Select(b => (a, b))))
        {
            // Masking: both tracks put their most energy into the same mid band; the quieter one makes room.
            var band = Enumerable.Range(3, Math.Min(5, a.Bands.Length - 3)).FirstOrDefault(i => Near(a.Bands, i) && Near(b.Bands, i), -1);
            var yielding = a.Lufs < b.Lufs ? a : b;
            if (band >= 0 && carves[yielding.Track.Id].Count < 2)
            {
                carves[yielding.Track.Id].Add(OctaveBands.Centres[band]);
            }
        }

        foreach (var m in audible)
        {
            var volume = Math.Round(Math.Clamp(target - m.Lufs, -24, 12) * 2, MidpointRounding.AwayFromZero) / 2;
            var pan = m.IsBass || m == lead ? 0 : Spread[spread++ % Spread.Length];
            Op("track.set", new TrackSet(m.Track.Id, VolumeDb: volume, Pan: pan));
            var highPass = !m.IsBass && !m.Track.Effects.Any(e => e.Type == "eq-highpass");
            if (highPass)
            {
                Op("effect.add", new EffectAdd("eq-highpass", m.Track.Id, Parameters: new Dictionary<string, double> { ["frequency"] = 100, ["q"] = 0.707 }, Index: 0));
            }

            foreach (var hz in carves[m.Track.Id])
            {
                Op("effect.add", new EffectAdd("eq-peak", m.Track.Id, Parameters: new Dictionary<string, double> { ["frequency"] = hz, ["q"] = 1.4, ["gainDb"] = -3 }));
            }

            proposals.Add(new
            {
                trackId = m.Track.Id, name = m.Track.Name, loudnessLufs = Math.Round(m.Lufs, 2), role = m.IsBass ? "bass" : m == lead ? "lead" : "other",
                volumeDb = volume, pan, highPassHz = highPass ? 100 : (int?)null, cutsHz = carves[m.Track.Id],
            });
        }

        var glue = !project.Master.Effects.Any(e => e.Type == "compressor");
        if (glue)
        {
            Op("effect.add", new EffectAdd("compressor", null, Parameters: new Dictionary<string, double>
            {
                ["thresholdDb"] = -12, ["ratio"] = 2, ["attackMs"] = 30, ["releaseMs"] = 250, ["kneeDb"] = 6, ["makeupDb"] = 0,
            }));
        }

        object? applied = null;
        if (input.Apply && ops.Count > 0)
        {
            context.Report(95, "applying");
            SubmitResult result;
            try
            {
                result = await context.Grains.GetGrain<IProjectGrain>(project.Id).SubmitAsAssistantAsync(context.OwnerId, ops);
            }
            catch (DomainException e)
            {
                throw new JobRejectedException(e.Message);
            }

            applied = new
            {
                ops = result.Acks.Count(a => a.Status is OpStatus.Applied or OpStatus.Duplicate),
                rejected = result.Acks.Where(a => a.Status == OpStatus.Rejected).Select(a => a.Reason).ToList(),
                version = result.Acks.Max(a => a.Version),
            };
        }

        var report = new
        {
            projectId = project.Id,
            version = project.Version,
            targetTrackLufs = target,
            tracks = proposals,
            master = new { glueCompressor = glue },
            ops = ops.Select(o => new { kind = o.Kind, payload = JsonDocument.Parse(o.Payload).RootElement }),
            applied,
            undo = "Each op can be undone by an editor with an undo op whose payload is {\"of\":\"assistant\"}.",
        };
        return new JobResult(new Dictionary<string, Guid>(), JsonSerializer.Serialize(report, JsonSerializerOptions.Web));
    }

    /// <summary>Whether band <paramref name="i"/> is within 3 dB of the track's loudest band.</summary>
    private static bool Near(double[] bands, int i) =>
        i < bands.Length && double.IsFinite(bands[i]) && bands[i] >= bands.Where(double.IsFinite).Max() - 3;

    private sealed record TrackMeasure(Track Track, double Lufs, double[] Bands, bool IsBass);
}
