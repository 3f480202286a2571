using System.Runtime.InteropServices;
using System.Text;
using Jacameno.Audio.Rendering;

namespace Jacameno.Plugins.Host.Lv2;

/// <summary>
/// An LV2 plugin instantiated through lilv. Every port is connected: audio to the shared block (the first two
/// inputs and outputs; further ones to silence and scratch), control inputs to values the parameters set, control
/// outputs to scratch, atom inputs to a sequence that carries the block's MIDI, atom outputs to a buffer, CV ports
/// to silence and scratch. State is lilv's Turtle text (control values and the plugin's own state extension).
/// </summary>
internal sealed unsafe class Lv2Plugin : IHostedPlugin
{
    private const int AtomCapacity = 16 * 1024;
    private const string StateUri = "urn:jacameno:plugin-state";

    private readonly nint plugin;
    private readonly LilvInstance* instance;
    private readonly float* controls;
    private readonly Dictionary<string, int> controlBySymbol = [];
    private readonly List<uint> audioInputs = [], audioOutputs = [];
    private readonly List<nint> atomInputs = [], atomOutputs = [];
    private readonly float* silence, scratch;
    private readonly int latencyPort = -1;
    private readonly uint sequenceType, chunkType, midiType;
    private readonly LV2WorkerInterface* workerInterface;

    private Lv2Plugin(nint plugin, PluginInfo info, double rate, int maxBlock)
    {
        this.plugin = plugin;
        Info = info;
        Lv2World.Configure(rate, maxBlock);
        instance = Lilv.lilv_plugin_instantiate(plugin, rate, Lv2World.Features);
        if (instance is null)
        {
            throw new PluginException($"{info.Name} failed to start (instantiate returned nothing).");
        }

        (sequenceType, chunkType, midiType) = (Lv2World.Id(Lv2World.Atom + "Sequence"), Lv2World.Id(Lv2World.Atom + "Chunk"),
            Lv2World.Id("http://lv2plug.in/ns/ext/midi#MidiEvent"));
        var count = Lilv.lilv_plugin_get_num_ports(plugin);
        controls = (float*)NativeMemory.AllocZeroed(count * sizeof(float));
        silence = (float*)NativeMemory.AllocZeroed((nuint)(maxBlock * sizeof(float)));
        scratch = (float*)NativeMemory.AllocZeroed((nuint)(maxBlock * sizeof(float)));
        var defaults = stackalloc float[(int)count];
        Lilv.lilv_plugin_get_port_ranges_float(plugin, null, null, defaults);
        var kinds = PortKinds.Create();
        for (var index = 0u; index < count; index++)
        {
            var port = Lilv.lilv_plugin_get_port_by_index(plugin, index);
            var input = Lilv.lilv_port_is_a(plugin, port, kinds.Input);
            if (Lilv.lilv_port_is_a(plugin, port, kinds.Audio))
            {
                (input ? audioInputs : audioOutputs).Add(index);
            }
            else if (Lilv.lilv_port_is_a(plugin, port, kinds.Control))
            {
                controls[index] = float.IsNaN(defaults[index]) ? 0 : defaults[index];
                Connect(index, &controls[index]);
                if (input)
                {
                    controlBySymbol[Lilv.Text(Lilv.lilv_port_get_symbol(plugin, port))] = (int)index;
                }
                else if (Lilv.lilv_port_has_property(plugin, port, kinds.ReportsLatency)
                    || Lilv.TakeText(Lilv.lilv_port_get(plugin, port, kinds.Designation)) == Lv2World.Lv2 + "latency")
                {
                    latencyPort = (int)index;
                }
            }
            else if (Lilv.lilv_port_is_a(plugin, port, kinds.Atom))
            {
                var buffer = (nint)NativeMemory.AllocZeroed(AtomCapacity);
                (input ? atomInputs : atomOutputs).Add(buffer);
                Connect(index, (void*)buffer);
            }
            else
            {
                Connect(index, input ? silence : scratch); // CV
            }
        }

        kinds.Dispose();
        workerInterface = Lv2Worker.Interface(instance);
        Lv2Worker.Attach(instance, workerInterface);
        if (instance->Descriptor->Activate is not null)
        {
            instance->Descriptor->Activate(instance->Handle);
        }
    }

