using Jacameno.Audio.Instruments;
using Jacameno.Audio.Rendering;

namespace Jacameno.Audio.Tests;

public sealed class ProjectRendererTests
{
    private static readonly Guid Ramp = Guid.NewGuid();
    private static readonly Guid Constant = Guid.NewGuid();

    // A mono ramp 0, 1/10000, 2/10000, ... at the project rate; two seconds of a constant 0.5.
    private static AudioSource? Sources(Guid id) =>
        id == Ramp ? new AudioSource(48000, [Enumerable.Range(0, 10000).Select(i => i / 10000f).ToArray()])
        : id == Constant ? new AudioSource(48000, [Enumerable.Repeat(0.5f, 96000).ToArray()])
        : null;

    private static RenderTrack Track(params RenderClip[] clips) => new(Guid.NewGuid(), false, clips, []);

    [Fact]
    public void Clips_ArePlacedSampleAccurately_WithOffsetAndGain()
    {
        var project = new RenderProject(48000, 120, [Track(new RenderClip(1000, 2000, Ramp, Offset: 500, GainDb: -6.0206))], [], Length: 4000);
        var output = ProjectRenderer.Render(project, Sources);
        Assert.Equal(0f, output[0][999]);
        Assert.InRange(output[0][1000], 0.0249, 0.0251);    // source[500] / 2
        Assert.InRange(output[1][2999], 0.1248, 0.1251);    // source[2499] / 2
        Assert.Equal(0f, output[0][3000]);
    }

    [Fact]
    public void Fades_Mute_Solo_AndPan_FollowTheRules()
    {
        var faded = ProjectRenderer.Render(new RenderProject(48000, 120,
            [Track(new RenderClip(0, 1000, Ramp, Offset: 5000, FadeIn: 100, FadeOut: 100, FadeOutShape: FadeShape.SCurve))], []), Sources);
        Assert.Equal(0f, faded[0][0]);
        Assert.InRange(faded[0][50] / 0.505f, 0.49, 0.51);
        Assert.InRange(faded[0][500], 0.549, 0.551);
        Assert.InRange(faded[0][999], 0, 0.001);

        var clip = new RenderClip(0, 100, Ramp, Offset: 5000);
        var soloed = Track(clip) with { Solo = true };
        var other = Track(clip with { Offset = 9000 });
        var solo = ProjectRenderer.Render(new RenderProject(48000, 120, [soloed, other], []), Sources);
        Assert.InRange(solo[0][10], 0.5009, 0.5011);

        var muted = ProjectRenderer.Render(new RenderProject(48000, 120, [Track(clip) with { Mute = true }], []), Sources);
        Assert.All(muted[0], s => Assert.Equal(0f, s));

        var left = ProjectRenderer.Render(new RenderProject(48000, 120, [Track(clip) with { Pan = -1 }], []), Sources);
        Assert.Equal(0f, left[1][10], 6);
        Assert.InRange(left[0][10] / 0.501f, 1.41, 1.42); // +3 dB hard left under the -3 dB law
    }

