namespace Jacameno.Plugins;

/// <summary>
/// A plugin parameter as the project stores it: <see cref="Id"/> is the LV2 port symbol or the VST2 parameter index;
/// values are in the plugin's own range (VST2 ranges are always 0-1, shown with the plugin's own label).
/// </summary>
public sealed record PluginParameter(string Id, string Name, double Min, double Max, double Default, string Unit, bool Toggle = false, bool Integer = false);

/// <summary>A factory preset the plugin ships with (an LV2 preset URI or a VST2 program number).</summary>
public sealed record PluginPreset(string Id, string Name);

/// <summary>
/// What a scan learned about one plugin. <see cref="Unsupported"/> says why the platform cannot run it (a feature
/// it requires that the host does not provide); such a plugin is listed but refused in projects.
/// </summary>
public sealed record PluginInfo(
    string Id,
    string Name,
    string Vendor,
    string Category,
    bool IsInstrument,
    int AudioInputs,
    int AudioOutputs,
    IReadOnlyList<PluginParameter> Parameters,
    IReadOnlyList<PluginPreset> Presets,
    string? Unsupported = null)
{
    public const string Vst2Prefix = "vst2:";
    public const string Lv2Prefix = "lv2:";

    /// <summary>Whether an effect type names a hosted plugin rather than a built-in effect.</summary>
    public static bool IsPluginId(string type) =>
        type.StartsWith(Vst2Prefix, StringComparison.Ordinal) || type.StartsWith(Lv2Prefix, StringComparison.Ordinal);
}

/// <summary>A plugin failed: it crashed, hung, used too much memory, or refused what it was asked. The message names it.</summary>
public sealed class PluginException(string message) : Exception(message);