    public PluginInfo Info { get; }

    public int Latency => latencyPort >= 0 ? (int)controls[latencyPort] : 0;

    public static Lv2Plugin Load(string id, double rate, int maxBlock, string? bundle = null)
    {
        Lv2World.Load(bundle);
        var plugin = Find(id);
        var info = Describe(id, plugin);
        if (info.Unsupported is { } reason)
        {
            throw new PluginException($"{info.Name} cannot run here: {reason}");
        }

        var loaded = new Lv2Plugin(plugin, info, rate, maxBlock);
        // Plugins that keep a default state (state:loadDefaultState) start from it, as in other hosts.
        var defaultState = Lilv.lilv_state_new_from_world(Lv2World.World, Lv2World.Map, Lilv.lilv_plugin_get_uri(plugin));
        if (defaultState != 0)
        {
            loaded.Restore(defaultState);
        }

        return loaded;
    }

    /// <summary>Every LV2 plugin lilv finds, by id.</summary>
    public static IEnumerable<string> Installed()
    {
        Lv2World.Load();
        var plugins = Lv2World.Plugins;
        for (var i = Lilv.lilv_plugins_begin(plugins); !Lilv.lilv_plugins_is_end(plugins, i); i = Lilv.lilv_plugins_next(plugins, i))
        {
            yield return PluginInfo.Lv2Prefix + Lilv.Text(Lilv.lilv_plugin_get_uri(Lilv.lilv_plugins_get(plugins, i)));
        }
    }

    public static PluginInfo Describe(string id)
    {
        Lv2World.Load();
        return Describe(id, Find(id));
    }

    private static nint Find(string id)
    {
        var uri = Lv2World.Node(id[PluginInfo.Lv2Prefix.Length..]);
        var plugin = Lilv.lilv_plugins_get_by_uri(Lv2World.Plugins, uri);
        Lilv.lilv_node_free(uri);
        return plugin != 0 ? plugin : throw new PluginException($"No LV2 plugin '{id[PluginInfo.Lv2Prefix.Length..]}' is installed.");
    }

    public void Set(string id, double value)
    {
        if (!controlBySymbol.TryGetValue(id, out var index))
        {
            throw new PluginException($"{Info.Name} has no parameter '{id}'.");
        }

        var spec = Info.Parameters.First(p => p.Id == id);
        if (!double.IsFinite(value) || value < spec.Min || value > spec.Max)
        {
            throw new PluginException($"{Info.Name}: {id} ({spec.Name}) takes a value between {spec.Min:G6} and {spec.Max:G6}{(spec.Unit.Length > 0 ? " " + spec.Unit : "")}.");
        }

        controls[index] = (float)value;
    }

    public IEnumerable<(string Id, double Value)> Parameters() => controlBySymbol.Select(kv => (kv.Key, (double)controls[kv.Value]));

    public void Process(float*[] inputs, float*[] outputs, int frames, ReadOnlySpan<MidiEvent> events)
    {
        for (var i = 0; i < audioInputs.Count; i++)
        {
            Connect(audioInputs[i], i < inputs.Length ? inputs[i] : silence);
        }

        for (var i = 0; i < audioOutputs.Count; i++)
        {
            Connect(audioOutputs[i], i < outputs.Length ? outputs[i] : scratch);
        }

        foreach (var buffer in atomInputs)
        {
            WriteSequence((byte*)buffer, events);
        }

        foreach (var buffer in atomOutputs)
        {
            // An empty chunk as big as the buffer: the plugin may write a sequence up to that size.
            ((uint*)buffer)[0] = AtomCapacity - 8;
            ((uint*)buffer)[1] = chunkType;
        }

        Lv2Worker.Attach(instance, workerInterface);
        instance->Descriptor->Run(instance->Handle, (uint)frames);
        Lv2Worker.Deliver();
    }

