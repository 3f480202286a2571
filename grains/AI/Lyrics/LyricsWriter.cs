namespace Jacameno.AI.Lyrics;

/// <summary>
/// The offline lyricist: no model, only the pronouncing dictionary and a vocabulary of singable words. Each
/// line is a phrase from a template ending on a rhyme word; words are drawn until the line has exactly the
/// asked syllables; lines that share a letter of the scheme end on words that rhyme (by the dictionary).
/// A chorus is written once and sung every time. The same spec and seed give the same lyrics.
/// </summary>
public static class LyricsWriter
{
    private static readonly string[] Subjects = ["I", "we", "you", "they"];
    private static readonly string[] Verbs = ["run", "fall", "dance", "burn", "wait", "hold", "chase", "drive", "sing", "break", "shine", "drift", "turn", "dream", "reach", "follow", "wander", "carry", "whisper", "remember", "wonder", "gather", "find", "keep", "leave", "light", "call", "fly", "hide", "rise"];
    private static readonly string[] Prepositions = ["in", "through", "under", "across", "into", "beyond", "inside", "over", "beneath", "toward", "along", "around", "against"];
    private static readonly string[] Possessives = ["my", "your", "our", "the", "this"];
    private static readonly string[] Adverbs = ["slowly", "always", "never", "softly", "only", "still", "now", "forever", "again"];
    private static readonly string[] Interjections = ["oh", "so", "and", "but", "yeah"];

    private static readonly Dictionary<string, string[]> MoodAdjectives = new()
    {
        ["happy"] = ["golden", "bright", "electric", "wild", "young", "endless", "shining", "sunny", "warm", "sweet", "brand new", "glowing"],
        ["sad"] = ["broken", "empty", "cold", "lonely", "fading", "silent", "heavy", "hollow", "distant", "gray", "tired", "faded"],
        ["angry"] = ["burning", "reckless", "bitter", "savage", "restless", "iron", "jagged", "raging", "hard", "loud"],
        ["calm"] = ["gentle", "quiet", "slow", "easy", "silver", "soft", "tender", "peaceful", "drowsy", "still"],
    };

    /// <summary>Nouns a line may end on; grouped by rhyme at first use so every line of a group finds partners.</summary>
    private static readonly string[] EndWords =
    [
        "night", "light", "fight", "flight", "sight", "kite", "bite", "height",
        "rain", "pain", "chain", "train", "lane", "flame", "name", "game", "frame",
        "fire", "wire", "choir", "liar", "desire", "higher", "empire",
        "heart", "start", "art", "part", "chart", "cart",
        "sky", "eye", "goodbye", "lullaby", "butterfly", "lie", "tie", "sigh",
        "home", "stone", "bone", "throne", "phone", "tone", "zone", "cone",
        "way", "day", "bay", "ray", "display", "highway", "holiday", "runway", "play",
        "sea", "tree", "key", "melody", "memory", "harmony", "symphony", "degree",
        "road", "code", "load", "episode", "abode",
        "dream", "stream", "beam", "seam", "team", "scream", "steam",
        "sun", "gun", "one", "run", "drum", "none",
        "moon", "tune", "june", "balloon", "afternoon", "spoon", "lagoon",
        "time", "line", "sign", "wine", "shine", "spine", "design",
        "soul", "goal", "hole", "role", "coal", "bowl", "control",
        "hand", "land", "band", "sand", "stand", "plan", "command",
        "star", "car", "guitar", "bar", "scar", "jar",
        "love", "glove", "dove",
        "door", "floor", "shore", "war", "core", "store", "before",
        "street", "beat", "heat", "feet", "seat", "sheet", "heartbeat",
        "world", "girl", "pearl", "swirl",
        "city", "pity", "river", "shiver", "silver", "summer", "winter", "shadow", "window", "meadow",
        "ocean", "motion", "potion", "devotion", "emotion",
        "morning", "warning", "evening", "feeling", "ceiling", "meaning",
    ];

    private static readonly Lazy<(string[] Words, ILookup<string, string> ByRhyme)> EndBank = new(() =>
    {
        var words = EndWords.Where(Pronunciations.Knows).Distinct().ToArray();
        return (words, words.ToLookup(w => Pronunciations.Rhyme(w)!));
    });

    /// <summary>Every word the lyricist sings; rhyme suggestions list these first.</summary>
    public static IReadOnlySet<string> Vocabulary { get; } = new HashSet<string>(
        EndWords.Concat(Verbs).Concat(Adverbs).Concat(MoodAdjectives.Values.SelectMany(a => a)), StringComparer.Ordinal);

