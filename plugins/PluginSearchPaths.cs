using System.Security.Cryptography;
using System.Text;

namespace Jacameno.Plugins;

/// <summary>
/// Where plugins are looked for: the configured list (colon-separated, like LV2_PATH), else the environment
/// variable, else the standard places of Linux hosts.
/// </summary>
public static class PluginSearchPaths
{
    private static string Home => Environment.GetEnvironmentVariable("HOME") ?? "/root";

    public static IReadOnlyList<string> Vst2(string configured = "") => Split(configured, "VST_PATH",
        ["/usr/lib/vst", "/usr/local/lib/vst", "/usr/lib/lxvst", "/usr/local/lib/lxvst", Path.Combine(Home, ".vst"), Path.Combine(Home, ".lxvst")]);

    public static IReadOnlyList<string> Lv2(string configured = "") => Split(configured, "LV2_PATH",
        [Path.Combine(Home, ".lv2"), "/usr/local/lib/lv2", "/usr/lib/lv2"]);

    /// <summary>Every VST2 candidate (a shared object) under the paths, in a stable order.</summary>
    public static IEnumerable<string> Vst2Files(string configured = "") => Vst2(configured).Where(Directory.Exists)
        .SelectMany(p => Directory.EnumerateFiles(p, "*.so", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
        .Distinct().Order(StringComparer.Ordinal);

    /// <summary>
    /// A digest of every file under the search paths (name, size, time) and of the host's version: while it is
    /// the same, an earlier scan still describes what is installed.
    /// </summary>
    public static string Fingerprint(PluginHostOptions options)
    {
        var text = new StringBuilder(typeof(PluginSearchPaths).Assembly.ManifestModule.ModuleVersionId.ToString());
        foreach (var root in Vst2(options.Vst2Path).Concat(Lv2(options.Lv2Path)).Where(Directory.Exists))
        {
            foreach (var file in new DirectoryInfo(root).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
                .OrderBy(f => f.FullName, StringComparer.Ordinal))
            {
                text.Append('\n').Append(file.FullName).Append(' ').Append(file.Length).Append(' ').Append(file.LastWriteTimeUtc.Ticks);
            }
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>A short name for this set of search paths, so that hosts scanning different folders keep separate caches.</summary>
    public static string Key(PluginHostOptions options) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
        string.Join('\n', Vst2(options.Vst2Path)) + "\n--\n" + string.Join('\n', Lv2(options.Lv2Path)))))[..12].ToLowerInvariant();

    private static IReadOnlyList<string> Split(string configured, string variable, string[] standard) =>
        configured.Length > 0 ? configured.Split(':', StringSplitOptions.RemoveEmptyEntries)
        : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } fromEnvironment ? fromEnvironment.Split(':', StringSplitOptions.RemoveEmptyEntries)
        : standard;
}
