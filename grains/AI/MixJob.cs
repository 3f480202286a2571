using System.Text.Json;
using Jacameno.Assets;
using Jacameno.Audio.Mixing;
using Jacameno.Common;
using Jacameno.Jobs;
using Jacameno.Projects;
using Jacameno.Rendering;
using Microsoft.Extensions.Options;

namespace Jacameno.AI;

/// <summary>
/// Auto-mix: each audio track is rendered alone and measured, <see cref="AutoMix"/> proposes its settings (gain
/// staging, a high-pass on every track that is not bass, a panning spread, cuts where tracks mask each other), and
/// the job turns them into ordinary ops, with glue compression on the master bus. With apply, the ops are submitted as the
/// assistant, so collaborators see them live and can undo them.
/// </summary>
public sealed class MixJob(IOptions<AssetOptions> assetOptions) : IJobHandler
{
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
        var heard = new List<TrackListening>();
        foreach (var (track, index) in tracks.Select((t, i) => (t, i)))
        {
            context.Report(40 + (40 * index / tracks.Count), "listening to tracks");
            var alone = mixdown.Render with
            {
                Tracks = [mixdown.Render.Tracks.Single(t => t.Id == track.Id) with { VolumeDb = 0, Pan = 0, Mute = false, Solo = false, Output = null }],
                MasterEffects = [],
                MasterVolumeDb = 0,
            };
            heard.Add(AutoMix.Listen(track.Id, mixdown.Mix(alone), rate));
        }

        context.Report(85, "proposing");
        var mix = AutoMix.Propose(heard);
        var proposals = new List<object>();
        var ops = new List<OpSubmission>();
        var n = 0;
        void Op(string kind, object payload) =>
            ops.Add(new OpSubmission("assistant", $"mix-{context.Work.JobId:N}-{n++}", project.Version, kind, JsonSerializer.Serialize(payload, OpJson.Options)));

        foreach (var m in mix.Tracks)
        {
            var track = tracks.Single(t => t.Id == m.Id);
            Op("track.set", new TrackSet(m.Id, VolumeDb: m.VolumeDb, Pan: m.Pan));
            var highPass = m.HighPass && !track.Effects.Any(e => e.Type == "eq-highpass");
            if (highPass)
            {
                Op("effect.add", new EffectAdd("eq-highpass", m.Id, Parameters: new Dictionary<string, double> { ["frequency"] = 100, ["q"] = 0.707 }, Index: 0));
            }

            foreach (var hz in m.CutsHz)
            {
                Op("effect.add", new EffectAdd("eq-peak", m.Id, Parameters: new Dictionary<string, double> { ["frequency"] = hz, ["q"] = 1.4, ["gainDb"] = -3 }));
            }

            proposals.Add(new
            {
                trackId = m.Id, name = track.Name, loudnessLufs = Math.Round(m.Lufs, 2), role = m.Role,
                volumeDb = m.VolumeDb, pan = m.Pan, highPassHz = highPass ? 100 : (int?)null, cutsHz = m.CutsHz,
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
            targetTrackLufs = mix.TargetLufs,
            tracks = proposals,
            master = new { glueCompressor = glue },
            ops = ops.Select(o => new { kind = o.Kind, payload = JsonDocument.Parse(o.Payload).RootElement }),
            applied,
            undo = "Each op can be undone by an editor with an undo op whose payload is {\"of\":\"assistant\"}.",
        };
        return new JobResult(new Dictionary<string, Guid>(), JsonSerializer.Serialize(report, JsonSerializerOptions.Web));
    }
}
