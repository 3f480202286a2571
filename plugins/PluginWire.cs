using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Jacameno.Plugins;

/// <summary>
/// The conversation between a renderer and its plugin host process. Commands go to the host's standard input and
/// answers come back on its standard output, both as <see cref="BinaryWriter"/> frames: an op byte, then its fields.
/// A host holds several plugin instances (a render's). Audio does not travel in the pipe: for each instance both
/// sides map a shared-memory file (<see cref="SharedBlockLayout"/>) and the plugin reads and writes it in place; the
/// pipe carries only "process n frames" and the MIDI of the block.
/// Every answer starts with <see cref="Ok"/> or <see cref="Failed"/> (followed by the reason).
/// </summary>
public static class PluginWire
{
    public const byte Ok = 0;
    public const byte Failed = 1;

    /// <summary>
    /// Web-style JSON; a plugin's description is serialized by generated code (a host answers its first command
    /// sooner without reflection), anything else by reflection.
    /// </summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(PluginJson.Default, new DefaultJsonTypeInfoResolver()),
    };
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PluginInfo))]
internal sealed partial class PluginJson : JsonSerializerContext;

/// <summary>
/// A host's commands. Every one but <see cref="Quit"/> names the instance it is for (an int the renderer chose in
/// <see cref="Load"/>) right after the op byte; the fields listed follow.
/// </summary>
public enum PluginOp : byte
{
    /// <summary>id, sample rate, tempo, LV2 bundle (or ""), shared block file, max block → info JSON, latency in frames.</summary>
    Load = 1,

    /// <summary>count, (parameter id, value)… → ok.</summary>
    Set = 2,

    /// <summary>frames, event count, (offset, status, data1, data2)… → ok; audio in the instance's shared block.</summary>
    Process = 3,

    /// <summary>→ state bytes.</summary>
    GetState = 4,

    /// <summary>state bytes → ok.</summary>
    SetState = 5,

    /// <summary>preset id → ok.</summary>
    LoadPreset = 6,

    /// <summary>→ current parameter values (count, (id, value)…).</summary>
    GetParameters = 7,

    /// <summary>→ ok; the instance is freed.</summary>
    Unload = 8,

    Quit = 9,
}

/// <summary>Where each channel lives in the shared block: two inputs, then two outputs, each <c>maxBlock</c> floats.</summary>
public static class SharedBlockLayout
{
    public const int Channels = 2;

    public static long Size(int maxBlock) => 2L * Channels * maxBlock * sizeof(float);

    public static long InputOffset(int channel, int maxBlock) => (long)channel * maxBlock * sizeof(float);

    public static long OutputOffset(int channel, int maxBlock) => (long)(Channels + channel) * maxBlock * sizeof(float);
}

/// <summary>A plugin failed: it crashed, hung, used too much memory, or refused what it was asked. The message names it.</summary>
public sealed class PluginException(string message) : Exception(message);
