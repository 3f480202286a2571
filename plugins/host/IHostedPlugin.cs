using Jacameno.Audio.Rendering;

namespace Jacameno.Plugins.Host;

/// <summary>A loaded plugin instance, whatever its format, as the host's commands use it.</summary>
internal interface IHostedPlugin : IDisposable
{
    PluginInfo Info { get; }

    /// <summary>Frames the plugin delays its output by (reported so the renderer could compensate).</summary>
    int Latency { get; }

    /// <summary>Sets a parameter in the plugin's own range; unknown ids and values out of range are refused.</summary>
    void Set(string id, double value);

    IEnumerable<(string Id, double Value)> Parameters();

    /// <summary>
    /// Runs one block: the first <see cref="PluginInfo.AudioInputs"/> (at most two) input pointers are read, the
    /// outputs written; <paramref name="events"/> are the block's MIDI for instruments.
    /// </summary>
    unsafe void Process(float*[] inputs, float*[] outputs, int frames, ReadOnlySpan<MidiEvent> events);

    byte[] SaveState();

    void RestoreState(byte[] state);

    void LoadPreset(string id);
}
