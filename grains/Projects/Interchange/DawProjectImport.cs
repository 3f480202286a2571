using System.IO.Compression;
using System.Text.Json;
using Jacameno.Assets;
using Jacameno.Common;
using Jacameno.Storage.Blobs;

namespace Jacameno.Projects.Interchange;

/// <summary>
/// Turns a DAWproject archive into a project of the caller: each audio file it uses becomes an asset (processed like
/// an upload, counted against the caller's storage), each track, clip and note an op. An archive is hostile until
/// read: its XML is counted before it is built (<see cref="DawProject.Read"/>), its paths are made canonical so one
/// file has one name, and what it would inflate to is added up from the archive's directory before a byte is
/// inflated, then enforced while inflating (a directory can lie).
/// </summary>
public static class DawProjectImport
{
    /// <summary>The most audio files one import makes assets of.</summary>
    public const int MaxAudioFiles = 500;

    public static async Task<DawProjectImported> ImportAsync(ZipArchive zip, string fallbackTitle, Guid userId, long? quotaBytes,
        IGrainFactory grains, IBlobStore blobs, AssetOptions limits, CancellationToken cancellationToken)
    {
        // One name per file: "a.wav", "/a.wav", "//a.wav" and "a\wav" name one entry (the first of them), not several.
        var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            if (DawProject.CanonicalPath(entry.FullName) is { } canonical)
            {
                entries.TryAdd(canonical, entry);
            }
        }

        var projectEntry = entries.GetValueOrDefault(DawProject.ProjectEntry)
            ?? throw DomainException.Invalid("file", "The archive has no project.xml; it is not a DAWproject.");
        DawProjectContent content;
        try
        {
            await using var projectXml = await projectEntry.OpenAsync(cancellationToken);
            var metadataEntry = entries.GetValueOrDefault(DawProject.MetadataEntry);
            await using var metadataXml = metadataEntry is null ? null : await metadataEntry.OpenAsync(cancellationToken);
            content = DawProject.Read(projectXml, metadataXml, string.IsNullOrWhiteSpace(fallbackTitle) || fallbackTitle == "upload" ? "Imported project" : fallbackTitle);
        }
        catch (DawProjectException e)
        {
            throw DomainException.Invalid("file", e.Message);
        }

        var warnings = new List<string>();
        var paths = content.Tracks.SelectMany(t => t.Clips).Select(c => c.AudioPath).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (paths.Count > MaxAudioFiles)
        {
            throw DomainException.Invalid("file", $"The project refers to {paths.Count} audio files; at most {MaxAudioFiles} are imported.");
        }

        var budget = limits.MaxImportBytes;
        var declared = paths.Sum(p => entries.TryGetValue(p, out var e) ? e.Length : 0);
        if (declared > budget)
        {
            throw DomainException.Invalid("file", $"The project's audio inflates to {declared} bytes; an import takes at most {budget}.");
        }

        var assets = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (!entries.TryGetValue(path, out var entry) || entry.Length > limits.MaxUploadBytes)
            {
                warnings.Add(entry is null ? $"{path} is not in the archive; its clips are left out." : $"{path} is larger than an upload may be; its clips are left out.");
                continue;
            }

            await using var audio = await entry.OpenAsync(cancellationToken);
            var allowed = Math.Min(limits.MaxUploadBytes, budget);
            var counted = new LimitedStream(audio, allowed);
            AssetInfo asset;
            try
            {
                asset = await AssetFiles.CreateAsync(grains, blobs, userId, quotaBytes, counted, Path.GetFileName(path), cancellationToken);
            }
            catch (LimitedStream.TooLargeException)
            {
                throw DomainException.Invalid("file", $"{path} inflates to more than its archive says; the import is refused.");
            }

