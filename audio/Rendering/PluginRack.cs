using Jacameno.Audio.Effects;

namespace Jacameno.Audio.Rendering;

/// <summary>A MIDI message for an instrument, <see cref="Offset"/> frames into the block it is played in.</summary>
public readonly record struct MidiEvent(int Offset, byte Status, byte Data1, byte Data2);

/// <summary>An instrument: adds what it plays this block, given the block's MIDI, to the track's buffer.</summary>
public interface IInstrument
{
    void Render(float[][] planar, int frames, ReadOnlySpan<MidiEvent> events);
}

/// <summary>
/// Where a render gets the effects and instruments that are not built in (hosted plugins, "vst2:…" and "lv2:…").
/// A plugin the rack cannot provide comes back null: the renderer bypasses it, and the rack says so in its report.
/// </summary>
public interface IPluginRack
{
    IEffect? CreateEffect(RenderEffect effect, EffectContext context);

    IInstrument? CreateInstrument(RenderEffect instrument, EffectContext context);
}