    public byte[] SaveState()
    {
        var handle = GCHandle.Alloc(this);
        var state = Lilv.lilv_state_new_from_instance(plugin, instance, Lv2World.Map, 0, 0, 0, 0, &GetPortValue,
            GCHandle.ToIntPtr(handle).ToPointer(), 0, Lv2World.Features);
        handle.Free();
        if (state == 0)
        {
            throw new PluginException($"{Info.Name} could not save its state.");
        }

        var text = Lilv.lilv_state_to_string(Lv2World.World, Lv2World.Map, Lv2World.Unmap, state, StateUri, 0);
        Lilv.lilv_state_free(state);
        var bytes = Encoding.UTF8.GetBytes(Marshal.PtrToStringUTF8(text) ?? "");
        Lilv.lilv_free(text);
        return bytes;
    }

    public void RestoreState(byte[] state)
    {
        var parsed = Lilv.lilv_state_new_from_string(Lv2World.World, Lv2World.Map, Encoding.UTF8.GetString(state));
        if (parsed == 0)
        {
            throw new PluginException($"{Info.Name}: the saved state could not be read.");
        }

        Restore(parsed);
    }

    public void LoadPreset(string id)
    {
        if (Info.Presets.All(p => p.Id != id))
        {
            throw new PluginException($"{Info.Name} has no preset '{id}'.");
        }

        var node = Lv2World.Node(id);
        Lilv.lilv_world_load_resource(Lv2World.World, node);
        var state = Lilv.lilv_state_new_from_world(Lv2World.World, Lv2World.Map, node);
        Lilv.lilv_node_free(node);
        if (state == 0)
        {
            throw new PluginException($"{Info.Name}: preset '{id}' could not be read.");
        }

        Restore(state);
    }

    public void Dispose()
    {
        if (instance->Descriptor->Deactivate is not null)
        {
            instance->Descriptor->Deactivate(instance->Handle);
        }

        Lilv.lilv_instance_free(instance);
    }

