using System.Text.RegularExpressions;

namespace Jacameno.AI.Lyrics;

/// <summary>
/// The CMU Pronouncing Dictionary (134 000 words, ARPAbet with stress digits), from the npm package
/// cmu-pronouncing-dictionary embedded at build: syllable counts, stress patterns and rhymes. Loaded once, on first use.
/// </summary>
public static partial class Pronunciations
{
    private static readonly Lazy<Dictionary<string, string[]>> Words = new(Load);
    private static readonly Lazy<ILookup<string, string>> ByRhyme = new(() =>
        Words.Value.Where(w => char.IsLetter(w.Key[0])).ToLookup(w => RhymeOf(w.Value), w => w.Key));

    public static int Count => Words.Value.Count;

    /// <summary>The first pronunciation's phones ("HH AH0 L OW1"), or null for a word the dictionary lacks.</summary>
    public static string[]? Phones(string word) => Words.Value.GetValueOrDefault(Normalize(word));

    public static bool Knows(string word) => Phones(word) is not null;

    /// <summary>Syllables: vowels in the dictionary's pronunciation, or vowel groups in the spelling for unknown words.</summary>
    public static int Syllables(string word)
    {
        if (Phones(word) is { } phones)
        {
            return phones.Count(p => char.IsDigit(p[^1]));
        }

        var groups = VowelGroups().Matches(Normalize(word)).Count;
        return Math.Max(1, Normalize(word).EndsWith('e') && groups > 1 ? groups - 1 : groups);
    }

    /// <summary>Stress per syllable: 1 primary, 2 secondary, 0 none (empty for unknown words).</summary>
    public static string Stresses(string word) =>
        Phones(word) is { } phones ? string.Concat(phones.Where(p => char.IsDigit(p[^1])).Select(p => p[^1])) : "";

    /// <summary>The rhyming part: phones from the last stressed vowel on ("AY1 T" for night); null for unknown words.</summary>
    public static string? Rhyme(string word) => Phones(word) is { } phones ? RhymeOf(phones) : null;

    public static bool Rhymes(string a, string b) =>
        !string.Equals(Normalize(a), Normalize(b), StringComparison.Ordinal) && Rhyme(a) is { } ra && ra == Rhyme(b);

    /// <summary>Words that rhyme with <paramref name="word"/>, preferring <paramref name="preferred"/> ones, then shorter ones.</summary>
    public static IReadOnlyList<string> RhymesFor(string word, int limit, IReadOnlySet<string>? preferred = null)
    {
        if (Rhyme(word) is not { } rhyme)
        {
            return [];
        }

        var self = Normalize(word);
        return [.. ByRhyme.Value[rhyme]
            .Where(w => w != self && !w.Contains('\'') && !w.Contains('.'))
            .OrderBy(w => preferred?.Contains(w) == true ? 0 : 1)
            .ThenBy(w => w.Length)
            .ThenBy(w => w, StringComparer.Ordinal)
            .Take(limit)];
    }

    public static string Normalize(string word) => word.Trim().Trim('"', '\'', ',', '.', '!', '?', ';', ':', '(', ')', '-').ToLowerInvariant();

    private static string RhymeOf(string[] phones)
    {
        var last = Array.FindLastIndex(phones, p => p[^1] is '1' or '2');
        last = last < 0 ? Array.FindLastIndex(phones, p => char.IsDigit(p[^1])) : last;
        // Stress digits are dropped from the rhyme so "AY1 T" and "AY2 T" match.
        return string.Join(' ', phones.Skip(Math.Max(0, last)).Select(p => p.TrimEnd('0', '1', '2')));
    }

    private static Dictionary<string, string[]> Load()
    {
        using var stream = typeof(Pronunciations).Assembly.GetManifestResourceStream("cmudict.js")
            ?? throw new InvalidOperationException("The pronouncing dictionary is not embedded; rebuild the grains project.");
        using var reader = new StreamReader(stream);
        var words = new Dictionary<string, string[]>(140_000, StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var match = Entry().Match(line);
            // Alternates ("word(2)") are skipped: the first pronunciation is the common one.
            if (match.Success && !match.Groups[1].Value.EndsWith(')'))
            {
                words.TryAdd(match.Groups[1].Value, match.Groups[2].Value.Split(' '));
            }
        }

        return words;
    }

    [GeneratedRegex("^\\s*\"(.+?)\": \"(.+?)\",?$")]
    private static partial Regex Entry();

    [GeneratedRegex("[aeiouy]+")]
    private static partial Regex VowelGroups();
}
