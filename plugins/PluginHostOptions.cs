namespace Jacameno.Plugins;

/// <summary>
/// How plugins are hosted (<c>Jacameno:Plugins</c>): where the host program is, and the limits a plugin process
/// runs under. A plugin over a limit is killed and the render fails with its name and the limit.
/// </summary>
public sealed class PluginHostOptions
{
    /// <summary>The host program; empty: <c>jacameno-plugin-host</c> beside this assembly.</summary>
    public string HostPath { get; set; } = "";

    /// <summary>Longest a plugin may take to load, or to answer one command (one block of audio is one command).</summary>
    public TimeSpan LoadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Resident memory a plugin process may use.</summary>
    public long MemoryLimitBytes { get; set; } = 2L << 30;

    /// <summary>Longest the scan may spend on one plugin before it is skipped.</summary>
    public TimeSpan ScanTimeoutPerPlugin { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Where LV2 bundles are looked for (LV2_PATH's form, colon-separated); empty: LV2_PATH, else the standard places.</summary>
    public string Lv2Path { get; set; } = "";

    /// <summary>Where VST2 plugins are looked for (colon-separated); empty: VST_PATH, else /usr/lib/vst, /usr/lib/lxvst and the like.</summary>
    public string Vst2Path { get; set; } = "";

    /// <summary>Whether the silo scans for plugins at all (off: the catalog is empty and plugin effects are bypassed).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How to start the host: the program, the arguments before its own, and the search paths it gets.</summary>
    public System.Diagnostics.ProcessStartInfo StartInfo(params string[] arguments)
    {
        var (fileName, leading) = Command();
        var start = new System.Diagnostics.ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in leading.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        if (Lv2Path.Length > 0)
        {
            start.Environment["LV2_PATH"] = Lv2Path;
        }

        if (Vst2Path.Length > 0)
        {
            start.Environment["VST_PATH"] = Vst2Path;
        }

        return start;
    }

    /// <summary>The host program and the arguments that start it before its own.</summary>
    public (string FileName, string[] Arguments) Command()
    {
        if (HostPath.Length > 0)
        {
            return HostPath.EndsWith(".dll", StringComparison.Ordinal) ? ("dotnet", [HostPath]) : (HostPath, []);
        }

        var directory = Path.GetDirectoryName(typeof(PluginHostOptions).Assembly.Location) ?? AppContext.BaseDirectory;
        var apphost = Path.Combine(directory, "jacameno-plugin-host");
        return File.Exists(apphost) ? (apphost, []) : ("dotnet", [Path.Combine(directory, "jacameno-plugin-host.dll")]);
    }
}
