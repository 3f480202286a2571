using Jacameno.Audio.Rendering;

namespace Jacameno.Audio.Instruments;

/// <summary>
/// A built-in instrument: it plays its voices up to each MIDI event of the block, then takes the event (a note-on, or a
/// note-off: a note-on of velocity 0 is one too), then plays on to the block's end.
/// </summary>
public abstract class NoteInstrument : IInstrument
{
    public void Render(float[][] planar, int frames, ReadOnlySpan<MidiEvent> events)
    {
        var at = 0;
        foreach (var e in events)
        {
            var offset = Math.Clamp(e.Offset, at, frames);
            if (offset > at)
            {
                Play(planar, at, offset);
            }

            at = offset;
            var (kind, key, velocity) = (e.Status & 0xF0, e.Data1, e.Data2);
            if (kind == 0x90 && velocity > 0)
            {
                NoteOn(key, velocity);
            }
            else if (kind is 0x80 or 0x90)
            {
                NoteOff(key);
            }
        }

        if (frames > at)
        {
            Play(planar, at, frames);
        }
    }

    /// <summary>Adds frames [from, to) of what the voices sound to the block.</summary>
    protected abstract void Play(float[][] planar, int from, int to);

    protected abstract void NoteOn(int key, int velocity);

    protected abstract void NoteOff(int key);
}
