using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Jacameno.Plugins;

/// <summary>
/// The plugins this silo can run (scanned once when it starts, <see cref="PluginScanner"/>), and how it runs them
/// (<see cref="Options"/>, <c>Jacameno:Plugins</c>). Renders get a <see cref="HostedPluginRack"/> from it. The SoundFonts
/// it plays (<c>Jacameno:SoundFonts:Directory</c>) are installed by the operator in the same way.
/// </summary>
public sealed class InstalledPlugins
{
    public const string SectionName = "Jacameno:Plugins";

    /// <summary>The silo metadata key listing the ids of the plugins a silo can run, one per line.</summary>
    public const string MetadataKey = "plugins";

    private readonly Dictionary<string, PluginInfo> byId;

    public InstalledPlugins(PluginHostOptions options, PluginScan scan, Jacameno.Audio.Instruments.SoundFontLibrary? soundFonts = null)
    {
        Options = options;
        Scan = scan;
        SoundFonts = soundFonts ?? new(Jacameno.Audio.Instruments.SoundFontLibrary.DefaultDirectory);
        byId = scan.Plugins.ToDictionary(p => p.Id, StringComparer.Ordinal);
    }

    public PluginHostOptions Options { get; }

    public PluginScan Scan { get; }

    public Jacameno.Audio.Instruments.SoundFontLibrary SoundFonts { get; }

    public IReadOnlyList<PluginInfo> All => Scan.Plugins;

    public PluginInfo? Find(string id) => byId.GetValueOrDefault(id);

    /// <summary>The plugins of one render (each in its own host process).</summary>
    public HostedPluginRack Rack() => new(Options, Find);

    /// <summary>The ids of the plugins this silo can run, for its metadata.</summary>
    public string MetadataValue => string.Join('\n', All.Where(p => p.Unsupported is null).Select(p => p.Id));

    /// <summary>
    /// Scans with the configured options; the cache lives in <c>Jacameno:Plugins:CacheFile</c>, by default the
    /// user's cache folder (one file per set of search paths), so that every silo and test on a machine shares one scan.
    /// </summary>
    public static InstalledPlugins Load(IConfiguration configuration)
    {
        var options = configuration.GetSection(SectionName).Get<PluginHostOptions>() ?? new PluginHostOptions();
        var cache = configuration[$"{SectionName}:CacheFile"] is { Length: > 0 } configured ? configured
            : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "jacameno", $"plugin-scan-{PluginSearchPaths.Key(options)}.json");
        return new InstalledPlugins(options, PluginScanner.Scan(options, cache), Jacameno.Audio.Instruments.SoundFontLibrary.Of(configuration[Jacameno.Audio.Instruments.SoundFontLibrary.DirectoryKey]));
    }

    /// <summary>Writes what the scan had to say to the log, once the silo has a logger.</summary>
    public void Log(ILogger logger)
    {
        foreach (var note in Scan.Notes)
        {
            logger.LogInformation("{Note}", note);
        }
    }
}

/// <summary>Logs the silo's plugin scan as it starts.</summary>
internal sealed class PluginScanLog(InstalledPlugins plugins, ILogger<InstalledPlugins> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PluginScanLog), ServiceLifecycleStage.First, _ =>
        {
            plugins.Log(logger);
            return Task.CompletedTask;
        });
}
