using System.Threading.RateLimiting;
using Jacameno.Common;
using Jacameno.Frontend.Hosting;

namespace Jacameno.Frontend.Auth;

/// <summary>
/// The per-IP budget of sign-in attempts. It is taken inside <see cref="AccountService"/> for each password check,
/// sign-up, refresh and code redemption, not per HTTP request, so a GraphQL request with many aliased
/// <c>login</c> fields, or one over REST, draws from the same budget one attempt at a time.
/// </summary>
public sealed class AuthThrottle(PartitionedRateLimiter<string> limiter) : IDisposable
{
    /// <summary>Takes one attempt for the current request's client; a TooManyRequests error when none is left.</summary>
    public async ValueTask TakeAsync(HttpContext? http)
    {
        var ip = http is null ? "internal" : RateLimits.ClientIp(http);
        using var lease = await limiter.AcquireAsync(ip, 1, http?.RequestAborted ?? CancellationToken.None);
        if (!lease.IsAcquired)
        {
            var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
            throw new DomainException(DomainErrorKind.TooManyRequests,
                $"Too many sign-in attempts from your address; try again in {Problems.Seconds(wait)} s.") { RetryAfter = wait };
        }
    }

    public void Dispose() => limiter.Dispose();
}
