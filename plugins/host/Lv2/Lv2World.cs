using System.Runtime.InteropServices;
using System.Text;

namespace Jacameno.Plugins.Host.Lv2;

/// <summary>
/// The process's lilv world (every bundle on LV2_PATH, or the standard places) and the host features every LV2
/// instance gets: URID map and unmap, options (block lengths and sample rate), bounded block length and a worker
/// (run synchronously, as hosts do when they render offline). A plugin
/// that requires any other feature is refused with its name (<see cref="MissingFeatures"/>).
/// </summary>
internal static unsafe class Lv2World
{
    public const string Lv2 = "http://lv2plug.in/ns/lv2core#";
    public const string Atom = "http://lv2plug.in/ns/ext/atom#";
    private const string UridMapUri = "http://lv2plug.in/ns/ext/urid#map";
    private const string UridUnmapUri = "http://lv2plug.in/ns/ext/urid#unmap";
    private const string OptionsUri = "http://lv2plug.in/ns/ext/options#options";
    private const string BoundedBlockUri = "http://lv2plug.in/ns/ext/buf-size#boundedBlockLength";
    private const string BufSize = "http://lv2plug.in/ns/ext/buf-size#";
    private const string ScheduleUri = "http://lv2plug.in/ns/ext/worker#schedule";

    private static readonly Dictionary<string, uint> Ids = [];
    private static readonly List<nint> Names = [0];
    private static readonly HashSet<string> Provided =
    [
        UridMapUri, UridUnmapUri, OptionsUri, BoundedBlockUri, ScheduleUri,
        Lv2 + "hardRTCapable", Lv2 + "isLive", "http://lv2plug.in/ns/ext/state#loadDefaultState",
    ];

    private static nint world;
    private static bool everything;
    private static readonly HashSet<string> LoadedBundles = [];
    private static LV2Feature** features;
    private static LV2OptionsOption* options;

    public static nint World => world != 0 ? world : throw new InvalidOperationException("LV2 world not loaded.");

    public static nint Plugins { get; private set; }

    public static LV2UridMap* Map { get; private set; }

    public static LV2UridUnmap* Unmap { get; private set; }

    public static LV2Feature** Features => features;

    /// <summary>The plugin's worker requests, answered synchronously (<see cref="Lv2Worker"/>).</summary>
    public static Lv2Worker Worker { get; } = new();

    /// <summary>
    /// Loads every bundle on the search path, or, given a plugin's bundle (a file URI), only that one: reading
    /// every installed bundle's Turtle costs a host a large part of a second. A host that holds several plugins
    /// loads each one's bundle as it comes (once); once everything is loaded there is nothing more to read.
    /// </summary>
    public static void Load(string? bundle = null)
    {
        if (everything || (bundle is { Length: > 0 } && LoadedBundles.Contains(bundle)))
        {
            return;
        }

        if (world == 0)
        {
            world = Lilv.lilv_world_new();
            Lilv.lilv_world_load_specifications(world);
            Lilv.lilv_world_load_plugin_classes(world);
            // A live collection: bundles loaded later add their plugins to it.
            Plugins = Lilv.lilv_world_get_all_plugins(world);
            Map = (LV2UridMap*)NativeMemory.AllocZeroed((nuint)sizeof(LV2UridMap));
            Map->Map = &MapUri;
            Unmap = (LV2UridUnmap*)NativeMemory.AllocZeroed((nuint)sizeof(LV2UridUnmap));
            Unmap->Unmap = &UnmapId;
        }

        if (bundle is { Length: > 0 })
        {
            var node = Lilv.lilv_new_uri(world, bundle);
            Lilv.lilv_world_load_bundle(world, node);
            Lilv.lilv_node_free(node);
            LoadedBundles.Add(bundle);
        }
        else
        {
            Lilv.lilv_world_load_all(world);
            everything = true;
        }
    }

    /// <summary>The features handed to instances, with the options this render's sample rate and block size give.</summary>
    public static void Configure(double sampleRate, int maxBlock)
    {
        var values = (int*)NativeMemory.Alloc(3 * sizeof(int));
        values[0] = 1;
        values[1] = maxBlock;
        values[2] = maxBlock;
        var rate = (float*)NativeMemory.Alloc(sizeof(float));
        *rate = (float)sampleRate;
        var (intType, floatType) = (Id(Atom + "Int"), Id(Atom + "Float"));
        options = (LV2OptionsOption*)NativeMemory.AllocZeroed((nuint)(5 * sizeof(LV2OptionsOption)));
        options[0] = new LV2OptionsOption { Key = Id(BufSize + "minBlockLength"), Size = 4, Type = intType, Value = &values[0] };
        options[1] = new LV2OptionsOption { Key = Id(BufSize + "maxBlockLength"), Size = 4, Type = intType, Value = &values[1] };
        options[2] = new LV2OptionsOption { Key = Id(BufSize + "nominalBlockLength"), Size = 4, Type = intType, Value = &values[2] };
        options[3] = new LV2OptionsOption { Key = Id("http://lv2plug.in/ns/lv2core#sampleRate"), Size = 4, Type = floatType, Value = rate };
        features = (LV2Feature**)NativeMemory.AllocZeroed((nuint)(6 * sizeof(nint)));
        features[0] = Feature(UridMapUri, Map);
        features[1] = Feature(UridUnmapUri, Unmap);
        features[2] = Feature(OptionsUri, options);
        features[3] = Feature(BoundedBlockUri, null);
        features[4] = Feature(ScheduleUri, Worker.Schedule);
    }

    /// <summary>The features a plugin requires that this host does not provide; empty when it can run.</summary>
    public static IReadOnlyList<string> MissingFeatures(nint plugin)
    {
        var required = Lilv.lilv_plugin_get_required_features(plugin);
        var missing = Lilv.Each(required).Select(Lilv.Text).Where(f => !Provided.Contains(f)).ToList();
        Lilv.lilv_nodes_free(required);
        return missing;
    }

    public static uint Id(string uri)
    {
        lock (Ids)
        {
            if (!Ids.TryGetValue(uri, out var id))
            {
                id = (uint)Names.Count;
                Ids[uri] = id;
                Names.Add(Marshal.StringToCoTaskMemUTF8(uri));
            }

            return id;
        }
    }

    public static nint Node(string uri) => Lilv.lilv_new_uri(World, uri);

    private static LV2Feature* Feature(string uri, void* data)
    {
        var feature = (LV2Feature*)NativeMemory.Alloc((nuint)sizeof(LV2Feature));
        feature->Uri = (byte*)Marshal.StringToCoTaskMemUTF8(uri);
        feature->Data = data;
        return feature;
    }

    [UnmanagedCallersOnly]
    private static uint MapUri(void* handle, byte* uri) => Id(Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(uri)));

    [UnmanagedCallersOnly]
    private static byte* UnmapId(void* handle, uint id)
    {
        lock (Ids)
        {
            return id > 0 && id < Names.Count ? (byte*)Names[(int)id] : null;
        }
    }
}