            budget -= counted.Position;
            assets[path] = asset.Id;
        }

        var project = grains.GetGrain<IProjectGrain>(Guid.NewGuid());
        var document = await project.CreateAsync(userId, new CreateProjectCommand(content.Title.Length > ProjectLimits.MaxNameLength ? content.Title[..ProjectLimits.MaxNameLength] : content.Title,
            "Imported from a DAWproject.", Math.Clamp(content.Tempo, 20, 999), 48000));
        var rate = document.SampleRate;
        long Samples(double seconds) => (long)Math.Round(Math.Max(0, seconds) * rate);
        var ops = new List<(string Kind, object Payload)>
        {
            ("project.set", new ProjectSet(TimeSignature: new TimeSignatureValue(content.Numerator, content.Denominator))),
        };
        if (content.TempoChanges is { Count: > 0 } changes)
        {
            // Held changes, each after the one before (two at one sample keep the later), in the editor's range.
            ops.Add(("tempo.set", new TempoSet([.. changes.Select(c => new TempoChangeValue(Samples(c.Seconds), Math.Clamp(c.Tempo, 20, 999)))
                .Where(c => c.Position > 0).GroupBy(c => c.Position).Select(g => g.Last()).OrderBy(c => c.Position)])));
        }
        var ids = content.Tracks.ToDictionary(t => t.Id, _ => Guid.NewGuid());
        foreach (var track in content.Tracks)
        {
            ops.Add(("track.add", new TrackAdd(ids[track.Id], track.Name, track.Kind, track.Color is { Length: 7 } c && c[0] == '#' ? c : null)));
        }

        foreach (var track in content.Tracks)
        {
            var volume = track.VolumeLinear <= 0 ? -96 : Math.Clamp(20 * Math.Log10(track.VolumeLinear), -96, 12);
            var output = track.DestinationTrackId is { } destination && ids.TryGetValue(destination, out var bus) ? bus.ToString() : null;
            ops.Add(("track.set", new TrackSet(ids[track.Id], Math.Round(volume, 2), Math.Clamp((track.PanNormalized * 2) - 1, -1, 1), track.Mute, track.Solo, output)));
            foreach (var clip in track.Clips)
            {
                var clipId = Guid.NewGuid();
                Guid? asset = clip.AudioPath is { } path && assets.TryGetValue(path, out var a) ? a : null;
                if (clip.AudioPath is not null && asset is null)
                {
                    continue;
                }

                var notes = track.Kind == TrackKind.Midi
                    ? clip.Notes.Select(n => new NoteValue(Math.Clamp(n.Key, 0, 127), Math.Clamp((int)Math.Round(n.Velocity * 127), 1, 127), Samples(n.Time), Math.Max(1, Samples(n.Duration)))).ToList()
                    : null;
                ops.Add(("clip.add", new ClipAdd(ids[track.Id], Samples(clip.TimeSeconds), Math.Max(1, Samples(clip.DurationSeconds)), clipId, asset, Samples(clip.PlayStartSeconds), Notes: notes)));
                if (clip.FadeInSeconds > 0 || clip.FadeOutSeconds > 0 || !clip.Enabled)
                {
                    ops.Add(("clip.set", new ClipSet(clipId, FadeIn: new FadeValue(Samples(clip.FadeInSeconds)), FadeOut: new FadeValue(Samples(clip.FadeOutSeconds)),
                        Muted: clip.Enabled ? null : true)));
                }
            }
        }

        var version = document.Version;
        foreach (var batch in ops.Chunk(ProjectLimits.MaxBatch))
        {
            var result = await project.SubmitAsync(userId, [.. batch.Select(op =>
                new OpSubmission("dawproject-import", Guid.NewGuid().ToString("N"), version, op.Kind, JsonSerializer.Serialize(op.Payload, OpJson.Options)))]);
            warnings.AddRange(result.Acks.Where(a => a.Status == OpStatus.Rejected).Select(a => $"Left out: {a.Reason}"));
            version = result.Acks.Max(a => a.Version);
        }

        return new DawProjectImported(project.GetPrimaryKey(), [.. assets.Values], warnings);
    }
}
