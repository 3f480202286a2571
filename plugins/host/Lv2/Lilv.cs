using System.Runtime.InteropServices;

namespace Jacameno.Plugins.Host.Lv2;

// Declarations of the parts of lilv (Debian's liblilv-0-0) and of the LV2 structures this host uses, from their
// public headers' documentation. Lilv's world, plugin, port, node and state objects are opaque pointers.
#pragma warning disable SA1300 // the C names are kept so they can be looked up in lilv's documentation
internal static unsafe partial class Lilv
{
    private const string Library = "liblilv-0.so.0";

    [DllImport(Library)] public static extern nint lilv_world_new();

    [DllImport(Library)] public static extern void lilv_world_load_all(nint world);

    [DllImport(Library)] public static extern nint lilv_world_get_all_plugins(nint world);

    [DllImport(Library)] public static extern void lilv_world_load_specifications(nint world);

    [DllImport(Library)] public static extern void lilv_world_load_plugin_classes(nint world);

    [DllImport(Library)] public static extern void lilv_world_load_bundle(nint world, nint bundleUri);

    [DllImport(Library)] public static extern nint lilv_plugin_get_bundle_uri(nint plugin);

    [DllImport(Library)] public static extern int lilv_world_load_resource(nint world, nint resource);

    [DllImport(Library)] public static extern nint lilv_world_get(nint world, nint subject, nint predicate, nint obj);

    [DllImport(Library)] public static extern nint lilv_plugins_begin(nint plugins);

    [DllImport(Library)] public static extern nint lilv_plugins_next(nint plugins, nint iterator);

    [DllImport(Library)] [return: MarshalAs(UnmanagedType.U1)] public static extern bool lilv_plugins_is_end(nint plugins, nint iterator);

    [DllImport(Library)] public static extern nint lilv_plugins_get(nint plugins, nint iterator);

    [DllImport(Library)] public static extern nint lilv_plugins_get_by_uri(nint plugins, nint uri);

    [DllImport(Library)] public static extern nint lilv_new_uri(nint world, [MarshalAs(UnmanagedType.LPUTF8Str)] string uri);

    [DllImport(Library)] public static extern void lilv_node_free(nint node);

    [DllImport(Library)] public static extern nint lilv_node_as_string(nint node);

    [DllImport(Library)] public static extern nint lilv_node_as_uri(nint node);

    [DllImport(Library)] public static extern nint lilv_nodes_begin(nint nodes);

    [DllImport(Library)] public static extern nint lilv_nodes_next(nint nodes, nint iterator);

    [DllImport(Library)] [return: MarshalAs(UnmanagedType.U1)] public static extern bool lilv_nodes_is_end(nint nodes, nint iterator);

    [DllImport(Library)] public static extern nint lilv_nodes_get(nint nodes, nint iterator);

    [DllImport(Library)] public static extern void lilv_nodes_free(nint nodes);

    [DllImport(Library)] public static extern nint lilv_plugin_get_uri(nint plugin);

    [DllImport(Library)] public static extern nint lilv_plugin_get_name(nint plugin);

    [DllImport(Library)] public static extern nint lilv_plugin_get_author_name(nint plugin);

    [DllImport(Library)] public static extern nint lilv_plugin_get_class(nint plugin);

    [DllImport(Library)] public static extern nint lilv_plugin_class_get_label(nint pluginClass);

    [DllImport(Library)] public static extern uint lilv_plugin_get_num_ports(nint plugin);

    [DllImport(Library)] public static extern void lilv_plugin_get_port_ranges_float(nint plugin, float* min, float* max, float* def);

    [DllImport(Library)] public static extern nint lilv_plugin_get_port_by_index(nint plugin, uint index);

    [DllImport(Library)] public static extern nint lilv_plugin_get_required_features(nint plugin);

    [DllImport(Library)] public static extern nint lilv_plugin_get_related(nint plugin, nint type);

    [DllImport(Library)] [return: MarshalAs(UnmanagedType.U1)] public static extern bool lilv_port_is_a(nint plugin, nint port, nint portClass);

