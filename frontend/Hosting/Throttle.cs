using System.Threading.RateLimiting;
using Jacameno.Common;

namespace Jacameno.Frontend.Hosting;

/// <summary>
/// A budget taken inside a service, once per costly thing done rather than once per HTTP request, so that REST and
/// GraphQL (aliases and batches included) draw from it alike. Refusals are TooManyRequests with Retry-After.
/// </summary>
public class Throttle(PartitionedRateLimiter<string> limiter, Func<int, string> refusal) : IDisposable
{
    public async ValueTask TakeAsync(string key, CancellationToken cancellationToken)
    {
        using var lease = await limiter.AcquireAsync(key, 1, cancellationToken);
        if (!lease.IsAcquired)
        {
            var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
            throw new DomainException(DomainErrorKind.TooManyRequests, refusal(Problems.Seconds(wait))) { RetryAfter = wait };
        }
    }

    public void Dispose()
    {
        limiter.Dispose();
        GC.SuppressFinalize(this);
    }
}
