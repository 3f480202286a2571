using Jacameno.Common;
using Orleans.Concurrency;

namespace Jacameno.AI.Lyrics;

/// <summary>Pure computation over the loaded dictionary: one activation per silo core at most, none with state.</summary>
[StatelessWorker]
public sealed class LyricsAssistantGrain : Grain, ILyricsAssistantGrain
{
    public Task<LyricsAssistance> AssistAsync(string text, double tempo, int beatsPerBar, int syllablesPerBeat, string? word)
    {
        var normalized = word is null ? null : Pronunciations.Normalize(word);
        if (normalized is not null && normalized.Length is < 1 or > 40)
        {
            throw DomainException.Invalid("word", "word is 1 to 40 letters.");
        }

        return Task.FromResult(new LyricsAssistance(
            LyricsAssistant.Analyse(text, tempo, beatsPerBar, syllablesPerBeat),
            normalized,
            normalized is null ? [] : Pronunciations.RhymesFor(normalized, 30, LyricsWriter.Vocabulary)));
    }
}
