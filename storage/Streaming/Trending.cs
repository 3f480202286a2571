namespace Jacameno.Streaming;

/// <summary>
/// Trending scores with exponential time decay, kept incrementally (forward decay): an event of weight w at
/// time t adds w·2^((t − epoch)/half-life), and the score is the base-2 logarithm of that sum. Ranking by it
/// ranks by the decayed sum at any moment, without rewriting every score as time passes; each event is O(1).
/// </summary>
public static class Trending
{
    public const double Play = 1;
    public const double Like = 4;
    public const double Repost = 8;

    /// <summary>How long until an event counts half as much.</summary>
    public static readonly TimeSpan HalfLife = TimeSpan.FromDays(2);

    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The score after an event of <paramref name="weight"/> at <paramref name="at"/>.</summary>
    public static double Add(double score, double weight, DateTimeOffset at)
    {
        var value = Value(weight, at);
        if (double.IsNegativeInfinity(score))
        {
            return value;
        }

        var (high, low) = score >= value ? (score, value) : (value, score);
        return high + Math.Log2(1 + Math.Pow(2, low - high));
    }

    /// <summary>
    /// The score after taking back an event (an unlike), valued as if it happened now: since the event it undoes
    /// was worth no more than that, undoing and redoing never raises a score.
    /// </summary>
    public static double Remove(double score, double weight, DateTimeOffset at)
    {
        var value = Value(weight, at);
        return value >= score ? score - 1 : score + Math.Log2(1 - Math.Pow(2, value - score));
    }

    private static double Value(double weight, DateTimeOffset at) => Math.Log2(weight) + ((at - Epoch) / HalfLife);
}
