using System.Net;
using Jacameno.Storage.Push;

namespace Jacameno.Frontend.Push;

/// <summary>What a push says, the same on every kind of device: a title, a line, and where a tap leads in the web app.</summary>
public sealed record PushContent(Guid EventId, string Topic, string Title, string Body, string Url);

public enum PushResult
{
    Delivered,

    /// <summary>The device is gone for good (unsubscribed, uninstalled, a token that expired): it is removed.</summary>
    Gone,

    /// <summary>Worth trying again later: the service is busy or down, or the request timed out.</summary>
    Retry,

    /// <summary>This push can never be delivered (refused as malformed or too large, an address pushes may not go to): it is dropped.</summary>
    Failed,
}

public sealed record PushOutcome(PushResult Result, string? Reason = null)
{
    public static readonly PushOutcome Delivered = new(PushResult.Delivered);

    /// <summary>What an HTTP status from a push service means, beside the cases a provider reads from the body.</summary>
    public static PushOutcome FromStatus(HttpStatusCode status, string? body)
    {
        var reason = $"{(int)status} {status}{(string.IsNullOrWhiteSpace(body) ? "" : ": " + (body.Length > 300 ? body[..300] : body))}";
        return (int)status switch
        {
            >= 200 and < 300 => Delivered,
            404 or 410 => new(PushResult.Gone, reason),
            408 or 429 or >= 500 => new(PushResult.Retry, reason),
            _ => new(PushResult.Failed, reason),
        };
    }

    /// <summary>A request that got no answer: refused addresses fail, everything else (timeouts, resets, DNS) is tried again.</summary>
    public static PushOutcome FromException(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is RefusedAddressException refused)
            {
                return new(PushResult.Failed, refused.Message);
            }
        }

        return error is TaskCanceledException or TimeoutException ? new(PushResult.Retry, "The push service did not answer in time.") : new(PushResult.Retry, error.Message);
    }
}

/// <summary>Delivers pushes to one kind of device; one implementation per push service, each on when it is configured.</summary>
public interface IPushSender
{
    PushDeviceKind Kind { get; }

    /// <summary>Sends one push; answers what became of it rather than throwing (cancellation aside).</summary>
    Task<PushOutcome> SendAsync(PushDevice device, PushContent content, CancellationToken cancellationToken);
}
