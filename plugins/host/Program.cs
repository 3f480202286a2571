using System.Runtime.InteropServices;
using System.Text.Json;
using Jacameno.Audio.Rendering;
using Jacameno.Plugins;
using Jacameno.Plugins.Host;
using Jacameno.Plugins.Host.Lv2;
using Jacameno.Plugins.Host.Vst2;
using Microsoft.Win32.SafeHandles;

// The plugin host: native plugins run here, never in a silo, so that a crash, a hang or a leak ends this process
// alone. Three modes:
//   list                      every plugin id found (VST2 files on VST_PATH, LV2 plugins on LV2_PATH), one per line
//   describe                  for each id read from stdin, one JSON line: {"id","info"} or {"id","error"}
//   serve                     the plugins of one render (or one plugin), driven by PluginWire commands on stdin
// Plugins may print; the protocol's stdout is moved to a private descriptor first and stdout points at stderr.
var protocol = TakeStdout();
try
{
    switch (args)
    {
        case ["list"]:
            using (var writer = new StreamWriter(protocol))
            {
                foreach (var id in PluginSearchPaths.Vst2Files().Select(f => PluginInfo.Vst2Prefix + f).Concat(Lv2Plugin.Installed()))
                {
                    writer.WriteLine(id);
                }
            }

            return 0;
        case ["describe"]:
            using (var writer = new StreamWriter(protocol) { AutoFlush = true })
            {
                while (Console.In.ReadLine() is { Length: > 0 } id)
                {
                    // The scanner reads the id before the plugin is touched: if the plugin takes the process down, it knows which.
                    writer.WriteLine(JsonSerializer.Serialize(new { started = id }, PluginWire.Json));
                    try
                    {
                        using var plugin = Load(id, 48_000, 512, 120);
                        writer.WriteLine(JsonSerializer.Serialize(new { id, info = plugin.Info }, PluginWire.Json));
                    }
                    catch (Exception e) when (e is PluginException or DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
                    {
                        var info = id.StartsWith(PluginInfo.Lv2Prefix, StringComparison.Ordinal) ? TryDescribeLv2(id) : null;
                        writer.WriteLine(info is not null
                            ? JsonSerializer.Serialize(new { id, info }, PluginWire.Json)
                            : JsonSerializer.Serialize(new { id, error = e.Message }, PluginWire.Json));
                    }
                }
            }

            return 0;
        case ["serve"]:
            Serve(protocol);
            return 0;
        default:
            Console.Error.WriteLine("usage: jacameno-plugin-host list | describe | serve");
            return 2;
    }
}
catch (EndOfStreamException)
{
    return 0; // the renderer went away
}

static IHostedPlugin Load(string id, double rate, int maxBlock, double tempo, string? bundle = null) =>
    id.StartsWith(PluginInfo.Vst2Prefix, StringComparison.Ordinal) ? Vst2Plugin.Load(id, rate, maxBlock, tempo)
    : id.StartsWith(PluginInfo.Lv2Prefix, StringComparison.Ordinal) ? Lv2Plugin.Load(id, rate, maxBlock, bundle)
    : throw new PluginException($"'{id}' is not a plugin id (vst2:<path> or lv2:<uri>).");

// An LV2 plugin that cannot run is still described (with the reason), so that the catalog can say why.
static PluginInfo? TryDescribeLv2(string id)
{
    try
    {
        return Lv2Plugin.Describe(id) is { Unsupported: not null } info ? info : null;
    }
    catch (PluginException)
    {
        return null;
    }
}

static void Serve(Stream protocol)
{
    // Buffered both ways: one read per command and one write per answer (the renderer flushes each command whole).
    using var reader = new BinaryReader(new BufferedStream(Console.OpenStandardInput(), 4096));
    using var writer = new BinaryWriter(new BufferedStream(protocol, 4096));
    var instances = new Dictionary<int, HostedInstance>();
    var events = new List<MidiEvent>();
    try
    {
        while (true)
        {
            var op = (PluginOp)reader.ReadByte();
            if (op == PluginOp.Quit)
            {
                writer.Write(PluginWire.Ok);
                writer.Flush();
                return;
            }

            var slot = reader.ReadInt32();
            try
            {
                switch (op)
                {
                    case PluginOp.Load:
                        var (id, rate, tempo, bundle, shared, maxBlock) = (reader.ReadString(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadString(), reader.ReadString(), reader.ReadInt32());
                        if (instances.ContainsKey(slot) || maxBlock is <= 0 or > 65536)
                        {
                            throw new PluginException($"Cannot load into slot {slot} with blocks of {maxBlock} frames.");
                        }

                        var loaded = HostedInstance.Load(Load(id, rate, maxBlock, tempo, bundle), shared, maxBlock);
                        instances[slot] = loaded;
                        writer.Write(PluginWire.Ok);
                        writer.Write(JsonSerializer.Serialize(loaded.Plugin.Info, PluginWire.Json));
                        writer.Write(loaded.Plugin.Latency);
                        break;
                    case PluginOp.Set:
                        var count = reader.ReadInt32();
                        var values = Enumerable.Range(0, count).Select(_ => (Id: reader.ReadString(), Value: reader.ReadDouble())).ToList();
                        foreach (var (name, value) in values)
                        {
                            Loaded(instances, slot).Plugin.Set(name, value);
                        }

                        writer.Write(PluginWire.Ok);
                        break;
                    case PluginOp.Process:
                        var frames = reader.ReadInt32();
                        events.Clear();
                        for (var i = reader.ReadInt32(); i > 0; i--)
                        {
                            events.Add(new MidiEvent(reader.ReadInt32(), reader.ReadByte(), reader.ReadByte(), reader.ReadByte()));
                        }

                        Loaded(instances, slot).Process(frames, CollectionsMarshal.AsSpan(events));
                        writer.Write(PluginWire.Ok);
                        break;
                    case PluginOp.GetState:
                        var state = Loaded(instances, slot).Plugin.SaveState();
                        writer.Write(PluginWire.Ok);
                        writer.Write(state.Length);
                        writer.Write(state);
                        break;
                    case PluginOp.SetState:
                        Loaded(instances, slot).Plugin.RestoreState(reader.ReadBytes(reader.ReadInt32()));
                        writer.Write(PluginWire.Ok);
                        break;
                    case PluginOp.LoadPreset:
                        Loaded(instances, slot).Plugin.LoadPreset(reader.ReadString());
                        writer.Write(PluginWire.Ok);
                        break;
                    case PluginOp.GetParameters:
                        var current = Loaded(instances, slot).Plugin.Parameters().ToList();
                        writer.Write(PluginWire.Ok);
                        writer.Write(current.Count);
                        foreach (var (name, value) in current)
                        {
                            writer.Write(name);
                            writer.Write(value);
                        }

                        break;
                    case PluginOp.Unload:
                        Loaded(instances, slot).Dispose();
                        instances.Remove(slot);
                        writer.Write(PluginWire.Ok);
                        break;
                    default:
                        throw new PluginException($"Unknown command {(int)op}.");
                }
            }
            catch (Exception e) when (e is PluginException or DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
            {
                writer.Write(PluginWire.Failed);
                writer.Write(e.Message);
            }

            writer.Flush();
        }
    }
    finally
    {
        foreach (var instance in instances.Values)
        {
            instance.Dispose();
        }
    }
}

static HostedInstance Loaded(Dictionary<int, HostedInstance> instances, int slot) =>
    instances.TryGetValue(slot, out var instance) ? instance : throw new PluginException($"No plugin is loaded in slot {slot}.");

static Stream TakeStdout()
{
    var fd = Native.dup(1);
    Native.dup2(2, 1);
    return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, 1);
}

internal static partial class Native
{
    [LibraryImport("libc", SetLastError = true)]
    internal static partial int dup(int fd);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int dup2(int from, int to);
}
