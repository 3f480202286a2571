using Jacameno.Users;

namespace Jacameno.Projects.Interchange;

/// <summary>What an import made: the project, the assets its audio became, and what could not be carried over.</summary>
public sealed record DawProjectImported(Guid ProjectId, IReadOnlyList<Guid> Assets, IReadOnlyList<string> Warnings);

/// <summary>
/// DAWproject files (Bitwig, Studio One, Cubase) in and out. A service where the request is, not a grain: an archive
/// is a stream of up to gigabytes, read and written straight between the client and the blob store.
/// </summary>
public interface IDawProjectInterchange
{
    /// <summary>The archive's file name for <paramref name="project"/>.</summary>
    string FileName(ProjectDocument project);

    /// <summary>Writes <paramref name="project"/> and the audio of its clips as a DAWproject archive.</summary>
    Task ExportAsync(ProjectDocument project, Stream destination, CancellationToken cancellationToken = default);

    /// <summary>Makes a project of <paramref name="userId"/> from an archive (a seekable file); its audio becomes the user's assets.</summary>
    Task<DawProjectImported> ImportAsync(Stream archive, string fallbackTitle, Guid userId, UserRole role, CancellationToken cancellationToken = default);
}