    [Fact]
    public void MidiClips_PlayTheirNotes_AtTheirPitch_InsideTheClip()
    {
        // A4 from 0.1 s, held 0.5 s, in a clip from 0.5 s to 1.5 s; a quiet E5 in a muted clip.
        var a4 = new RenderClip(24000, 48000, null, Notes: [new RenderNote(4800, 24000, 69, 127)]);
        var muted = new RenderClip(24000, 48000, null, Muted: true, Notes: [new RenderNote(0, 24000, 76, 100)]);
        var output = ProjectRenderer.Render(new RenderProject(48000, 120, [Track(a4), Track(muted)], [], Length: 96000), Sources)[0];

        double Rms(int from, int to) => Math.Sqrt(output[from..to].Average(s => (double)s * s));
        Assert.Equal(0, Rms(0, 28800));                        // before the note
        Assert.Equal(0, Rms(52800 + 4800 + 1, 96000));         // after its 0.1 s release
        Assert.InRange(Rms(40000, 50000), 0.05, 0.2);          // sustaining
        var voicePeak = Enumerable.Range(0, 10000).Select(i => 2 * Math.PI * i / 10000).Max(x => Math.Sin(x) + (NoteSynth.OctaveLevel * Math.Sin(2 * x)));
        Assert.Equal(0.25 * NoteSynth.Sustain * voicePeak, output[44000..50000].Max(), 0.003); // past the decay

        // Its pitch: zero crossings upwards over the sustain (the octave adds none: it never outweighs the fundamental's slope).
        var ups = Enumerable.Range(40000, 9600).Count(i => output[i - 1] < 0 && output[i] >= 0);
        Assert.InRange(ups / 0.2, 435, 445);

        // Softer notes are quieter: velocity 64 is about a quarter of 127's level.
        var soft = ProjectRenderer.Render(new RenderProject(48000, 120, [Track(a4 with { Notes = [new RenderNote(4800, 24000, 69, 64)] })], [], Length: 96000), Sources)[0];
        Assert.InRange(Math.Sqrt(soft[40000..50000].Average(s => (double)s * s)) / Rms(40000, 50000), 0.24, 0.27);
    }

    private static readonly Guid Sine440 = Guid.NewGuid();
    private static readonly Guid Sine880 = Guid.NewGuid();
    private static readonly Guid Click = Guid.NewGuid();

    // A second of a full-scale sine at 440 Hz and at 880 Hz at 24 kHz (resampled to the project's rate); a click of 100 samples of 0.5.
    private static AudioSource? Samples(Guid id) =>
        id == Sine440 ? new AudioSource(24000, [Enumerable.Range(0, 24000).Select(i => (float)Math.Sin(2 * Math.PI * 440 * i / 24000)).ToArray()])
        : id == Sine880 ? new AudioSource(24000, [Enumerable.Range(0, 24000).Select(i => (float)Math.Sin(2 * Math.PI * 880 * i / 24000)).ToArray()])
        : id == Click ? new AudioSource(48000, [Enumerable.Repeat(0.5f, 100).ToArray()])
        : null;

    private static RenderTrack Instrument(string type, IReadOnlyDictionary<string, double> parameters, RenderZone[] zones, params RenderNote[] notes) =>
        new(Guid.NewGuid(), false, [new RenderClip(0, 96000, null, Notes: notes)], [], Instrument: new RenderEffect(type, parameters, Zones: zones));

    private static double Frequency(float[] audio, int from, int to) =>
        Enumerable.Range(from, to - from).Count(i => audio[i - 1] < 0 && audio[i] >= 0) / ((to - from) / 48000.0);

    [Fact]
    public void Sampler_PlaysTheZoneOfTheKeyAndVelocity_TransposedFromItsRoot_UnderItsEnvelope()
    {
        // A4 (root 69) for soft notes, the 880 Hz sample (root 81) for hard ones, both across the keyboard.
        RenderZone[] zones = [new(Sine440, 69, 0, 127, 1, 64), new(Sine880, 81, 0, 127, 65, 127)];
        var parameters = new Dictionary<string, double> { ["attackMs"] = 10, ["decayMs"] = 0, ["sustain"] = 1, ["releaseMs"] = 50, ["velocity"] = 0 };
        var track = Instrument("sampler", parameters, zones, new RenderNote(4800, 9600, 81, 40), new RenderNote(48000, 9600, 69, 100));
        var output = ProjectRenderer.Render(new RenderProject(48000, 120, [track], [], Length: 96000), Samples)[0];

        // The soft A5 is the 440 Hz sample an octave up; the hard A4 is the 880 Hz sample an octave down.
        Assert.InRange(Frequency(output, 4800 + 960, 14400), 875, 885);
        Assert.InRange(Frequency(output, 48000 + 960, 57600), 435, 445);
        // The attack: half way up 5 ms in, full level after it (the pan law's √2 at the centre times cos 45°: unity).
        Assert.InRange(output.AsSpan(4800 + 240 - 30, 60).ToArray().Max(), 0.45, 0.55);
        Assert.InRange(output.AsSpan(4800 + 960, 2400).ToArray().Max(), 0.99, 1.01);
        // The release: 50 ms after the key is let go, nothing.
        Assert.All(output[(14400 + 2400)..48000], s => Assert.Equal(0f, s));
        Assert.InRange(output.AsSpan(14400 + 1200, 100).ToArray().Max(), 0.45, 0.55); // half way down, 25 ms in

        // Velocity sensitivity 1: velocity 64 plays at (64/127)² of full level.
        var soft = ProjectRenderer.Render(new RenderProject(48000, 120,
            [Instrument("sampler", new Dictionary<string, double>(parameters) { ["velocity"] = 1 }, zones, new RenderNote(4800, 9600, 69, 64))], [], Length: 24000), Samples)[0];
        Assert.InRange(soft.AsSpan(4800 + 960, 2400).ToArray().Max(), 0.25, 0.26);
    }

