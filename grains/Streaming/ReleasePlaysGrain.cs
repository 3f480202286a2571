using System.Security.Cryptography;
using Jacameno.Common;

namespace Jacameno.Streaming;

[GenerateSerializer, Alias("jacameno.release-plays-state")]
public sealed class ReleasePlaysState
{
    /// <summary>Per listener key: the last counted play and the count on its UTC day. Only entries that still limit someone are kept.</summary>
    [Id(0)] public Dictionary<string, ListenerPlays> Listeners { get; set; } = [];
}

[GenerateSerializer, Immutable, Alias("jacameno.listener-plays")]
public sealed record ListenerPlays([property: Id(0)] DateTimeOffset Last, [property: Id(1)] DateOnly Day, [property: Id(2)] int Count);

public sealed class ReleasePlaysGrain(
    [PersistentState("release-plays", StorageNames.Grains)] IPersistentState<ReleasePlaysState> state,
    TimeProvider clock) : Grain, IReleasePlaysGrain
{
    private const int MaxStarted = 10_000;

    // Plays in progress live in memory: losing them (a deactivation) loses a play not yet counted, never a count.
    private readonly Dictionary<string, (string Listener, DateTimeOffset StartedAt)> started = [];

    // The stored listeners are pruned once a day per activation, not on every counted play (a popular release has many).
    private DateOnly prunedOn;

    public async Task<PlayTally> PlayAsync(string listenerKey, string? playId, double neededSeconds)
    {
        var now = clock.GetUtcNow();
        if (playId is null)
        {
            ForgetStale(now);
            var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
            started[id] = (listenerKey, now);
            return new PlayTally(false, id, neededSeconds);
        }

        if (!started.TryGetValue(playId, out var play) || play.Listener != listenerKey)
        {
            throw DomainException.Invalid("playId", "That play was not started here (or has expired); start a new one.");
        }

        var listened = (now - play.StartedAt).TotalSeconds;
        if (listened + 0.25 < neededSeconds)
        {
            return new PlayTally(false, playId, neededSeconds - listened);
        }

        started.Remove(playId);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var previous = state.State.Listeners.GetValueOrDefault(listenerKey);
        var count = previous is not null && previous.Day == today ? previous.Count : 0;
        // One listener adds at most one play per 30 s (as long as a play takes) and a few a day, however many clients they run.
        if ((previous is not null && now - previous.Last < IReleasePlaysGrain.Threshold) || count >= IReleasePlaysGrain.MaxPerListenerPerDay)
        {
            return new PlayTally(false, null, 0);
        }

        state.State.Listeners[listenerKey] = new ListenerPlays(now, today, count + 1);
        Prune(now, today);
        await state.WriteStateAsync();
        return new PlayTally(true, null, 0);
    }

    /// <summary>Entries of earlier days whose threshold has passed limit nobody any more.</summary>
    private void Prune(DateTimeOffset now, DateOnly today)
    {
        if (prunedOn == today)
        {
            return;
        }

        prunedOn = today;
        foreach (var (key, plays) in state.State.Listeners.Where(l => l.Value.Day != today && now - l.Value.Last >= IReleasePlaysGrain.Threshold).ToList())
        {
            state.State.Listeners.Remove(key);
        }
    }

    private void ForgetStale(DateTimeOffset now)
    {
        if (started.Count < MaxStarted)
        {
            return;
        }

        foreach (var stale in started.Where(p => now - p.Value.StartedAt > TimeSpan.FromHours(6)).Select(p => p.Key).ToList())
        {
            started.Remove(stale);
        }

        if (started.Count >= MaxStarted)
        {
            started.Remove(started.MinBy(p => p.Value.StartedAt).Key);
        }
    }
}
