using System.Runtime.InteropServices;
using Jacameno.Audio.Effects;
using Jacameno.Audio.Rendering;

namespace Jacameno.Audio.Instruments;

/// <summary>
/// The <c>soundfont</c> instrument: a preset (bank, program) of an installed SoundFont played by FluidSynth
/// (libfluidsynth3), one synth per track and render, its reverb and chorus off (the chain has its own), on MIDI
/// channel 1. FluidSynth renders in blocks of 64 frames and applies a note at the start of its next block, so a note
/// sounds from the first multiple of 64 frames (of the render) at or after its start: at most 1.3 ms late at 48 kHz.
/// The studio's SoundFont player starts notes on the same boundaries.
/// </summary>
public sealed partial class SoundFontSynth : NoteInstrument, IDisposable
{
    /// <summary>FluidSynth's block, in frames (FLUID_BUFSIZE).</summary>
    public const int BlockFrames = 64;

    private const string Library = "libfluidsynth.so.3";
    private nint settings, synth;

    // What the synth writes before it is added to the block: kept, as a render calls Play for every block and note.
    private float[] left = [], right = [];

    private SoundFontSynth(nint settings, nint synth) => (this.settings, this.synth) = (settings, synth);

    /// <summary>The synth for a spec whose <see cref="RenderEffect.SoundFont"/> is a file's path, or null when FluidSynth or the file cannot be had.</summary>
    public static SoundFontSynth? Create(RenderEffect spec, int rate)
    {
        if (spec.SoundFont is not { } path || !File.Exists(path))
        {
            return null;
        }

        var p = EffectCatalog.Validate(spec.Type, spec.Parameters);
        nint settings;
        try
        {
            Quiet();
            settings = NewSettings();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        SetNumber(settings, "synth.sample-rate", rate);
        SetNumber(settings, "synth.gain", Math.Pow(10, p["gainDb"] / 20));
        SetInt(settings, "synth.reverb.active", 0);
        SetInt(settings, "synth.chorus.active", 0);
        SetInt(settings, "synth.polyphony", 256);
        SetInt(settings, "synth.cpu-cores", 1);
        var synth = NewSynth(settings);
        var instrument = new SoundFontSynth(settings, synth);
        var font = LoadFont(synth, path, 1);
        if (synth == 0 || font < 0 || SelectProgram(synth, 0, font, (int)p["bank"], (int)p["program"]) != 0)
        {
            instrument.Dispose();
            return null;
        }

        return instrument;
    }

    protected override void NoteOn(int key, int velocity) => FluidNoteOn(synth, 0, key, velocity);

    protected override void NoteOff(int key) => FluidNoteOff(synth, 0, key);

    /// <summary>Adds frames [from, to) of the synth's output to the block (the renderer cleared it; the instrument comes first).</summary>
    protected override unsafe void Play(float[][] planar, int from, int to)
    {
        var count = to - from;
        if (left.Length < count)
        {
            (left, right) = (new float[count], new float[count]);
        }

        fixed (float* l = left, r = right)
        {
            _ = WriteFloat(synth, count, l, 0, 1, r, 0, 1);
        }

        for (var i = 0; i < count; i++)
        {
            planar[0][from + i] += left[i];
            planar[1][from + i] += right[i];
        }
    }

    public void Dispose()
    {
        if (synth != 0)
        {
            DeleteSynth(synth);
            synth = 0;
        }

        if (settings != 0)
        {
            DeleteSettings(settings);
            settings = 0;
        }
    }

    // FluidSynth logs to stderr by default; a render has nothing to tell there (a missing preset reads as silence).
    private static void Quiet()
    {
        for (var level = 0; level <= 4; level++)
        {
            SetLogFunction(level, 0, 0);
        }
    }

    [LibraryImport(Library, EntryPoint = "new_fluid_settings")]
    private static partial nint NewSettings();

    [LibraryImport(Library, EntryPoint = "delete_fluid_settings")]
    private static partial void DeleteSettings(nint settings);

    [LibraryImport(Library, EntryPoint = "fluid_settings_setnum", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetNumber(nint settings, string name, double value);

    [LibraryImport(Library, EntryPoint = "fluid_settings_setint", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetInt(nint settings, string name, int value);

    [LibraryImport(Library, EntryPoint = "fluid_set_log_function")]
    private static partial nint SetLogFunction(int level, nint function, nint data);

    [LibraryImport(Library, EntryPoint = "new_fluid_synth")]
    private static partial nint NewSynth(nint settings);

    [LibraryImport(Library, EntryPoint = "delete_fluid_synth")]
    private static partial void DeleteSynth(nint synth);

    [LibraryImport(Library, EntryPoint = "fluid_synth_sfload", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LoadFont(nint synth, string path, int resetPresets);

    [LibraryImport(Library, EntryPoint = "fluid_synth_program_select")]
    private static partial int SelectProgram(nint synth, int channel, int font, int bank, int program);

    [LibraryImport(Library, EntryPoint = "fluid_synth_noteon")]
    private static partial int FluidNoteOn(nint synth, int channel, int key, int velocity);

    [LibraryImport(Library, EntryPoint = "fluid_synth_noteoff")]
    private static partial int FluidNoteOff(nint synth, int channel, int key);

    [LibraryImport(Library, EntryPoint = "fluid_synth_write_float")]
    private static unsafe partial int WriteFloat(nint synth, int frames, float* left, int leftOffset, int leftStride, float* right, int rightOffset, int rightStride);
}
