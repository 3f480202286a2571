namespace Jacameno.AI.Lyrics;

/// <summary>What to write: sections in order (verse, chorus, ...), each following the rhyme scheme (one letter per line), lines of a syllable count.</summary>
public sealed record LyricsSpec(string Theme, string? Genre, string? Mood, IReadOnlyList<string> Structure, string RhymeScheme, int SyllablesPerLine, string Language, int Seed)
{
    public static readonly IReadOnlySet<string> SectionNames = new HashSet<string> { "intro", "verse", "prechorus", "chorus", "bridge", "hook", "outro" };

    /// <summary>Parses "verse-chorus-verse-chorus-bridge-chorus"; null with a reason when it is not a structure.</summary>
    public static IReadOnlyList<string>? ParseStructure(string? text, out string? reason)
    {
        reason = null;
        var parts = (text ?? "verse-chorus-verse-chorus-bridge-chorus").ToLowerInvariant().Replace("pre-chorus", "prechorus", StringComparison.Ordinal)
            .Split(['-', ',', ' '], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 0 or > 16)
        {
            reason = "structure must name 1 to 16 sections, e.g. verse-chorus-verse-chorus-bridge-chorus.";
            return null;
        }

        var unknown = parts.FirstOrDefault(p => !SectionNames.Contains(p));
        if (unknown is not null)
        {
            reason = $"\"{unknown}\" is not a section; use {string.Join(", ", SectionNames)}.";
            return null;
        }

        return parts;
    }

    /// <summary>A scheme is 2 to 8 letters A-H, e.g. ABAB, AABB, ABCB.</summary>
    public static bool IsScheme(string? scheme) => scheme is { Length: >= 2 and <= 8 } && scheme.All(c => c is >= 'A' and <= 'H');
}

public sealed record LyricsSection(string Name, IReadOnlyList<string> Lines);