    [Fact]
    public void Sends_FeedABus_PostFaderOrPreFader_AtTheirLevel_AndItsLane()
    {
        // A full-scale 440 Hz second through a fader at -6 dB, sending to a bus at -6 dB: 0.5 direct and 0.25 through the bus.
        var bus = new RenderTrack(Guid.NewGuid(), true, [], []);
        RenderTrack Tone(params RenderSend[] sends) => new(Guid.NewGuid(), false, [new RenderClip(0, 48000, Sine440)], [], VolumeDb: -20 * Math.Log10(2), Sends: sends);
        double Peak(RenderTrack track, int from = 6000, int to = 18000) =>
            ProjectRenderer.Render(new RenderProject(48000, 120, [track, bus], [], Length: 48000), Samples)[0][from..to].Max(x => Math.Abs((double)x));
        var half = -20 * Math.Log10(2);

        Assert.Equal(0.75, Peak(Tone(new RenderSend(bus.Id, half))), 0.002);
        Assert.Equal(1.0, Peak(Tone(new RenderSend(bus.Id, half, PreFader: true))), 0.002);
        Assert.Equal(0.5, Peak(Tone(new RenderSend(Guid.NewGuid(), 0))), 0.002); // a send to no bus of this render feeds nothing
        var lane = new AutomationEnvelope([new EnvelopePoint(0, -96, AutomationShape.Hold), new EnvelopePoint(24000, 0, AutomationShape.Hold)]);
        var automated = Tone(new RenderSend(bus.Id, half, Level: lane));
        Assert.Equal(0.5, Peak(automated, 6000, 18000), 0.002);
        Assert.Equal(1.0, Peak(automated, 30000, 42000), 0.002);
    }

    [Fact]
    public void AnInstrumentsLevel_FollowsItsLane_SampleBySample_FromItsSetLevel()
    {
        // A held A4 at 0 dB (set at −6 dB, which the lane replaces), falling linearly in dB to −20 dB over 0.5 s from 0.25 s.
        var parameters = new Dictionary<string, double> { ["attackMs"] = 0, ["decayMs"] = 0, ["sustain"] = 1, ["releaseMs"] = 0, ["velocity"] = 0, ["gainDb"] = -6 };
        var lane = new AutomationEnvelope([new EnvelopePoint(0, 0), new EnvelopePoint(12000, 0), new EnvelopePoint(36000, -20)]);
        var track = Instrument("sampler", parameters, [new(Sine440, 69, 0, 127, 1, 127)], new RenderNote(0, 48000, 69, 127)) is var t
            ? t with { Instrument = t.Instrument! with { Automation = new Dictionary<string, AutomationEnvelope> { ["gainDb"] = lane } } } : null!;
        var output = ProjectRenderer.Render(new RenderProject(48000, 120, [track], [], Length: 48000), Samples)[0];

        double PeakDb(int at) => 20 * Math.Log10(output.AsSpan(at - 60, 120).ToArray().Max(x => Math.Abs((double)x)));
        Assert.Equal(0, PeakDb(6000), 0.1);
        Assert.Equal(-10, PeakDb(24000), 0.1);
        Assert.Equal(-20, PeakDb(42000), 0.1);
    }