    private static PluginInfo Describe(string id, nint plugin)
    {
        var kinds = PortKinds.Create();
        try
        {
            var count = Lilv.lilv_plugin_get_num_ports(plugin);
            var (min, max, def) = (new float[count], new float[count], new float[count]);
            fixed (float* pMin = min, pMax = max, pDef = def)
            {
                Lilv.lilv_plugin_get_port_ranges_float(plugin, pMin, pMax, pDef);
            }

            var parameters = new List<PluginParameter>();
            var (inputs, outputs, midiIn) = (0, 0, false);
            var unsupported = new List<string>();
            for (var index = 0u; index < count; index++)
            {
                var port = Lilv.lilv_plugin_get_port_by_index(plugin, index);
                var input = Lilv.lilv_port_is_a(plugin, port, kinds.Input);
                var symbol = Lilv.Text(Lilv.lilv_port_get_symbol(plugin, port));
                if (Lilv.lilv_port_is_a(plugin, port, kinds.Audio))
                {
                    _ = input ? inputs++ : outputs++;
                }
                else if (Lilv.lilv_port_is_a(plugin, port, kinds.Control))
                {
                    if (input)
                    {
                        var (low, high) = (float.IsNaN(min[index]) ? 0 : min[index], float.IsNaN(max[index]) ? 1 : max[index]);
                        var value = float.IsNaN(def[index]) ? low : Math.Clamp(def[index], Math.Min(low, high), Math.Max(low, high));
                        parameters.Add(new PluginParameter(symbol, Lilv.TakeText(Lilv.lilv_port_get_name(plugin, port)), Math.Min(low, high), Math.Max(low, high),
                            value, Unit(plugin, port, kinds), Lilv.lilv_port_has_property(plugin, port, kinds.Toggled),
                            Lilv.lilv_port_has_property(plugin, port, kinds.Integer)));
                    }
                }
                else if (Lilv.lilv_port_is_a(plugin, port, kinds.Atom))
                {
                    // Not every instrument declares atom:supports midi:MidiEvent (Calf's do not): any event input counts.
                    midiIn |= input;
                }
                else if (!Lilv.lilv_port_is_a(plugin, port, kinds.Cv) && !Lilv.lilv_port_has_property(plugin, port, kinds.ConnectionOptional))
                {
                    unsupported.Add($"port '{symbol}' is of a kind this host does not connect (only audio, control, CV and atom ports)");
                }
            }

            var missing = Lv2World.MissingFeatures(plugin);
            if (missing.Count > 0)
            {
                unsupported.Insert(0, $"it requires {string.Join(", ", missing)}, which this host does not provide");
            }

            var category = Lilv.Text(Lilv.lilv_plugin_class_get_label(Lilv.lilv_plugin_get_class(plugin)));
            var isInstrument = category == "Instrument" || (inputs == 0 && midiIn && outputs > 0);
            var presets = new List<PluginPreset>();
            var related = Lilv.lilv_plugin_get_related(plugin, kinds.Preset);
            foreach (var preset in Lilv.Each(related))
            {
                Lilv.lilv_world_load_resource(Lv2World.World, preset);
                var label = Lilv.TakeText(Lilv.lilv_world_get(Lv2World.World, preset, kinds.Label, 0));
                var presetUri = Lilv.Text(preset);
                presets.Add(new PluginPreset(presetUri, label.Length > 0 ? label : presetUri));
            }

            Lilv.lilv_nodes_free(related);
            return new PluginInfo(id, Lilv.TakeText(Lilv.lilv_plugin_get_name(plugin)), Lilv.TakeText(Lilv.lilv_plugin_get_author_name(plugin)),
                isInstrument ? "Instrument" : category is "" or "Plugin" ? "Effect" : category, isInstrument, inputs, outputs, parameters,
                [.. presets.OrderBy(p => p.Name, StringComparer.Ordinal)], unsupported.Count > 0 ? string.Join("; ", unsupported) + "." : null,
                Lilv.Text(Lilv.lilv_plugin_get_bundle_uri(plugin)));
        }
        finally
        {
            kinds.Dispose();
        }
    }

    // The unit's symbol where the port names one of LV2's units (units:db, units:hz…), else nothing.
    private static string Unit(nint plugin, nint port, PortKinds kinds)
    {
        var unit = Lilv.TakeText(Lilv.lilv_port_get(plugin, port, kinds.Unit));
        return unit.Contains('#') ? unit[(unit.IndexOf('#') + 1)..] switch
        {
            "db" => "dB",
            "hz" => "Hz",
            "khz" => "kHz",
            "ms" => "ms",
            "s" => "s",
            "pc" => "%",
            "bpm" => "BPM",
            "semitone12TET" => "semitones",
            "cent" => "cents",
            "midiNote" => "note",
            "frame" => "frames",
            var other => other,
        } : "";
    }

    [UnmanagedCallersOnly]
    private static void* GetPortValue(byte* symbol, void* user, uint* size, uint* type)
    {
        var self = (Lv2Plugin)GCHandle.FromIntPtr((nint)user).Target!;
        var name = Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(symbol));
        if (!self.controlBySymbol.TryGetValue(name, out var index))
        {
            *size = 0;
            *type = 0;
            return null;
        }

