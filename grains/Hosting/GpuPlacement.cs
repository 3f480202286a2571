using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Jacameno.Hosting;

/// <summary>
/// Places a grain on a silo whose metadata says <c>gpu=true</c> when the cluster has one, on any silo otherwise.
/// The built-in metadata filters compare with the silo doing the placement, which gives affinity, not this
/// (and are experimental in Orleans), hence our own filter.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class PreferGpuSiloAttribute() : PlacementFilterAttribute(new GpuSiloPlacementFilterStrategy());

public sealed class GpuSiloPlacementFilterStrategy() : PlacementFilterStrategy(order: 1);

public sealed class GpuSiloPlacementFilterDirector(ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    public const string MetadataKey = "gpu";

    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var all = silos.ToList();
        var gpu = all.Where(IsGpuSilo).ToList();
        return gpu.Count > 0 ? gpu : all;
    }

    // Keys keep the casing of their configuration source (ORLEANS__METADATA__GPU gives "GPU").
    private bool IsGpuSilo(SiloAddress silo) =>
        metadata.GetSiloMetadata(silo).Metadata.Any(kv =>
            string.Equals(kv.Key, MetadataKey, StringComparison.OrdinalIgnoreCase)
            && string.Equals(kv.Value, "true", StringComparison.OrdinalIgnoreCase));
}

public static class GpuDetection
{
    /// <summary>Resolves <c>Jacameno:Silo:Gpu</c>: true, false, or auto (an NVIDIA driver is present).</summary>
    public static bool Resolve(string setting) =>
        string.Equals(setting, "auto", StringComparison.OrdinalIgnoreCase)
            ? File.Exists("/proc/driver/nvidia/version") || File.Exists("/dev/nvidiactl")
            : bool.TryParse(setting, out var flag) && flag;
}