    [DllImport(Library)] [return: MarshalAs(UnmanagedType.U1)] public static extern bool lilv_port_has_property(nint plugin, nint port, nint property);

    [DllImport(Library)] public static extern nint lilv_port_get_symbol(nint plugin, nint port);

    [DllImport(Library)] public static extern nint lilv_port_get_name(nint plugin, nint port);

    [DllImport(Library)] public static extern nint lilv_port_get(nint plugin, nint port, nint predicate);

    [DllImport(Library)] public static extern LilvInstance* lilv_plugin_instantiate(nint plugin, double sampleRate, LV2Feature** features);

    [DllImport(Library)] public static extern void lilv_instance_free(LilvInstance* instance);

    [DllImport(Library)] public static extern nint lilv_state_new_from_world(nint world, LV2UridMap* map, nint subject);

    [DllImport(Library)] public static extern nint lilv_state_new_from_string(nint world, LV2UridMap* map, [MarshalAs(UnmanagedType.LPUTF8Str)] string text);

    [DllImport(Library)]
    public static extern nint lilv_state_new_from_instance(nint plugin, LilvInstance* instance, LV2UridMap* map, nint scratchDir, nint copyDir,
        nint linkDir, nint saveDir, delegate* unmanaged<byte*, void*, uint*, uint*, void*> getValue, void* userData, uint flags, LV2Feature** features);

    [DllImport(Library)]
    public static extern void lilv_state_restore(nint state, LilvInstance* instance, delegate* unmanaged<byte*, void*, void*, uint, uint, void> setValue,
        void* userData, uint flags, LV2Feature** features);

    [DllImport(Library)]
    public static extern nint lilv_state_to_string(nint world, LV2UridMap* map, LV2UridUnmap* unmap, nint state,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string uri, nint baseUri);

    [DllImport(Library)] public static extern void lilv_state_free(nint state);

    [DllImport(Library)] public static extern void lilv_free(nint pointer);

    public static string Text(nint node) => node == 0 ? "" : Marshal.PtrToStringUTF8(lilv_node_as_string(node)) ?? "";

    /// <summary>The string of a node the caller owns, freeing it.</summary>
    public static string TakeText(nint node)
    {
        var text = Text(node);
        if (node != 0)
        {
            lilv_node_free(node);
        }

        return text;
    }

    public static IEnumerable<nint> Each(nint nodes)
    {
        for (var i = lilv_nodes_begin(nodes); nodes != 0 && !lilv_nodes_is_end(nodes, i); i = lilv_nodes_next(nodes, i))
        {
            yield return lilv_nodes_get(nodes, i);
        }
    }
}
#pragma warning restore SA1300

/// <summary>lilv's instance: the plugin's descriptor and its handle (the first two fields of LilvInstance).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LilvInstance
{
    public LV2Descriptor* Descriptor;
    public void* Handle;
    public void* Private;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LV2Descriptor
{
    public byte* Uri;
    public void* Instantiate;
    public delegate* unmanaged<void*, uint, void*, void> ConnectPort;
    public delegate* unmanaged<void*, void> Activate;
    public delegate* unmanaged<void*, uint, void> Run;
    public delegate* unmanaged<void*, void> Deactivate;
    public void* Cleanup;
    public delegate* unmanaged<byte*, void*> ExtensionData;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LV2Feature
{
    public byte* Uri;
    public void* Data;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LV2UridMap
{
    public void* Handle;
    public delegate* unmanaged<void*, byte*, uint> Map;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LV2UridUnmap
{
    public void* Handle;
    public delegate* unmanaged<void*, uint, byte*> Unmap;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LV2OptionsOption
{
    public uint Context;
    public uint Subject;
    public uint Key;
    public uint Size;
    public uint Type;
    public void* Value;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LV2WorkerSchedule
{
    public void* Handle;
    public delegate* unmanaged<void*, uint, void*, int> ScheduleWork;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LV2WorkerInterface
{
    public delegate* unmanaged<void*, delegate* unmanaged<void*, uint, void*, int>, void*, uint, void*, int> Work;
    public delegate* unmanaged<void*, uint, void*, int> WorkResponse;
    public delegate* unmanaged<void*, int> EndRun;
}