        *size = sizeof(float);
        *type = Lv2World.Id(Lv2World.Atom + "Float");
        return &self.controls[index];
    }

    [UnmanagedCallersOnly]
    private static void SetPortValue(byte* symbol, void* user, void* value, uint size, uint type)
    {
        var self = (Lv2Plugin)GCHandle.FromIntPtr((nint)user).Target!;
        var name = Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(symbol));
        if (self.controlBySymbol.TryGetValue(name, out var index))
        {
            self.controls[index] = type == Lv2World.Id(Lv2World.Atom + "Double") ? (float)*(double*)value
                : type == Lv2World.Id(Lv2World.Atom + "Int") ? *(int*)value
                : *(float*)value;
        }
    }

    private void Restore(nint state)
    {
        var handle = GCHandle.Alloc(this);
        try
        {
            Lv2Worker.Attach(instance, workerInterface);
            Lilv.lilv_state_restore(state, instance, &SetPortValue, GCHandle.ToIntPtr(handle).ToPointer(), 0, Lv2World.Features);
            Lv2Worker.Deliver(endRun: false);
        }
        finally
        {
            handle.Free();
            Lilv.lilv_state_free(state);
        }
    }

    private void Connect(uint port, void* data) => instance->Descriptor->ConnectPort(instance->Handle, port, data);

    // An atom sequence of the block's MIDI events (frames, size 3, midi:MidiEvent, padded to 8 bytes).
    private void WriteSequence(byte* buffer, ReadOnlySpan<MidiEvent> events)
    {
        var at = 16;
        foreach (var e in events)
        {
            if (at + 24 > AtomCapacity)
            {
                break;
            }

            *(long*)(buffer + at) = e.Offset;
            *(uint*)(buffer + at + 8) = 3;
            *(uint*)(buffer + at + 12) = midiType;
            buffer[at + 16] = e.Status;
            buffer[at + 17] = e.Data1;
            buffer[at + 18] = e.Data2;
            at += 24;
        }

        ((uint*)buffer)[0] = (uint)(at - 8);
        ((uint*)buffer)[1] = sequenceType;
        ((uint*)buffer)[2] = 0;
        ((uint*)buffer)[3] = 0;
    }

    /// <summary>The class and property nodes port checks need, made once per use and freed after.</summary>
    private sealed class PortKinds : IDisposable
    {
        public nint Input { get; private init; }

        public nint Audio { get; private init; }

        public nint Control { get; private init; }

        public nint Atom { get; private init; }

        public nint Cv { get; private init; }

        public nint ReportsLatency { get; private init; }

        public nint Designation { get; private init; }

        public nint ConnectionOptional { get; private init; }

        public nint Toggled { get; private init; }

        public nint Integer { get; private init; }

        public nint Unit { get; private init; }

        public nint Preset { get; private init; }

        public nint Label { get; private init; }

        public static PortKinds Create() => new()
        {
            Input = Lv2World.Node(Lv2World.Lv2 + "InputPort"),
            Audio = Lv2World.Node(Lv2World.Lv2 + "AudioPort"),
            Control = Lv2World.Node(Lv2World.Lv2 + "ControlPort"),
            Atom = Lv2World.Node(Lv2World.Atom + "AtomPort"),
            Cv = Lv2World.Node(Lv2World.Lv2 + "CVPort"),
            ReportsLatency = Lv2World.Node(Lv2World.Lv2 + "reportsLatency"),
            Designation = Lv2World.Node(Lv2World.Lv2 + "designation"),
            ConnectionOptional = Lv2World.Node(Lv2World.Lv2 + "connectionOptional"),
            Toggled = Lv2World.Node(Lv2World.Lv2 + "toggled"),
            Integer = Lv2World.Node(Lv2World.Lv2 + "integer"),
            Unit = Lv2World.Node("http://lv2plug.in/ns/extensions/units#unit"),
            Preset = Lv2World.Node("http://lv2plug.in/ns/ext/presets#Preset"),
            Label = Lv2World.Node("http://www.w3.org/2000/01/rdf-schema#label"),
        };

        public void Dispose()
        {
            foreach (var node in new[] { Input, Audio, Control, Atom, Cv, ReportsLatency, Designation, ConnectionOptional, Toggled, Integer, Unit, Preset, Label })
            {
                Lilv.lilv_node_free(node);
            }
        }
    }
}
