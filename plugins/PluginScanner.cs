using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jacameno.Plugins;

/// <summary>
/// Finds the installed plugins and describes each, out of process: the host lists candidates, then describes them
/// one by one, announcing each before it touches it. A plugin that crashes the host or takes longer than
/// <see cref="PluginHostOptions.ScanTimeoutPerPlugin"/> is left out (logged), and a new host goes on with the next.
/// The result is cached with a fingerprint of the plugin folders, so a restart without changes does not rescan;
/// silos starting together on one machine take turns (a lock file), so only the first one scans.
/// </summary>
public static class PluginScanner
{
    public static PluginScan Scan(PluginHostOptions options, string cacheFile)
    {
        if (!options.Enabled)
        {
            return new PluginScan([], ["Plugins are disabled (Jacameno:Plugins:Enabled)."]);
        }

        var fingerprint = PluginSearchPaths.Fingerprint(options);
        if (ReadCache(cacheFile, fingerprint) is { } cached)
        {
            return new PluginScan(cached, [$"Plugins: {cached.Count} from the scan cache {cacheFile}."]);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(cacheFile))!);
        using var turn = TakeTurn(cacheFile + ".lock");
        if (ReadCache(cacheFile, fingerprint) is { } scannedMeanwhile)
        {
            return new PluginScan(scannedMeanwhile, [$"Plugins: {scannedMeanwhile.Count} from the scan cache {cacheFile}."]);
        }

        var clock = Stopwatch.StartNew();
        var notes = new List<string>();
        var ids = List(options);
        var found = new List<PluginInfo>();
        for (var next = 0; next < ids.Count;)
        {
            next = Describe(options, ids, next, found, notes);
        }

        notes.Add($"Plugin scan: {found.Count} plugins ({found.Count(p => p.Unsupported is not null)} not supported here) of {ids.Count} candidates in {clock.Elapsed.TotalSeconds:0.0} s.");
        WriteCache(cacheFile, fingerprint, found, notes);
        return new PluginScan(found, notes);
    }

    // An exclusive lock on a file beside the cache, waited for up to five minutes.
    private static FileStream? TakeTurn(string lockFile)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (deadline.Elapsed < TimeSpan.FromMinutes(5))
            {
                Thread.Sleep(200);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null; // scan anyway
            }
        }
    }

    private static List<string> List(PluginHostOptions options)
    {
        using var host = Process.Start(options.StartInfo("list"))!;
        host.ErrorDataReceived += (_, _) => { };
        host.BeginErrorReadLine();
        var ids = new List<string>();
        var reading = Task.Run(() =>
        {
            while (host.StandardOutput.ReadLine() is { } line)
            {
                ids.Add(line);
            }
        });
        if (!reading.Wait(TimeSpan.FromMinutes(1)))
        {
            host.Kill();
            throw new PluginException("Listing plugins took longer than a minute.");
        }

        host.WaitForExit();
        return ids;
    }

    // Describes ids from `start` in one host until they are done or the host dies; returns where to go on from.
    private static int Describe(PluginHostOptions options, List<string> ids, int start, List<PluginInfo> found, List<string> notes)
    {
        using var host = Process.Start(options.StartInfo("describe"))!;
        host.ErrorDataReceived += (_, _) => { };
        host.BeginErrorReadLine();
        var writing = Task.Run(() =>
        {
            try
            {
                foreach (var id in ids.Skip(start))
                {
                    host.StandardInput.WriteLine(id);
                }

                host.StandardInput.Close();
            }
            catch (IOException)
            {
                // The host died; the reader says where.
            }
        });
        var current = start - 1;
        while (true)
        {
            var line = host.StandardOutput.ReadLineAsync();
            if (!line.Wait(options.ScanTimeoutPerPlugin))
            {
                host.Kill();
                notes.Add($"Plugin scan: {ids[Math.Max(current, start)]} did not answer within {options.ScanTimeoutPerPlugin.TotalSeconds} s and is left out.");
                return Math.Max(current, start) + 1;
            }

            if (line.Result is not { } text)
            {
                host.WaitForExit();
                writing.Wait();
                if (host.ExitCode == 0)
                {
                    return ids.Count;
                }

                var culprit = Math.Max(current, start);
                notes.Add($"Plugin scan: {ids[culprit]} crashed the scanner (exit code {host.ExitCode}) and is left out.");
                return culprit + 1;
            }

            var message = JsonNode.Parse(text)!;
            if (message["started"] is { } started)
            {
                current = ids.IndexOf(started.GetValue<string>(), Math.Max(start, current));
            }
            else if (message["info"] is { } info)
            {
                found.Add(info.Deserialize<PluginInfo>(PluginWire.Json)!);
            }
            else if (message["error"] is { } error)
            {
                notes.Add($"Plugin scan: {ids[current]} is left out: {error.GetValue<string>()}");
            }
        }
    }

    private static IReadOnlyList<PluginInfo>? ReadCache(string file, string fingerprint)
    {
        try
        {
            var cache = JsonSerializer.Deserialize<ScanCache>(File.ReadAllText(file), PluginWire.Json);
            return cache?.Fingerprint == fingerprint ? cache.Plugins : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void WriteCache(string file, string fingerprint, List<PluginInfo> plugins, List<string> notes)
    {
        try
        {
            var temporary = $"{file}.{Environment.ProcessId}.tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(new ScanCache(fingerprint, plugins), PluginWire.Json));
            File.Move(temporary, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            notes.Add($"Plugin scan: the cache {file} could not be written ({e.Message}).");
        }
    }

    private sealed record ScanCache(string Fingerprint, List<PluginInfo> Plugins);
}

/// <summary>What a scan found, and what it has to say about it (for the log).</summary>
public sealed record PluginScan(IReadOnlyList<PluginInfo> Plugins, IReadOnlyList<string> Notes);
