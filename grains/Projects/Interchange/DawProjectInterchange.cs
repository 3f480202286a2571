using System.IO.Compression;
using Jacameno.Assets;
using Jacameno.Audio.Formats;
using Jacameno.Common;
using Jacameno.Rendering;
using Jacameno.Storage.Blobs;
using Jacameno.Users;
using Microsoft.Extensions.Options;

namespace Jacameno.Projects.Interchange;

public sealed class DawProjectInterchange(IGrainFactory grains, IBlobStore blobs, IOptions<AssetOptions> options) : IDawProjectInterchange
{
    public string FileName(ProjectDocument project) => $"{RenderJob.Safe(project.Name)}.dawproject";

    public async Task ExportAsync(ProjectDocument project, Stream destination, CancellationToken cancellationToken = default)
    {
        // A member may take the audio of every clip, whoever uploaded it: they hear it in the project anyway.
        var files = new Dictionary<Guid, (string Path, string Key)>();
        foreach (var assetId in project.Tracks.SelectMany(t => t.Clips).Select(c => c.AssetId).OfType<Guid>().Distinct())
        {
            try
            {
                var (info, key) = await grains.GetGrain<IAssetGrain>(assetId).GetSourceAsync();
                var extension = AudioContainer.FromDemuxer(info.Format)?.Extension ?? ".wav";
                files[assetId] = ($"audio/{assetId:N}{extension}", key);
            }
            catch (DomainException)
            {
                // A clip whose audio is gone is written without it.
            }
        }

        await using var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (name, document) in new[] { (DawProject.ProjectEntry, DawProject.WriteProject(project, a => files.TryGetValue(a, out var f) ? f.Path : null)), (DawProject.MetadataEntry, DawProject.WriteMetadata(project)) })
        {
            await using var entry = await zip.CreateEntry(name, CompressionLevel.Optimal).OpenAsync(cancellationToken);
            await document.SaveAsync(entry, System.Xml.Linq.SaveOptions.None, cancellationToken);
        }

        foreach (var (path, key) in files.Values)
        {
            await using var content = await blobs.GetAsync(key, cancellationToken: cancellationToken);
            if (content is null)
            {
                continue;
            }

            await using var entry = await zip.CreateEntry(path, CompressionLevel.NoCompression).OpenAsync(cancellationToken);
            await content.Stream.CopyToAsync(entry, cancellationToken);
        }
    }

    public async Task<DawProjectImported> ImportAsync(Stream archive, string fallbackTitle, Guid userId, UserRole role, CancellationToken cancellationToken = default)
    {
        ZipArchive zip;
        try
        {
            zip = await ZipArchive.CreateAsync(archive, ZipArchiveMode.Read, leaveOpen: false, entryNameEncoding: null, cancellationToken);
        }
        catch (InvalidDataException)
        {
            throw DomainException.Invalid("file", "The file is not a DAWproject (not a zip archive).");
        }

        await using (zip)
        {
            var limits = options.Value;
            return await DawProjectImport.ImportAsync(zip, fallbackTitle, userId, limits.QuotaFor(role), grains, blobs, limits, cancellationToken);
        }
    }
}