    [Fact]
    public void Drums_PlayEachPadToItsEnd_FromTheSampleItsStepStartsAt()
    {
        RenderZone[] pads = [new(Click, 36, 36, 36, 1, 127), new(Sine440, 38, 38, 38, 1, 127)];
        // Steps one sample long: a one-shot pad plays whole anyway. Key 37 has no pad.
        var track = Instrument("drums", new Dictionary<string, double>(), pads,
            new RenderNote(1000, 1, 36, 127), new RenderNote(12345, 1, 37, 127), new RenderNote(24000, 1, 38, 127));
        var output = ProjectRenderer.Render(new RenderProject(48000, 120, [track], [], Length: 96000), Samples)[0];

        Assert.Equal(0f, output[999]);
        Assert.All(output[1000..1100], s => Assert.Equal(0.5f, s, 5));
        Assert.All(output[1100..24000], s => Assert.Equal(0f, s));
        Assert.InRange(Frequency(output, 24000 + 480, 72000 - 480), 435, 445); // the whole second of the sine
        Assert.All(output[72000..], s => Assert.Equal(0f, s));
    }

    [Fact]
    public void Buses_TrackEffects_AndTheMaster_AreApplied_InRoutingOrder()
    {
        var bus = new RenderTrack(Guid.NewGuid(), true, [], [new RenderEffect("gain", new Dictionary<string, double> { ["gainDb"] = -6.0206 })]);
        var source = Track(new RenderClip(0, 100, Ramp, Offset: 5000)) with { Output = bus.Id };
        var master = new[] { new RenderEffect("gain", new Dictionary<string, double> { ["gainDb"] = -6.0206 }) };
        // The bus is listed first: rendering must still run the source before it.
        var output = ProjectRenderer.Render(new RenderProject(48000, 120, [bus, source], master, MasterVolumeDb: 6.0206), Sources);
        Assert.InRange(output[0][10], 0.2504, 0.2506); // 0.501 × ½ (bus) × ½ (master effect) × 2 (master volume)
    }

