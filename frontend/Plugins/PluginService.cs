using System.Threading.RateLimiting;
using Jacameno.Common;
using Jacameno.Frontend.Hosting;
using Jacameno.Plugins;

namespace Jacameno.Frontend.Plugins;

/// <summary>A plugin in a list: what a browser shows before the plugin is opened (its parameters come with <see cref="PluginInfo"/>).</summary>
public sealed record PluginSummary(string Id, string Name, string Vendor, string Category, bool IsInstrument, int AudioInputs, int AudioOutputs,
    int ParameterCount, int PresetCount, string? Unsupported)
{
    public static PluginSummary From(PluginInfo p) =>
        new(p.Id, p.Name, p.Vendor, p.Category, p.IsInstrument, p.AudioInputs, p.AudioOutputs, p.Parameters.Count, p.Presets.Count, p.Unsupported);
}

/// <summary>Run a plugin with a state, a factory preset and parameters applied in that order, and read back what it holds.</summary>
public sealed record PluginStateRequest(string? PluginId, string? State, string? PresetId, Dictionary<string, double>? Parameters);

/// <summary>Save a user preset: the plugin's state after the request's state, preset and parameters.</summary>
public sealed record PluginPresetRequest(string? PluginId, string? Name, string? State, string? PresetId, Dictionary<string, double>? Parameters);

/// <summary>The per-user budget of plugin runs outside renders (each starts a host process).</summary>
public sealed class PluginThrottle(PartitionedRateLimiter<string> limiter)
    : Throttle(limiter, seconds => $"Too many plugin runs; try again in {seconds} s.");

/// <summary>
/// Plugins at the edge, for REST and GraphQL: the catalog (from a silo, kept for a minute), a plugin's state after
/// a preset or parameters (run on a silo), and the caller's own presets.
/// </summary>
public sealed class PluginService(IGrainFactory grains, PluginThrottle throttle, TimeProvider clock)
{
    private static readonly TimeSpan CatalogLifetime = TimeSpan.FromMinutes(1);
    private volatile Snapshot? catalog;

    /// <summary>Plugins matching a search (name, vendor or id), a category, and a kind ("effect" or "instrument"), by name.</summary>
    public async Task<IReadOnlyList<PluginSummary>> ListAsync(string? search, string? category, string? kind) =>
        [.. (await FindAsync(search, category, kind)).Select(PluginSummary.From)];

    public async Task<IReadOnlyList<PluginInfo>> FindAsync(string? search, string? category, string? kind)
    {
        if (kind is not (null or "" or "effect" or "instrument"))
        {
            throw DomainException.Invalid("kind", "kind must be effect or instrument.");
        }

        var plugins = await CatalogAsync();
        return [.. plugins
            .Where(p => string.IsNullOrWhiteSpace(search) || p.Name.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase)
                || p.Vendor.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase) || p.Id.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase))
            .Where(p => string.IsNullOrEmpty(category) || string.Equals(p.Category, category, StringComparison.OrdinalIgnoreCase))
            .Where(p => kind is null or "" || p.IsInstrument == (kind == "instrument"))
            .OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.Id, StringComparer.Ordinal)];
    }

    public async Task<PluginInfo> GetAsync(string? id) =>
        (await CatalogAsync()).FirstOrDefault(p => p.Id == id) ?? throw DomainException.NotFound($"Plugin '{Shorten(id ?? "")}'");

    public async Task<PluginState> CaptureAsync(Guid userId, PluginStateRequest request, CancellationToken cancellationToken)
    {
        var pluginId = Required(request.PluginId);
        await throttle.TakeAsync(userId.ToString("N"), cancellationToken);
        return await grains.GetGrain<IPluginCatalogGrain>(0).CaptureAsync(pluginId, request.State, request.PresetId,
            request.Parameters ?? []);
    }

    public Task<IReadOnlyList<PluginUserPreset>> PresetsAsync(Guid userId, string? pluginId) =>
        grains.GetGrain<IPluginPresetsGrain>(userId).ListAsync(string.IsNullOrEmpty(pluginId) ? null : pluginId);

    public Task<PluginUserPreset> PresetAsync(Guid userId, Guid presetId) => grains.GetGrain<IPluginPresetsGrain>(userId).GetAsync(presetId);

    public async Task<PluginUserPreset> SavePresetAsync(Guid userId, PluginPresetRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            throw DomainException.Invalid("name", "name is required.");
        }

        var state = await CaptureAsync(userId, new PluginStateRequest(request.PluginId, request.State, request.PresetId, request.Parameters), cancellationToken);
        return await grains.GetGrain<IPluginPresetsGrain>(userId).SaveAsync(state, request.Name);
    }

    public Task DeletePresetAsync(Guid userId, Guid presetId) => grains.GetGrain<IPluginPresetsGrain>(userId).DeleteAsync(presetId);

    private async Task<IReadOnlyList<PluginInfo>> CatalogAsync()
    {
        var now = clock.GetUtcNow();
        if (catalog is { } cached && now - cached.At < CatalogLifetime)
        {
            return cached.Plugins;
        }

        var plugins = await grains.GetGrain<IPluginCatalogGrain>(0).ListAsync();
        catalog = new Snapshot(plugins, now);
        return plugins;
    }

    private sealed record Snapshot(IReadOnlyList<PluginInfo> Plugins, DateTimeOffset At);

    private static string Required(string? pluginId) =>
        string.IsNullOrEmpty(pluginId) ? throw DomainException.Invalid("pluginId", "pluginId is required.") : pluginId;

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