    public static IReadOnlyList<LyricsSection> Write(LyricsSpec spec)
    {
        var random = new Random(spec.Seed);
        var themeWords = spec.Theme.Split([' ', ',', '-'], StringSplitOptions.RemoveEmptyEntries)
            .Select(Pronunciations.Normalize).Where(w => w.Length > 2 && Pronunciations.Knows(w)).ToArray();
        var adjectives = MoodAdjectives.GetValueOrDefault(Pronunciations.Normalize(spec.Mood ?? ""))
            ?? [.. MoodAdjectives.Values.SelectMany(a => a)];
        var written = new Dictionary<string, LyricsSection>();
        var sections = new List<LyricsSection>();
        foreach (var name in spec.Structure)
        {
            // Choruses and hooks repeat; every other section is written anew.
            if (name is "chorus" or "hook" && written.TryGetValue(name, out var again))
            {
                sections.Add(again);
                continue;
            }

            var section = new LyricsSection(name, Section(spec, random, themeWords, adjectives));
            written[name] = section;
            sections.Add(section);
        }

        return sections;
    }

    private static List<string> Section(LyricsSpec spec, Random random, string[] themeWords, string[] adjectives)
    {
        var byRhyme = EndBank.Value.ByRhyme;
        var groups = new Dictionary<char, Queue<string>>();
        var used = new HashSet<string>();
        var usedSounds = new HashSet<string>(); // each letter its own rhyme sound, or B would rhyme with A
        var lines = new List<string>();
        foreach (var letter in spec.RhymeScheme)
        {
            if (!groups.TryGetValue(letter, out var ends))
            {
                // A rhyme class with enough unused words for every line of this letter.
                var needed = spec.RhymeScheme.Count(c => c == letter);
                var classes = byRhyme.Where(g => !usedSounds.Contains(g.Key) && g.Count(w => !used.Contains(w)) >= needed).ToList();
                var themed = classes.Where(g => g.Any(themeWords.Contains)).ToList();
                var chosen = (themed.Count > 0 ? themed : classes)[random.Next(themed.Count > 0 ? themed.Count : classes.Count)];
                usedSounds.Add(chosen.Key);
                ends = new Queue<string>(chosen.Where(w => !used.Contains(w)).OrderBy(w => themeWords.Contains(w) ? 0 : 1).ThenBy(_ => random.Next()).Take(needed));
                groups[letter] = ends;
            }

            var end = ends.Dequeue();
            used.Add(end);
            lines.Add(Line(end, spec.SyllablesPerLine, random, adjectives, themeWords));
        }

        return lines;
    }

    /// <summary>A phrase ending on <paramref name="end"/> with exactly <paramref name="syllables"/> syllables.</summary>
    private static string Line(string end, int syllables, Random random, string[] adjectives, string[] themeWords)
    {
        var budget = syllables - Pronunciations.Syllables(end);
        for (var attempt = 0; attempt < 2000; attempt++)
        {
            var words = Template(random, adjectives, themeWords, attempt).ToList();
            if (words.Sum(Count) == budget)
            {
                words.Add(end);
                var line = string.Join(' ', words);
                return char.ToUpperInvariant(line[0]) + line[1..];
            }
        }

        // Too short for any template: the end word with fillers ("oh") up to the count.
        var filler = Enumerable.Repeat("oh", Math.Max(0, budget)).Append(end);
        var text = string.Join(' ', filler);
        return char.ToUpperInvariant(text[0]) + text[1..];
    }

    private static int Count(string phrase) => phrase.Split(' ').Sum(Pronunciations.Syllables);

    private static IEnumerable<string> Template(Random random, string[] adjectives, string[] themeWords, int attempt)
    {
        string Pick(string[] words) => words[random.Next(words.Length)];
        bool Maybe() => random.Next(2) == 0;
        var noun = themeWords.Length > 0 && Maybe() ? Pick(themeWords) : Pick(EndBank.Value.Words);
        switch ((attempt + random.Next(4)) % 4)
        {
            case 0:
                if (Maybe())
                {
                    yield return Pick(Interjections);
                }

                yield return Pick(Subjects);
                yield return Pick(Verbs);
                yield return Pick(Prepositions);
                yield return "the";
                if (Maybe())
                {
                    yield return Pick(adjectives);
                }

                break;
            case 1:
                yield return Pick(adjectives);
                yield return noun;
                yield return Pick(Prepositions);
                yield return Pick(Possessives);
                break;
            case 2:
                yield return Pick(Subjects);
                if (Maybe())
                {
                    yield return Pick(Adverbs);
                }

                yield return Pick(Verbs);
                yield return Pick(Possessives);
                if (Maybe())
                {
                    yield return Pick(adjectives);
                }

                break;
            default:
                yield return Pick(Subjects);
                yield return Pick(Verbs);
                yield return "the";
                yield return noun;
                yield return Pick(Prepositions);
                yield return Pick(Possessives);
                break;
        }
    }
}
