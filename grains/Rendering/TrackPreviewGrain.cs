using Jacameno.Assets;
using Jacameno.Audio.Formats;
using Jacameno.Audio.Rendering;
using Jacameno.Common;
using Jacameno.Plugins;
using Jacameno.Projects;
using Jacameno.Storage.Blobs;
using Microsoft.Extensions.Options;

namespace Jacameno.Rendering;

/// <summary>See <see cref="ITrackPreviewGrain"/>. Previews are short (at most <see cref="TrackPreview.MaxSeconds"/>), so they render in the call.</summary>
[PreferPluginSilo]
[CollectionAgeLimit(Minutes = 5)]
public sealed class TrackPreviewGrain(IBlobStore blobs, IOptions<AssetOptions> assetOptions, InstalledPlugins plugins) : Grain, ITrackPreviewGrain
{
    // The sources the track played last, decoded, by asset id: assets never change, and the next preview (after an edit)
    // plays the same ones.
    private readonly Dictionary<Guid, AudioSource> sources = [];

    public async Task<TrackPreview> RenderAsync(Guid userId, Guid projectId, long from, int frames)
    {
        var project = await GrainFactory.GetGrain<IProjectGrain>(projectId).GetAsync(userId);
        if (from < 0 || frames < 1 || frames > TrackPreview.MaxSeconds * project.SampleRate)
        {
            throw DomainException.Invalid("seconds", $"A preview is 1 sample to {TrackPreview.MaxSeconds} seconds long, from 0 on.");
        }

        var render = ProjectMixdown.ToRender(project, plugins);
        var track = render.Tracks.FirstOrDefault(t => t.Id == this.GetPrimaryKey()) ?? throw DomainException.NotFound("The track");
        var view = ProjectRenderer.Chain(render, track) with { From = from, Length = from + frames };
        var needed = view.Tracks.SelectMany(t => t.Clips).Where(c => !c.Muted && c.Start < from + frames && c.Start + c.Length > from)
            .Select(c => c.SourceId).OfType<Guid>().Concat(track.Instrument?.Zones?.Select(z => z.SourceId) ?? []).ToHashSet();
        foreach (var gone in sources.Keys.Where(id => !needed.Contains(id)).ToList())
        {
            sources.Remove(gone);
        }

        var limits = assetOptions.Value;
        foreach (var id in needed.Where(id => !sources.ContainsKey(id)))
        {
            // Read as the engine: the caller is a member, and the project plays this audio (a collaborator's, perhaps).
            var (_, key) = await GrainFactory.GetGrain<IAssetGrain>(id).GetSourceAsync();
            try
            {
                var decoded = await StoredAudio.DecodeAsync(blobs, key, Path.GetTempPath(), (long)limits.MaxMinutes * 60 * 192_000, limits.DecodeTimeout, default)
                    ?? throw DomainException.NotFound($"A clip's audio ({id})");
                sources[id] = new AudioSource(decoded.SampleRate, decoded.Samples);
            }
            catch (AudioRejectedException e)
            {
                throw new DomainException(DomainErrorKind.Conflict, $"A clip's audio ({id}) cannot be decoded: {e.Message}");
            }
        }

        var rack = plugins.Rack();
        float[][] audio;
        try
        {
            // Off the grain's scheduler: a render is CPU work, and a plugin host answers over pipes.
            audio = await Task.Run(() => ProjectRenderer.Render(view, id => sources.GetValueOrDefault(id), rack));
        }
        catch (PluginException e)
        {
            throw new DomainException(DomainErrorKind.Conflict, e.Message);
        }

        using var wav = new MemoryStream();
        WavWriter.Write(wav, audio, project.SampleRate, WavSampleFormat.Pcm16);
        return new TrackPreview(project.Version, project.SampleRate, wav.ToArray(), [.. rack.Missing]);
    }
}
