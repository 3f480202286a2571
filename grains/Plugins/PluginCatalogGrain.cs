using Jacameno.Common;
using Orleans.Concurrency;

namespace Jacameno.Plugins;

/// <summary>
/// The answering silo's plugins (<see cref="InstalledPlugins"/>); one activation per silo, as a stateless worker,
/// so a list never leaves the silo that scanned it, and a capture runs where the plugin is installed.
/// </summary>
[StatelessWorker]
public sealed class PluginCatalogGrain(InstalledPlugins plugins) : Grain, IPluginCatalogGrain
{
    public Task<IReadOnlyList<PluginInfo>> ListAsync() => Task.FromResult(plugins.All);

    public async Task<PluginState> CaptureAsync(string pluginId, string? state, string? presetId, IReadOnlyDictionary<string, double> parameters)
    {
        var info = plugins.Find(pluginId) ?? throw DomainException.NotFound($"Plugin '{Shorten(pluginId)}'");
        if (info.Unsupported is { } reason)
        {
            throw DomainException.Invalid("pluginId", $"{info.Name} cannot run here: {reason}");
        }

        if (presetId is not null && info.Presets.All(p => p.Id != presetId))
        {
            throw DomainException.Invalid("presetId", $"{info.Name} has no preset '{Shorten(presetId)}'.");
        }

        byte[]? saved = null;
        if (state is not null && (state.Length > Projects.ProjectLimits.MaxPluginStateChars || !TryBase64(state, out saved)))
        {
            throw DomainException.Invalid("state", $"state must be base64 of at most {Projects.ProjectLimits.MaxPluginStateChars} characters.");
        }

        // Off the grain's scheduler: the host process is waited for synchronously.
        return await Task.Run(() =>
        {
            try
            {
                using var instance = PluginInstance.Start(plugins.Options, pluginId, 48_000, 120, bundle: info.Bundle);
                if (saved is not null)
                {
                    instance.RestoreState(saved);
                }

                if (presetId is not null)
                {
                    instance.LoadPreset(presetId);
                }

                instance.Set(parameters);
                var captured = Convert.ToBase64String(instance.SaveState());
                if (captured.Length > Projects.ProjectLimits.MaxPluginStateChars)
                {
                    throw DomainException.Invalid("state", $"{info.Name}'s state is larger than the {Projects.ProjectLimits.MaxPluginStateChars} characters a project keeps.");
                }

                return new PluginState(pluginId, captured, instance.Parameters());
            }
            catch (PluginException e)
            {
                throw DomainException.Invalid("pluginId", e.Message);
            }
        });
    }

    private static bool TryBase64(string text, out byte[]? bytes)
    {
        var buffer = new byte[text.Length];
        var ok = Convert.TryFromBase64String(text, buffer, out var written);
        bytes = ok ? buffer[..written] : null;
        return ok;
    }

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
