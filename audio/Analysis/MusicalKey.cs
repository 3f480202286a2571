namespace Jacameno.Audio.Analysis;

/// <summary>A key: tonic pitch class (0 = C) and mode. Written as "A minor", "F# major".</summary>
public readonly record struct MusicalKey(int Tonic, bool Minor)
{
    public static readonly string[] PitchNames = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

    private static readonly int[] MajorScale = [0, 2, 4, 5, 7, 9, 11];
    private static readonly int[] MinorScale = [0, 2, 3, 5, 7, 8, 10];

    public override string ToString() => $"{PitchNames[Tonic]} {(Minor ? "minor" : "major")}";

    /// <summary>The pitch classes of the key's scale (natural minor for minor keys).</summary>
    public IEnumerable<int> Scale
    {
        get
        {
            var tonic = Tonic;
            return (Minor ? MinorScale : MajorScale).Select(step => (tonic + step) % 12);
        }
    }

    /// <summary>Parses "A minor", "Bb major", "f# min", "C", and chord-symbol minors ("Am", "F#m"); false for anything else.</summary>
    public static bool TryParse(string? text, out MusicalKey key)
    {
        key = default;
        var parts = (text ?? "").Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts is [{ Length: 2 or 3 } symbol] && symbol[^1] == 'm')
        {
            parts = [symbol[..^1], "minor"];
        }

        if (parts.Length is 0 or > 2 || parts[0].Length is 0 or > 2)
        {
            return false;
        }

        var tonic = Array.IndexOf(PitchNames, char.ToUpperInvariant(parts[0][0]).ToString());
        if (tonic < 0)
        {
            return false;
        }

        if (parts[0].Length == 2)
        {
            tonic = parts[0][1] switch { '#' or '♯' => tonic + 1, 'b' or '♭' => tonic + 11, _ => -1 };
            if (tonic < 0)
            {
                return false;
            }
        }

        var mode = parts.Length == 2 ? parts[1].ToLowerInvariant() : "major";
        if (mode is not ("major" or "maj" or "minor" or "min"))
        {
            return false;
        }

        key = new MusicalKey(tonic % 12, mode.StartsWith("min", StringComparison.Ordinal));
        return true;
    }

    /// <summary>
    /// MIREX's key score of an estimate against the truth: 1 same key, 0.5 a fifth away (same mode), 0.3 the
    /// relative key, 0.2 the parallel key, 0 otherwise.
    /// </summary>
    public double MirexScore(MusicalKey truth)
    {
        if (this == truth)
        {
            return 1;
        }

        if (Minor == truth.Minor && ((Tonic - truth.Tonic + 12) % 12 is 5 or 7))
        {
            return 0.5;
        }

        var relative = truth.Minor ? new MusicalKey((truth.Tonic + 3) % 12, false) : new MusicalKey((truth.Tonic + 9) % 12, true);
        return this == relative ? 0.3 : Tonic == truth.Tonic ? 0.2 : 0;
    }
}
