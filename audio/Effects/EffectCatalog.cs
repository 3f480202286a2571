namespace Jacameno.Audio.Effects;

/// <summary>A parameter of a built-in effect: range, default, unit; <c>Automatable</c> when an automation lane may move it while the effect runs (a delay's time, say, may not).</summary>
public sealed record ParameterSpec(string Name, double Min, double Max, double Default, string Unit, string Description, bool Automatable = true);

/// <summary>A built-in effect type and its parameters; an instrument plays a MIDI track's notes, first in its chain.</summary>
public sealed record EffectSpec(string Type, string Description, IReadOnlyList<ParameterSpec> Parameters, bool Instrument = false);

/// <summary>What an effect needs to know about where it runs.</summary>
public sealed record EffectContext(int SampleRate, int Channels, double Tempo = 120);

/// <summary>An effect on planar audio, processed in place, keeping state between blocks.</summary>
public interface IEffect
{
    void Process(float[][] planar, int offset, int frames);
}

/// <summary>An effect whose parameters may change while it runs (automation), keeping its state (filter memory, delay lines).</summary>
public interface IAutomatable
{
    /// <summary>The values from the next processed frame on: every parameter of a built-in effect; a plugin's changed ones.</summary>
    void Update(IReadOnlyDictionary<string, double> parameters);
}

/// <summary>An effect type or parameter that does not exist, or a value outside its range.</summary>
/// <summary>An effect whose detector can listen to another signal (a compressor's sidechain).</summary>
public interface ISidechained
{
    /// <summary>The key for the next <see cref="IEffect.Process"/> call, aligned with its block; null for the effect's own input.</summary>
    float[][]? Key { get; set; }
}

public sealed class EffectParameterException(string message) : Exception(message);

/// <summary>
/// The built-in effects, their documented parameters, and the one place that checks parameters and builds
/// effects: unknown types and parameters and out-of-range values are refused with the name and the range.
/// </summary>
public static class EffectCatalog
{
    // Shared by the instruments; before the catalog, which reads them as it is built.
    // An instrument's level may be automated (a gain on what it plays); its envelope and velocity response are set per note.
    private static readonly ParameterSpec Level = new("gainDb", -48, 12, 0, "dB", "Level");
    private static readonly ParameterSpec Velocity = new("velocity", 0, 1, 1, "", "How much a note's velocity sets its level (0: not at all, 1: fully)", Automatable: false);

    private static readonly Dictionary<string, (EffectSpec Spec, Func<Parameters, EffectContext, IEffect>? Create)> Effects = new()
    {
        ["gain"] = (new("gain", "Changes the level.", [new("gainDb", -96, 24, 0, "dB", "Gain")]),
            (p, c) => new Gain(p["gainDb"])),
        ["eq-peak"] = (Band("eq-peak", "Boosts or cuts a band around a frequency.", withGain: true), (p, c) => Biquad.Create(BiquadKind.Peak, p, c)),
        ["eq-lowshelf"] = (Band("eq-lowshelf", "Boosts or cuts below a frequency.", withGain: true), (p, c) => Biquad.Create(BiquadKind.LowShelf, p, c)),
        ["eq-highshelf"] = (Band("eq-highshelf", "Boosts or cuts above a frequency.", withGain: true), (p, c) => Biquad.Create(BiquadKind.HighShelf, p, c)),
        ["eq-lowpass"] = (Band("eq-lowpass", "Removes what is above a frequency (12 dB/octave).", withGain: false), (p, c) => Biquad.Create(BiquadKind.LowPass, p, c)),
        ["eq-highpass"] = (Band("eq-highpass", "Removes what is below a frequency (12 dB/octave).", withGain: false), (p, c) => Biquad.Create(BiquadKind.HighPass, p, c)),
        ["compressor"] = (new("compressor", "Reduces the level above a threshold (peak detector, soft knee); keyed by another track's signal with the effect.sidechain op.",
            [
                new("thresholdDb", -60, 0, -18, "dBFS", "Level where compression starts"),
                new("ratio", 1, 20, 4, ":1", "Input dB above the threshold per output dB"),
                new("attackMs", 0.1, 200, 10, "ms", "How fast gain reduction starts"),
                new("releaseMs", 5, 2000, 120, "ms", "How fast it recovers"),
                new("kneeDb", 0, 24, 6, "dB", "Width of the soft knee"),
                new("makeupDb", 0, 24, 0, "dB", "Gain after compression"),
            ]), (p, c) => new Compressor(p, c)),
        ["limiter"] = (new("limiter", "Keeps the true peak under a ceiling, looking ahead so the peak never gets through.",
            [
                new("ceilingDb", -12, 0, -1, "dBTP", "Highest true peak let out", Automatable: false),
                new("releaseMs", 1, 1000, 50, "ms", "How fast gain recovers", Automatable: false),
                new("lookaheadMs", 0.5, 10, 5, "ms", "How far ahead it looks (and the latency it adds)", Automatable: false),
            ]), (p, c) => new Limiter(p, c)),
        ["delay"] = (new("delay", "Echoes, with feedback; synced to the tempo when beats is set.",
            [
                new("timeMs", 1, 2000, 250, "ms", "Delay time (ignored when beats is set)", Automatable: false),
                new("beats", 0, 8, 0, "beats", "Delay in beats at the project tempo (0: use timeMs)", Automatable: false),
                new("feedback", 0, 0.95, 0.3, "", "Share of the echo fed back"),
                new("mix", 0, 1, 0.3, "", "Wet share of the output"),
            ]), (p, c) => new Delay(p, c)),
        ["reverb"] = (new("reverb", "Algorithmic room (parallel combs into series allpasses, per channel).",
            [
                new("roomSize", 0, 1, 0.5, "", "Decay length"),
                new("damping", 0, 1, 0.5, "", "High-frequency absorption"),
                new("mix", 0, 1, 0.25, "", "Wet share of the output"),
            ]), (p, c) => new Reverb(p, c)),
        ["width"] = (new("width", "Stereo width through mid/side: 0 mono, 1 unchanged, 2 twice as wide.",
            [new("width", 0, 2, 1, "", "Side level relative to mid")]), (p, c) => new StereoWidth(p["width"])),
        // Instruments: the renderer plays them (Rendering/Sampler.cs) with their zones' samples, so they have no effect to create.
        ["sampler"] = (new("sampler", "Plays samples (zones: keys, velocities, a root key each) under an ADSR envelope; set its zones with the effect.zones op.",
            [
                Level, Velocity,
                new("attackMs", 0, 10000, 1, "ms", "Rise to full level", Automatable: false),
                new("decayMs", 0, 10000, 200, "ms", "Fall to the sustain level", Automatable: false),
                new("sustain", 0, 1, 1, "", "Level held while the key is down", Automatable: false),
                new("releaseMs", 0, 10000, 150, "ms", "Fade after the key is let go", Automatable: false),
                new("oneShot", 0, 1, 0, "", "1: every note plays its sample to the end, whatever its length", Automatable: false),
            ], Instrument: true), null),
        ["drums"] = (new("drums", "A drum machine: pads (zones of one key each, 36 and up) played to their end, whatever a step's length; set its pads with the effect.zones op.",
            [Level, Velocity], Instrument: true), null),
        ["soundfont"] = (new("soundfont", "Plays a preset of an installed SoundFont (GET /api/soundfonts) with FluidSynth; choose the SoundFont with the effect.soundfont op.",
            [
                new("bank", 0, 128, 0, "", "Preset bank (128: General MIDI drum kits)", Automatable: false),
                new("program", 0, 127, 0, "", "Preset number in its bank", Automatable: false),
                Level,
            ], Instrument: true), null),
    };

