using Jacameno.Common;

namespace Jacameno.Plugins;

[GenerateSerializer, Alias("jacameno.plugin-presets-state")]
public sealed class PluginPresetsState
{
    [Id(0)] public List<PluginUserPreset> Presets { get; set; } = [];
}

/// <summary>A user's plugin presets, newest first; at most <see cref="MaxPresets"/>.</summary>
public sealed class PluginPresetsGrain(
    [PersistentState("plugin-presets", StorageNames.Grains)] IPersistentState<PluginPresetsState> state,
    TimeProvider clock) : Grain, IPluginPresetsGrain
{
    public const int MaxPresets = 500;

    public Task<IReadOnlyList<PluginUserPreset>> ListAsync(string? pluginId) =>
        Task.FromResult<IReadOnlyList<PluginUserPreset>>([.. state.State.Presets.Where(p => pluginId is null || p.PluginId == pluginId)]);

    public async Task<PluginUserPreset> SaveAsync(PluginState plugin, string name)
    {
        name = name.Trim();
        if (name.Length is 0 or > Projects.ProjectLimits.MaxNameLength)
        {
            throw DomainException.Invalid("name", $"name must be 1-{Projects.ProjectLimits.MaxNameLength} characters.");
        }

        if (state.State.Presets.Count >= MaxPresets)
        {
            throw new DomainException(DomainErrorKind.Conflict, $"You have {MaxPresets} presets, the most one account keeps; delete some first.");
        }

        var preset = new PluginUserPreset(Guid.NewGuid(), plugin.PluginId, name, plugin.State, plugin.Parameters, clock.GetUtcNow());
        state.State.Presets.Insert(0, preset);
        await state.WriteStateAsync();
        return preset;
    }

    public Task<PluginUserPreset> GetAsync(Guid presetId) =>
        Task.FromResult(state.State.Presets.Find(p => p.Id == presetId) ?? throw DomainException.NotFound("The preset"));

    public async Task DeleteAsync(Guid presetId)
    {
        if (state.State.Presets.RemoveAll(p => p.Id == presetId) == 0)
        {
            throw DomainException.NotFound("The preset");
        }

        await state.WriteStateAsync();
    }

    public Task EraseAsync() => state.ClearStateAsync();
}
