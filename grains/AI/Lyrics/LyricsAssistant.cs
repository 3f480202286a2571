namespace Jacameno.AI.Lyrics;

/// <summary>
/// The lyrics assistant: per line, syllables and stress (the pronouncing dictionary; spelling for unknown
/// words), which lines rhyme (letters A, B, ... by first appearance), and the meter against a tempo: sung
/// at <c>syllablesPerBeat</c> (default 2, eighth notes), how many beats, bars and seconds the line takes.
/// </summary>
public static class LyricsAssistant
{
    public const int MaxLines = 200;

    public static LyricsAnalysis Analyse(string text, double tempo, int beatsPerBar, int syllablesPerBeat = 2)
    {
        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n')
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !(l.StartsWith('[') && l.EndsWith(']'))).Take(MaxLines).ToList();
        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        var letters = new Dictionary<string, string>();
        var groups = new Dictionary<string, List<int>>();
        var analysed = new List<LyricLine>();
        foreach (var (line, index) in lines.Select((l, i) => (l, i)))
        {
            var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(Pronunciations.Normalize).Where(w => w.Length > 0).ToList();
            foreach (var word in words.Where(w => !Pronunciations.Knows(w)))
            {
                unknown.Add(word);
            }

            var syllables = words.Sum(Pronunciations.Syllables);
            var end = words.LastOrDefault();
            var rhymeKey = end is null ? null : Pronunciations.Rhyme(end);
            string? letter = null;
            if (rhymeKey is not null)
            {
                // A letter for every rhyme sound that ends at least two lines; lone endings get none.
                var partners = lines.Where((other, j) => j != index && other.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() is { } e
                    && Pronunciations.Rhyme(Pronunciations.Normalize(e)) == rhymeKey).Any();
                if (partners)
                {
                    if (!letters.TryGetValue(rhymeKey, out letter))
                    {
                        letter = ((char)('A' + letters.Count % 26)).ToString();
                        letters[rhymeKey] = letter;
                    }

                    (groups.TryGetValue(letter, out var members) ? members : groups[letter] = []).Add(index);
                }
            }

            var beats = (double)syllables / syllablesPerBeat;
            analysed.Add(new LyricLine(line, syllables, string.Concat(words.Select(Pronunciations.Stresses)), end, letter,
                beats, Math.Round(beats / beatsPerBar, 2), Math.Round(beats * 60 / tempo, 2)));
        }

        return new LyricsAnalysis(analysed, groups.ToDictionary(g => g.Key, g => (IReadOnlyList<int>)g.Value), [.. unknown], tempo, beatsPerBar, syllablesPerBeat);
    }
}