    /// <summary>Whether the type is a built-in instrument (sampler, drums).</summary>
    public static bool IsInstrument(string type) => Effects.TryGetValue(type, out var effect) && effect.Spec.Instrument;

    public static IReadOnlyCollection<EffectSpec> Specs { get; } = Effects.Values.Select(e => e.Spec).ToList();

    /// <summary>Checks every parameter against the type's spec; the defaults fill what is not given.</summary>
    public static Parameters Validate(string type, IReadOnlyDictionary<string, double> given)
    {
        if (!Effects.TryGetValue(type, out var effect))
        {
            throw new EffectParameterException($"Unknown effect type '{type}'; built in: {string.Join(", ", Effects.Keys)}.");
        }

        foreach (var name in given.Keys.Where(n => effect.Spec.Parameters.All(p => p.Name != n)))
        {
            throw new EffectParameterException($"'{type}' has no parameter '{name}'; it has {string.Join(", ", effect.Spec.Parameters.Select(p => p.Name))}.");
        }

        var values = new Dictionary<string, double>();
        foreach (var spec in effect.Spec.Parameters)
        {
            var value = given.TryGetValue(spec.Name, out var v) ? v : spec.Default;
            if (!double.IsFinite(value) || value < spec.Min || value > spec.Max)
            {
                throw new EffectParameterException($"{type}.{spec.Name} must be between {spec.Min} and {spec.Max} {spec.Unit}".TrimEnd() + ".");
            }

            values[spec.Name] = value;
        }

        return new Parameters(values);
    }

    /// <summary>The effect; an instrument is not one (the renderer plays it itself).</summary>
    public static IEffect Create(string type, IReadOnlyDictionary<string, double> parameters, EffectContext context) =>
        Effects[type].Create?.Invoke(Validate(type, parameters), context) ?? throw new EffectParameterException($"'{type}' is an instrument, not an effect.");

    /// <summary>The spec of a parameter of a built-in type, or null when either does not exist.</summary>
    public static ParameterSpec? Parameter(string type, string name) =>
        Effects.TryGetValue(type, out var effect) ? effect.Spec.Parameters.FirstOrDefault(p => p.Name == name) : null;

    private static EffectSpec Band(string type, string description, bool withGain) => new(type, description,
    [
        new("frequency", 20, 20000, 1000, "Hz", "Centre or corner frequency"),
        new("q", 0.1, 18, 0.707, "", "Bandwidth (higher is narrower)"),
        .. withGain ? new[] { new ParameterSpec("gainDb", -24, 24, 0, "dB", "Boost or cut") } : [],
    ]);
}

/// <summary>Validated parameter values by name.</summary>
public sealed class Parameters(IReadOnlyDictionary<string, double> values)
{
    public double this[string name] => values[name];

    public IReadOnlyDictionary<string, double> Values => values;
}
