namespace Jacameno.AI.Lyrics;

public sealed record LyricsInput(string Theme, string? Genre, string? Mood, IReadOnlyList<string> Structure, string RhymeScheme, int SyllablesPerLine,
    string Language, int Seed, bool UseModel);

[GenerateSerializer, Immutable, Alias("jacameno.lyric-line")]
public sealed record LyricLine(
    [property: Id(0)] string Text, [property: Id(1)] int Syllables, [property: Id(2)] string Stresses, [property: Id(3)] string? EndWord, [property: Id(4)] string? Rhyme, [property: Id(5)] double Beats, [property: Id(6)] double Bars, [property: Id(7)] double Seconds);

[GenerateSerializer, Immutable, Alias("jacameno.lyrics-analysis")]
public sealed record LyricsAnalysis([property: Id(0)] IReadOnlyList<LyricLine> Lines, 
    [property: Id(1)] IReadOnlyDictionary<string, IReadOnlyList<int>> RhymeGroups,
    [property: Id(2)] IReadOnlyList<string> UnknownWords,
    [property: Id(3)] double Tempo,
    [property: Id(4)] int BeatsPerBar,
    [property: Id(5)] int SyllablesPerBeat);

/// <summary>The assistant's answer: the analysis, the asked word as the dictionary spells it, and words that rhyme with it.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.lyrics-assistance")]
public sealed record LyricsAssistance([property: Id(0)] LyricsAnalysis Analysis, [property: Id(1)] string? Word, [property: Id(2)] IReadOnlyList<string> Rhymes);

/// <summary>
/// The lyrics assistant (syllables, stress, rhymes and meter) where its pronouncing dictionary is loaded: on the
/// silos, as a stateless worker, so the edge needs neither the dictionary nor the code.
/// </summary>
[Alias("jacameno.lyrics-assistant")]
public interface ILyricsAssistantGrain : IGrainWithIntegerKey
{
    /// <summary>Analyses <paramref name="text"/> sung at <paramref name="tempo"/>; with a <paramref name="word"/>, also its rhymes.</summary>
    [Alias("assist")]
    Task<LyricsAssistance> AssistAsync(string text, double tempo, int beatsPerBar, int syllablesPerBeat, string? word);
}
