using Jacameno.Storage.Sqlite;

namespace Jacameno.Hosting;

/// <summary>A backup made while the platform ran: its name (the folder under <c>data/backups</c>) and size.</summary>
public sealed record BackupInfo(string Name, string Path, DateTimeOffset CreatedAt, long Bytes, int Files);

/// <summary>
/// Backs up an embedded platform while it runs, into <c>data/backups/{time}/</c>, a folder laid out like the data
/// directory itself (so restoring is: stop, put the folder in place of the data directory, start): the SQLite file
/// through the online backup API (grain state, reminders, the catalog, op logs, the outbox: one consistent moment),
/// then the signing keys and the blobs. Blobs are copied after the database, and a blob is written before anything
/// names it, so every blob the copied database refers to is in the backup. Docs: docs/operations.md#backups.
/// </summary>
public sealed class EmbeddedBackup(SqliteDatabase database, JacamenoOptions options, TimeProvider clock)
{
    private readonly SemaphoreSlim oneAtATime = new(1, 1);

    public async Task<BackupInfo> CreateAsync(CancellationToken cancellationToken = default)
    {
        if (!await oneAtATime.WaitAsync(0, cancellationToken))
        {
            throw new Common.DomainException(Common.DomainErrorKind.Conflict, "A backup is being made; try again when it is done.");
        }

        try
        {
            var createdAt = clock.GetUtcNow();
            var name = createdAt.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            var target = options.DataPath("backups", name);
            for (var n = 2; Directory.Exists(target); n++)
            {
                target = options.DataPath("backups", $"{name}-{n}");
            }

            // Made under a temporary name and renamed when whole: a folder named like a backup is a complete one.
            var partial = target + ".partial";
            Directory.CreateDirectory(partial);
            await database.BackupToAsync(Path.Combine(partial, "jacameno.db"), cancellationToken);
            var (bytes, files) = (new FileInfo(Path.Combine(partial, "jacameno.db")).Length, 1);
            foreach (var folder in (string[])["keys", "blobs"])
            {
                var (b, f) = CopyTree(options.DataPath(folder), Path.Combine(partial, folder), cancellationToken);
                (bytes, files) = (bytes + b, files + f);
            }

            Directory.Move(partial, target);
            return new BackupInfo(Path.GetFileName(target), target, createdAt, bytes, files);
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    /// <summary>Copies a folder's files; the blob store's scratch folder (writes in progress) is left out.</summary>
    private static (long Bytes, int Files) CopyTree(string from, string to, CancellationToken cancellationToken)
    {
        var (bytes, files) = (0L, 0);
        if (!Directory.Exists(from))
        {
            return (bytes, files);
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith("tmp" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            var copy = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            try
            {
                File.Copy(file, copy);
            }
            catch (FileNotFoundException)
            {
                continue; // deleted while we copied: nothing the copied database still needs
            }

            bytes += new FileInfo(copy).Length;
            files++;
        }

        return (bytes, files);
    }
}
