using Jacameno.Assets;
using Jacameno.Audio.Instruments;
using Jacameno.Audio.Rendering;
using Jacameno.Common;
using Jacameno.Jobs;
using Jacameno.Plugins;
using Jacameno.Projects;

namespace Jacameno.Rendering;

/// <summary>
/// A project version ready to render: the document, the engine's view of it, each clip source decoded once, and
/// the marketplace licenses its sources were bought under (asset → order), which every export lists.
/// </summary>
public sealed record ProjectMixdown(ProjectDocument Project, RenderProject Render, IReadOnlyDictionary<Guid, AudioSource> Sources, long Length,
    IReadOnlyDictionary<Guid, Guid> Licenses, HostedPluginRack Plugins)
{
    public float[][] Mix() => ProjectRenderer.Render(Render, id => Sources.GetValueOrDefault(id), Plugins);

    public IReadOnlyDictionary<Guid, float[][]> Stems() => ProjectRenderer.RenderStems(Render, id => Sources.GetValueOrDefault(id), Plugins);

    /// <summary>Renders another view of the project (a track alone, say) with the same sources and plugins.</summary>
    public float[][] Mix(RenderProject view) => ProjectRenderer.Render(view, id => Sources.GetValueOrDefault(id), Plugins);

    /// <summary>
    /// Loads the version as the job's owner sees it (a member of the project), and decodes the clips' sources. Sources are
    /// read as the trusted worker: the member may render collaborators' audio that the project plays.
    /// </summary>
    public static async Task<ProjectMixdown> LoadAsync(JobContext context, AssetOptions limits, Guid projectId, long version, CancellationToken cancellationToken)
    {
        ProjectDocument project;
        try
        {
            project = await context.Grains.GetGrain<IProjectGrain>(projectId).GetVersionAsync(context.OwnerId, version);
        }
        catch (DomainException e)
        {
            throw new JobRejectedException(e.Message);
        }

        var render = ToRender(project, context.Plugins);
        var length = render.Tracks.SelectMany(t => t.Clips).Select(c => c.Start + c.Length).DefaultIfEmpty(0).Max();
        if (length == 0)
        {
            throw new JobRejectedException("The project has no clips to render.");
        }

        if (length > (long)limits.MaxMinutes * 60 * project.SampleRate)
        {
            throw new JobRejectedException($"The project is longer than the {limits.MaxMinutes} minutes a render may be.");
        }

        var ids = render.Tracks.SelectMany(t => t.Sources).Distinct().ToList();
        var sources = new Dictionary<Guid, AudioSource>();
        var licenses = new Dictionary<Guid, Guid>();
        foreach (var (id, index) in ids.Select((id, i) => (id, i)))
        {
            context.Report(5 + (35 * index / Math.Max(1, ids.Count)), "loading audio");
            string key;
            try
            {
                (var info, key) = await context.Grains.GetGrain<IAssetGrain>(id).GetSourceAsync();
                if (info.LicenseId is { } license)
                {
                    licenses[id] = license;
                }
            }
            catch (DomainException e)
            {
                throw new JobRejectedException($"A clip's or sample's audio ({id}) cannot be used: {e.Message}");
            }

            var (samples, rate) = await context.DecodeBlobAsync(key, (long)limits.MaxMinutes * 60 * 192_000, $"A clip's audio ({id})", cancellationToken);
            sources[id] = new AudioSource(rate, samples);
        }

        return new ProjectMixdown(project, render, sources, length, licenses, context.Plugins.Rack());
    }

    /// <summary>
    /// The engine's view of a project: the same tracks, clips and effects, without the collaboration metadata. A
    /// MIDI track whose chain starts with an instrument (a sampler, drums, or an instrument plugin) plays its notes on it
    /// (the rest of the chain follows).
    /// </summary>
    public static RenderProject ToRender(ProjectDocument project, InstalledPlugins installed) => ToRender(project, installed.Find, id => installed.SoundFonts.Find(id)?.Path);

    /// <summary>The engine's view, with the plugins and SoundFonts (id to file) of a silo given as functions.</summary>
    public static RenderProject ToRender(ProjectDocument project, Func<string, PluginInfo?> plugins, Func<string, string?> soundFonts) =>
        ToRender(project, plugins, soundFonts, project.TempoMap());

    // A clip that follows the tempo is stretched to the tempo where it starts.
    private static RenderProject ToRender(ProjectDocument project, Func<string, PluginInfo?> plugins, Func<string, string?> soundFonts, TempoMap tempo) => new(
        project.SampleRate,
        project.Tempo,
        [.. project.Tracks.Select(t => new RenderTrack(
            t.Id,
            t.Kind == TrackKind.Bus,
            [.. t.Clips.Select(c => new RenderClip(c.Start, c.Length, c.AssetId, c.Offset, c.GainDb,
                c.FadeIn.Length, (FadeShape)c.FadeIn.Curve, c.FadeOut.Length, (FadeShape)c.FadeOut.Curve, c.Muted,
                t.Kind == TrackKind.Midi ? [.. c.Notes.Select(n => new RenderNote(n.Start, n.Length, n.Pitch, n.Velocity))] : null,
                c.SourceTempo is { } sourceTempo ? Math.Clamp(sourceTempo / tempo.TempoAt(c.Start), 0.05, 20) : 1, c.Transpose + (c.Cents / 100.0), c.PreserveFormants))],
            Effects(Instrument(t, plugins) is null ? t.Effects : t.Effects.Skip(1), t.Automation),
            t.VolumeDb, t.Pan, t.Mute, t.Solo, t.Output, Instrument(t, plugins) is { } instrument ? Effects([instrument], t.Automation, soundFonts)[0] : null,
            Lane(t.Automation, AutomationTargets.Volume), Lane(t.Automation, AutomationTargets.Pan),
            [.. t.Sends.Select(s => new RenderSend(s.Bus, s.LevelDb, s.PreFader, Lane(t.Automation, AutomationTargets.Send(s.Bus))))]))],
        Effects(project.Master.Effects, project.Master.Automation),
        project.Master.VolumeDb,
        MasterVolumeAutomation: Lane(project.Master.Automation, AutomationTargets.Volume));

    private static RenderEffect[] Effects(IEnumerable<Effect> effects, List<AutomationLane> automation, Func<string, string?>? soundFonts = null) =>
        [.. effects.Select(e => new RenderEffect(e.Type, e.Parameters, e.Bypass, e.SidechainTrackId, e.State, EffectLanes(e, automation),
            e.Zones.Count > 0 ? [.. e.Zones.Select(z => new RenderZone(z.AssetId, z.Root, z.Low, z.High, z.LowVelocity, z.HighVelocity))] : null,
            e.SoundFont is { } font ? soundFonts?.Invoke(font) : null))];

    private static AutomationEnvelope? Lane(List<AutomationLane> automation, string target) =>
        automation.Find(l => l.Target == target) is { Points.Count: > 0 } lane ? Envelope(lane) : null;

    private static Dictionary<string, AutomationEnvelope>? EffectLanes(Effect effect, List<AutomationLane> automation)
    {
        var lanes = automation.Where(l => l.Points.Count > 0 && AutomationTargets.EffectParameter(l.Target, effect.Id) is not null)
            .ToDictionary(l => AutomationTargets.EffectParameter(l.Target, effect.Id)!, Envelope);
        return lanes.Count > 0 ? lanes : null;
    }

    private static AutomationEnvelope Envelope(AutomationLane lane) =>
        new(lane.Points.Select(p => new EnvelopePoint(p.Time, p.Value, (AutomationShape)p.Curve)));

    private static Effect? Instrument(Track track, Func<string, PluginInfo?> plugins) =>
        track.Kind == TrackKind.Midi && track.Effects.FirstOrDefault() is { } first
            && (Jacameno.Audio.Effects.EffectCatalog.IsInstrument(first.Type) || plugins(first.Type) is { IsInstrument: true }) ? first : null;
}