    [Fact]
    public void Resampler_KeepsPitchAndLevel()
    {
        const int from = 44100, to = 48000;
        var sine = Enumerable.Range(0, from).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * 1000 * i / from))).ToArray();
        var output = Resampler.Resample(sine, from, to);
        Assert.Equal(48000, output.Length);
        var middle = output.Skip(4000).Take(40000).ToArray();
        var crossings = middle.Zip(middle.Skip(1)).Count(p => p.First < 0 && p.Second >= 0);
        Assert.InRange(crossings, 832, 835); // 1 kHz over 40 000 samples at 48 kHz: 833.3 cycles
        Assert.InRange(middle.Max(), 0.495, 0.505);
    }

    [Fact]
    public void VolumeAutomation_IsFollowedSampleAccurately_AcrossBlocks()
    {
        // -40 dB to 0 dB over two seconds, linear in dB; a centred track passes 0.5 at 0 dB.
        var lane = new AutomationEnvelope([new EnvelopePoint(0, -40), new EnvelopePoint(96000, 0)]);
        var track = Track(new RenderClip(0, 96000, Constant)) with { VolumeDb = 6, VolumeAutomation = lane };
        var output = ProjectRenderer.Render(new RenderProject(48000, 120, [track], []), Sources);
        foreach (var n in new[] { 0, 1, 8191, 8192, 8193, 24000, 48000, 95999 })
        {
            var expected = 0.5 * Math.Pow(10, (-40 + (40.0 * n / 96000)) / 20);
            Assert.InRange(output[0][n] / expected, 0.9999, 1.0001);
            Assert.InRange(output[1][n] / expected, 0.9999, 1.0001);
        }
    }

    [Fact]
    public void AutomationShapes_PanAndMasterLanes_AndEffectParameters_AreFollowed()
    {
        var hold = new AutomationEnvelope([new EnvelopePoint(100, 1, AutomationShape.Hold), new EnvelopePoint(200, 3)]);
        Assert.Equal((1, 1, 1, 3, 3), (hold.At(0), hold.At(150), hold.At(199), hold.At(200), hold.At(10_000)));
        var curve = new AutomationEnvelope([new EnvelopePoint(0, 0, AutomationShape.SCurve), new EnvelopePoint(100, 1, AutomationShape.Exponential), new EnvelopePoint(200, 2)]);
        Assert.Equal((0.5, 0.15625, 1.25), (curve.At(50), curve.At(25), curve.At(150)));

        // Pan from hard left to hard right: the right channel starts silent, the left ends silent.
        var panned = Track(new RenderClip(0, 96000, Constant)) with { PanAutomation = new AutomationEnvelope([new EnvelopePoint(0, -1), new EnvelopePoint(96000, 1)]) };
        var pan = ProjectRenderer.Render(new RenderProject(48000, 120, [panned], []), Sources);
        Assert.Equal(0f, pan[1][0], 6);
        Assert.InRange(pan[0][0], 0.707, 0.708);
        Assert.InRange(pan[0][48000], 0.499, 0.501);
        Assert.InRange(pan[0][95999], 0, 0.001);

        // A gain effect held at -20 dB, then 0 dB from one second on, at the effect's control rate (64 frames).
        var gain = new RenderEffect("gain", new Dictionary<string, double> { ["gainDb"] = 0 },
            Automation: new Dictionary<string, AutomationEnvelope> { ["gainDb"] = new([new EnvelopePoint(0, -20, AutomationShape.Hold), new EnvelopePoint(48000, 0)]) });
        var stepped = ProjectRenderer.Render(new RenderProject(48000, 120, [Track(new RenderClip(0, 96000, Constant)) with { Effects = [gain] }], []), Sources);
        Assert.InRange(stepped[0][47999], 0.04999, 0.05001);
        Assert.InRange(stepped[0][48000], 0.4999, 0.5001);

        // The master's volume lane: silent to unity.
        var master = ProjectRenderer.Render(new RenderProject(48000, 120, [Track(new RenderClip(0, 96000, Constant))], [],
            MasterVolumeAutomation: new AutomationEnvelope([new EnvelopePoint(0, -96), new EnvelopePoint(10, 0)])), Sources);
        Assert.InRange(master[0][0], 0, 0.0001);
        Assert.InRange(master[0][10], 0.4999, 0.5001);
    }
}

public sealed class StemsAndDitherTests
{
    private static readonly Guid Tone = Guid.NewGuid();

    private static AudioSource? Sources(Guid id) =>
        id == Tone ? new AudioSource(48000, [Enumerable.Range(0, 4800).Select(i => (float)(0.3 * Math.Sin(i * 0.05))).ToArray()]) : null;

    [Fact]
    public void Stems_SumToTheMix_AndBusStemsHoldWhatFeedsThem()
    {
        var bus = new RenderTrack(Guid.NewGuid(), true, [], [new RenderEffect("gain", new Dictionary<string, double> { ["gainDb"] = -6 })]);
        var a = new RenderTrack(Guid.NewGuid(), false, [new RenderClip(0, 4800, Tone)], [], Pan: -0.5, Output: bus.Id);
        var b = new RenderTrack(Guid.NewGuid(), false, [new RenderClip(100, 4000, Tone, GainDb: -3)], [], Pan: 0.7);
        var project = new RenderProject(48000, 120, [a, b, bus], []);
        var mix = ProjectRenderer.Render(project, Sources);
        var stems = ProjectRenderer.RenderStems(project, Sources);
        Assert.Equal(3, stems.Count);
        for (var i = 0; i < 4800; i++)
        {
            Assert.InRange(stems[a.Id][0][i] + stems[b.Id][0][i] - mix[0][i], -1e-5, 1e-5);
            Assert.InRange(stems[bus.Id][1][i] - stems[a.Id][1][i], -1e-6, 1e-6); // the bus stem is what went through it
        }
    }

