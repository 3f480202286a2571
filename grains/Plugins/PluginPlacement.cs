using System.Text.Json.Nodes;
using Jacameno.Jobs;
using Jacameno.Projects;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Jacameno.Plugins;

/// <summary>
/// Places a job's worker on a silo that has every plugin the job's project uses (silo metadata
/// <see cref="InstalledPlugins.MetadataKey"/>), when one does; otherwise on any silo, where the missing plugins are
/// bypassed and reported. The job says what it needs in the request context of the call that activates the worker.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class PreferPluginSiloAttribute() : PlacementFilterAttribute(new PluginSiloPlacementFilterStrategy());

public sealed class PluginSiloPlacementFilterStrategy() : PlacementFilterStrategy(order: 0);

public sealed class PluginSiloPlacementFilterDirector(ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    /// <summary>The request-context key holding the plugin ids a job needs, one per line.</summary>
    public const string RequestKey = "jacameno.plugins";

    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var all = silos.ToList();
        if (target.RequestContextData?.TryGetValue(RequestKey, out var value) != true || value is not string { Length: > 0 } needed)
        {
            return all;
        }

        var ids = needed.Split('\n');
        var able = all.Where(silo => metadata.GetSiloMetadata(silo).Metadata.TryGetValue(InstalledPlugins.MetadataKey, out var installed)
            && installed.Split('\n').ToHashSet(StringComparer.Ordinal) is var set && ids.All(set.Contains)).ToList();
        return able.Count > 0 ? able : all;
    }
}

public static class PluginPlacement
{
    /// <summary>
    /// The plugins a job's project version uses, for placement: jobs whose input names a project (and version)
    /// render it. Null for other jobs, or when the project cannot be read (the job itself will say why).
    /// </summary>
    public static async Task<string?> NeededAsync(IGrainFactory grains, JobWork work)
    {
        if (JsonNode.Parse(work.InputJson) is not JsonObject input
            || !Guid.TryParse(input["projectId"]?.ToString(), out var projectId)
            || (input["version"] ?? input["projectVersion"]) is not JsonValue version || !version.TryGetValue<long>(out var at))
        {
            return null;
        }

        try
        {
            var project = await grains.GetGrain<IProjectGrain>(projectId).GetVersionAsync(work.OwnerId, at);
            var ids = project.Tracks.SelectMany(t => t.Effects).Concat(project.Master.Effects)
                .Where(e => !e.Bypass && PluginInfo.IsPluginId(e.Type)).Select(e => e.Type).Distinct().Order(StringComparer.Ordinal).ToList();
            return ids.Count > 0 ? string.Join('\n', ids) : null;
        }
        catch (Exception e) when (e is Common.DomainException or System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
