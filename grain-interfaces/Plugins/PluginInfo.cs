namespace Jacameno.Plugins;

/// <summary>
/// A plugin parameter as the project stores it: <see cref="Id"/> is the LV2 port symbol or the VST2 parameter index;
/// values are in the plugin's own range (VST2 ranges are always 0-1, shown with the plugin's own label).
/// </summary>
[GenerateSerializer, Immutable, Alias("Jacameno.PluginParameter")]
public sealed record PluginParameter(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] double Min,
    [property: Id(3)] double Max,
    [property: Id(4)] double Default,
    [property: Id(5)] string Unit,
    [property: Id(6)] bool Toggle = false,
    [property: Id(7)] bool Integer = false);

/// <summary>A factory preset the plugin ships with (an LV2 preset URI or a VST2 program number).</summary>
[GenerateSerializer, Immutable, Alias("Jacameno.PluginPreset")]
public sealed record PluginPreset([property: Id(0)] string Id, [property: Id(1)] string Name);

/// <summary>
/// What a scan learned about one plugin. <see cref="Unsupported"/> says why the platform cannot run it (a feature
/// it requires that the host does not provide); such a plugin is listed but refused in projects. <see cref="Bundle"/>
/// is an LV2 plugin's bundle (a file URI): a host that loads only that bundle starts much faster than one that reads them all.
/// </summary>
[GenerateSerializer, Immutable, Alias("Jacameno.PluginInfo")]
public sealed record PluginInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Vendor,
    [property: Id(3)] string Category,
    [property: Id(4)] bool IsInstrument,
    [property: Id(5)] int AudioInputs,
    [property: Id(6)] int AudioOutputs,
    [property: Id(7)] IReadOnlyList<PluginParameter> Parameters,
    [property: Id(8)] IReadOnlyList<PluginPreset> Presets,
    [property: Id(9)] string? Unsupported = null,
    [property: Id(10)] string? Bundle = null)
{
    public const string Vst2Prefix = "vst2:";
    public const string Lv2Prefix = "lv2:";

    /// <summary>Whether an effect type names a hosted plugin rather than a built-in effect.</summary>
    public static bool IsPluginId(string type) =>
        type.StartsWith(Vst2Prefix, StringComparison.Ordinal) || type.StartsWith(Lv2Prefix, StringComparison.Ordinal);
}
