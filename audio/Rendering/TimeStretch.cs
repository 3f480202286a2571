using System.Runtime.InteropServices;

namespace Jacameno.Audio.Rendering;

/// <summary>
/// Time-stretching and pitch-shifting with the Rubber Band library (Debian's <c>librubberband2</c>), offline: it
/// studies the whole input before processing, so the output is exactly as long as asked and transients stay sharp.
/// One thread, the library's faster engine (R2), channels processed together so the stereo image holds.
/// </summary>
public static unsafe partial class TimeStretch
{
    private const string Library = "librubberband.so.2";

    // Option bits from rubberband-c.h: offline is 0; no worker threads; stereo kept together; formants kept when pitch moves.
    private const int OptionThreadingNever = 0x00010000, OptionFormantPreserved = 0x01000000, OptionChannelsTogether = 0x10000000, OptionEngineFiner = 0x20000000;
    private const int Chunk = 16384;

    /// <summary>The pitch factor of a transposition in semitones (cents as hundredths).</summary>
    public static double PitchScale(double semitones) => Math.Pow(2, semitones / 12);

    /// <param name="input">Planar audio, every channel the same length.</param>
    /// <param name="sampleRate">The input's rate (the output's too).</param>
    /// <param name="timeRatio">Output length over input length (2: twice as long, half the tempo), 0.05 to 20.</param>
    /// <param name="semitones">Transposition; 12 is an octave up.</param>
    /// <param name="preserveFormants">Keep a voice's formants where they were when the pitch moves (no chipmunk).</param>
    public static float[][] Process(float[][] input, int sampleRate, double timeRatio, double semitones, bool preserveFormants)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeRatio, 0.05);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(timeRatio, 20);
        var (channels, frames) = (input.Length, input[0].Length);
        var outputLength = (int)Math.Round(frames * timeRatio);
        var output = Enumerable.Range(0, channels).Select(_ => new float[outputLength]).ToArray();
        if (frames == 0)
        {
            return output;
        }

        var options = OptionThreadingNever | OptionChannelsTogether | (preserveFormants ? OptionFormantPreserved | OptionEngineFiner : 0);
        var state = New((uint)sampleRate, (uint)channels, options, timeRatio, PitchScale(semitones));
        if (state == 0)
        {
            throw new InvalidOperationException("Rubber Band could not start a stretcher.");
        }

        var pins = new GCHandle[channels * 2];
        try
        {
            var inputs = stackalloc float*[channels];
            var outputs = stackalloc float*[channels];
            for (var c = 0; c < channels; c++)
            {
                pins[c] = GCHandle.Alloc(input[c], GCHandleType.Pinned);
                pins[channels + c] = GCHandle.Alloc(output[c], GCHandleType.Pinned);
            }

            SetExpectedInputDuration(state, (uint)frames);
            SetMaxProcessSize(state, Chunk);
            for (var offset = 0; offset < frames; offset += Chunk)
            {
                var count = Math.Min(Chunk, frames - offset);
                Point(inputs, pins, 0, channels, offset);
                Study(state, inputs, (uint)count, offset + count >= frames ? 1 : 0);
            }

            var written = 0;
            for (var offset = 0; offset < frames; offset += Chunk)
            {
                var count = Math.Min(Chunk, frames - offset);
                Point(inputs, pins, 0, channels, offset);
                ProcessBlock(state, inputs, (uint)count, offset + count >= frames ? 1 : 0);
                written = Drain(state, outputs, pins, channels, written, outputLength);
            }

            Drain(state, outputs, pins, channels, written, outputLength);
            return output;
        }
        finally
        {
            Delete(state);
            foreach (var pin in pins.Where(p => p.IsAllocated))
            {
                pin.Free();
            }
        }
    }

    private static void Point(float** pointers, GCHandle[] pins, int first, int channels, int offset)
    {
        for (var c = 0; c < channels; c++)
        {
            pointers[c] = (float*)pins[first + c].AddrOfPinnedObject() + offset;
        }
    }

    /// <summary>Takes what the stretcher has ready, up to the output's length (the library may offer a few frames more).</summary>
    private static int Drain(nint state, float** outputs, GCHandle[] pins, int channels, int written, int outputLength)
    {
        for (int available; (available = Available(state)) > 0;)
        {
            var take = Math.Min(available, Math.Max(0, outputLength - written));
            if (take == 0)
            {
                var scratch = new float[available * channels];
                fixed (float* s = scratch)
                {
                    for (var c = 0; c < channels; c++)
                    {
                        outputs[c] = s + (c * available);
                    }

                    Retrieve(state, outputs, (uint)available);
                }

                continue;
            }

            Point(outputs, pins, channels, channels, written);
            written += (int)Retrieve(state, outputs, (uint)take);
        }

        return written;
    }

    [LibraryImport(Library, EntryPoint = "rubberband_new")]
    private static partial nint New(uint sampleRate, uint channels, int options, double timeRatio, double pitchScale);

    [LibraryImport(Library, EntryPoint = "rubberband_delete")]
    private static partial void Delete(nint state);

    [LibraryImport(Library, EntryPoint = "rubberband_set_expected_input_duration")]
    private static partial void SetExpectedInputDuration(nint state, uint samples);

    [LibraryImport(Library, EntryPoint = "rubberband_set_max_process_size")]
    private static partial void SetMaxProcessSize(nint state, uint samples);

    [LibraryImport(Library, EntryPoint = "rubberband_study")]
    private static partial void Study(nint state, float** input, uint samples, int final);

    [LibraryImport(Library, EntryPoint = "rubberband_process")]
    private static partial void ProcessBlock(nint state, float** input, uint samples, int final);

    [LibraryImport(Library, EntryPoint = "rubberband_available")]
    private static partial int Available(nint state);

    [LibraryImport(Library, EntryPoint = "rubberband_retrieve")]
    private static partial uint Retrieve(nint state, float** output, uint samples);
}
