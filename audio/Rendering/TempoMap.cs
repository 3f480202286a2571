namespace Jacameno.Audio.Rendering;

/// <summary>
/// A project's tempo over time: <c>tempo</c> from the start, then each change from its position (samples) on, held
/// until the next (steps, as DAWs' tempo tracks hold them). Beats are quarter notes counted from the start; between
/// changes they pass at that stretch's tempo, so a beat position and a sample position convert both ways exactly.
/// </summary>
public sealed class TempoMap
{
    private readonly int rate;
    // From each change on: where it starts (samples), its tempo, and the beat it starts at.
    private readonly (long Position, double Tempo, double Beat)[] stretches;

    public TempoMap(double tempo, IEnumerable<(long Position, double Tempo)> changes, int rate)
    {
        this.rate = rate;
        var list = new List<(long, double, double)> { (0, tempo, 0) };
        foreach (var (position, next) in changes.Where(c => c.Position > 0).OrderBy(c => c.Position))
        {
            var (from, current, beat) = list[^1];
            list.Add((position, next, beat + ((position - from) * current / 60.0 / rate)));
        }

        stretches = [.. list];
    }

    /// <summary>Whether the tempo ever changes.</summary>
    public bool Changes => stretches.Length > 1;

    public double TempoAt(long position) => Stretch(position).Tempo;

    /// <summary>The beat (quarter notes from the start, fractional) at a sample position.</summary>
    public double BeatAt(long position)
    {
        var (from, tempo, beat) = Stretch(position);
        return beat + ((position - from) * tempo / 60.0 / rate);
    }

    /// <summary>The beats from one position to a later one, summed stretch by stretch (no difference of two large beat counts).</summary>
    public double BeatsBetween(long from, long to)
    {
        var beats = 0.0;
        for (var i = 0; i < stretches.Length; i++)
        {
            var start = Math.Max(from, stretches[i].Position);
            var end = Math.Min(to, i + 1 < stretches.Length ? stretches[i + 1].Position : long.MaxValue);
            if (end > start)
            {
                beats += (end - start) * stretches[i].Tempo / 60.0 / rate;
            }
        }

        return beats;
    }

    /// <summary>The sample position of a beat.</summary>
    public double PositionOf(double beat)
    {
        var (from, tempo, start) = stretches.LastOrDefault(s => s.Beat <= beat, stretches[0]);
        return from + ((beat - start) * 60.0 * rate / tempo);
    }

    private (long Position, double Tempo, double Beat) Stretch(long position)
    {
        var found = stretches[0];
        foreach (var stretch in stretches)
        {
            if (stretch.Position > position)
            {
                break;
            }

            found = stretch;
        }

        return found;
    }
}