    [Fact]
    public void Dither_StaysWithinOneLsb_AndIsRepeatable()
    {
        var quiet = new[] { Enumerable.Range(0, 10000).Select(i => (float)(0.0001 * Math.Sin(i * 0.01))).ToArray() };
        byte[] Write(bool dither)
        {
            using var stream = new MemoryStream();
            Jacameno.Audio.Formats.WavWriter.Write(stream, quiet, 48000, Jacameno.Audio.Formats.WavSampleFormat.Pcm16, dither);
            return stream.ToArray();
        }

        var (plain, dithered) = (Write(false), Write(true));
        Assert.Equal(dithered, Write(true));
        Assert.NotEqual(plain, dithered);
        for (var i = 44; i < plain.Length; i += 2)
        {
            Assert.InRange(BitConverter.ToInt16(dithered, i) - BitConverter.ToInt16(plain, i), -2, 2);
        }
    }

    [Fact]
    public void Sidechain_DucksATrack_WhileItsKeyIsLoud_EvenAMutedKey_AndInTheStem()
    {
        // A steady tone, and a muted "ghost kick": loud for the first half second, silent after.
        var tone = Guid.NewGuid();
        var kick = Guid.NewGuid();
        AudioSource? Sources(Guid id) =>
            id == tone ? new AudioSource(48000, [Enumerable.Range(0, 48000).Select(i => 0.05f * MathF.Sin(2 * MathF.PI * 440 * i / 48000)).ToArray()])
            : id == kick ? new AudioSource(48000, [Enumerable.Range(0, 48000).Select(i => i < 24000 ? 0.9f * MathF.Sin(2 * MathF.PI * 60 * i / 48000) : 0f).ToArray()])
            : null;
        var compressor = new Dictionary<string, double> { ["thresholdDb"] = -20, ["ratio"] = 10, ["attackMs"] = 1, ["releaseMs"] = 20, ["kneeDb"] = 0, ["makeupDb"] = 0 };
        var kickTrack = new RenderTrack(kick, false, [new RenderClip(0, 48000, kick)], [], Mute: true);
        var keyed = new RenderTrack(tone, false, [new RenderClip(0, 48000, tone)], [new RenderEffect("compressor", compressor, Sidechain: kick)]);
        // The keyed track first in the list: the renderer must still process the key before it.
        var project = new RenderProject(48000, 120, [keyed, kickTrack], []);

        static double Rms(float[] x, int from, int to) => Math.Sqrt(x[from..to].Average(v => (double)v * v));
        var mix = ProjectRenderer.Render(project, Sources);
        var ducked = Rms(mix[0], 4800, 20000);
        var free = Rms(mix[0], 30000, 46000);
        Assert.True(ducked < free / 4, $"ducked {ducked:F4} against {free:F4}");
        Assert.True(Rms(mix[1], 30000, 46000) > 0.02, "the muted key is not heard, the tone is");

        var unkeyed = ProjectRenderer.Render(project with { Tracks = [keyed with { Effects = [new RenderEffect("compressor", compressor)] }, kickTrack] }, Sources);
        Assert.True(Rms(unkeyed[0], 4800, 20000) > free * 0.9, "without the key, the quiet tone is left alone");

        var stem = ProjectRenderer.RenderStems(project, Sources)[tone];
        Assert.Equal(ducked, Rms(stem[0], 4800, 20000), 4);
    }

}
