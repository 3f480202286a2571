namespace Jacameno.Frontend.GraphQL;

/// <summary>
/// The event source of one GraphQL subscription: a fan-out pushes into it from its delivery path and GraphQL.NET
/// subscribes to it once. Pushes reach the observer one at a time; the few that arrive before it subscribes (a state
/// sent first) wait for it, and what arrives after the end is dropped. Disposing it lets go of the fan-out.
/// </summary>
public sealed partial class LiveFeed<T>(Func<Task> release, ILogger logger) : IObservable<T>, IDisposable
{
    private readonly Lock gate = new();
    private IObserver<T>? observer;
    private const int MaxEarly = 64;
    private List<T>? early;
    private Exception? failure;
    private bool ended;
    private int disposed;

    public IDisposable Subscribe(IObserver<T> observer)
    {
        lock (gate)
        {
            this.observer = observer;
            foreach (var value in early ?? [])
            {
                observer.OnNext(value);
            }

            early = null;
            if (ended)
            {
                Finish(failure);
            }
        }

        return this;
    }

    public void Next(T value)
    {
        lock (gate)
        {
            if (ended)
            {
                return;
            }

            if (observer is not null)
            {
                observer.OnNext(value);
            }
            else if ((early ??= []).Count < MaxEarly)
            {
                early.Add(value);
            }
        }
    }

    /// <summary>Ends the feed: with an error (delivered as the subscription's error), or completed when null.</summary>
    public void End(Exception? error = null)
    {
        lock (gate)
        {
            if (ended)
            {
                return;
            }

            (ended, failure) = (true, error);
            Finish(error);
        }
    }

    private void Finish(Exception? error)
    {
        if (observer is { } o)
        {
            observer = null;
            if (error is null)
            {
                o.OnCompleted();
            }
            else
            {
                o.OnError(error);
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            _ = ReleaseAsync();
        }
    }

    private async Task ReleaseAsync()
    {
        try
        {
            await release();
        }
        catch (Exception ex)
        {
            LogReleaseFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Letting go of a GraphQL subscription's fan-out failed")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception);
}
