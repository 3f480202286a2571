namespace Jacameno.Plugins;

/// <summary>A plugin's complete state after a preset, a saved state or parameters were applied to it (what a project keeps).</summary>
[GenerateSerializer, Immutable, Alias("Jacameno.PluginState")]
public sealed record PluginState(
    [property: Id(0)] string PluginId,
    [property: Id(1)] string State,
    [property: Id(2)] IReadOnlyDictionary<string, double> Parameters);

/// <summary>A preset a user saved for a plugin: its state and parameters, to apply to an effect with ops.</summary>
[GenerateSerializer, Immutable, Alias("Jacameno.PluginUserPreset")]
public sealed record PluginUserPreset(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string PluginId,
    [property: Id(2)] string Name,
    [property: Id(3)] string State,
    [property: Id(4)] IReadOnlyDictionary<string, double> Parameters,
    [property: Id(5)] DateTimeOffset CreatedAt);

/// <summary>
/// The plugins of the silo that answers (every silo scanned its own when it started; docs/plugins.md), and the
/// one place a frontend has a plugin run outside a render: to read its state after a preset or parameters.
/// </summary>
[Alias("jacameno.plugin-catalog")]
public interface IPluginCatalogGrain : IGrainWithIntegerKey
{
    [Alias("list")]
    Task<IReadOnlyList<PluginInfo>> ListAsync();

    /// <summary>
    /// Loads the plugin in a host process, applies <paramref name="state"/>, then <paramref name="presetId"/>, then
    /// <paramref name="parameters"/>, and returns what it then holds. Refused (400) for unknown plugins, presets,
    /// parameters and values out of range; a plugin that fails is reported by name.
    /// </summary>
    [Alias("capture")]
    Task<PluginState> CaptureAsync(string pluginId, string? state, string? presetId, IReadOnlyDictionary<string, double> parameters);
}

/// <summary>A user's saved plugin presets (keyed by user id); only the owner reaches them.</summary>
[Alias("jacameno.plugin-presets")]
public interface IPluginPresetsGrain : IGrainWithGuidKey
{
    [Alias("list")]
    Task<IReadOnlyList<PluginUserPreset>> ListAsync(string? pluginId);

    [Alias("save")]
    Task<PluginUserPreset> SaveAsync(PluginState state, string name);

    /// <summary>Not found (404) when the user has no such preset.</summary>
    [Alias("get")]
    Task<PluginUserPreset> GetAsync(Guid presetId);

    [Alias("delete")]
    Task DeleteAsync(Guid presetId);

    /// <summary>Deletes every preset (the account is being deleted).</summary>
    [Alias("erase")]
    Task EraseAsync();
}
