using System.Threading.RateLimiting;
using Jacameno.Frontend.Hosting;

namespace Jacameno.Frontend.Auth;

/// <summary>
/// The per-IP budget of sign-in attempts. It is taken inside <see cref="AccountService"/> for each password check,
/// sign-up, refresh and code redemption, not per HTTP request, so a GraphQL request with many aliased
/// <c>login</c> fields, or one over REST, draws from the same budget one attempt at a time.
/// </summary>
public sealed class AuthThrottle(PartitionedRateLimiter<string> limiter)
    : Throttle(limiter, seconds => $"Too many sign-in attempts from your address; try again in {seconds} s.")
{
    /// <summary>Takes one attempt for the current request's client; a TooManyRequests error when none is left.</summary>
    public ValueTask TakeAsync(HttpContext? http) =>
        TakeAsync(http is null ? "internal" : RateLimits.ClientIp(http), http?.RequestAborted ?? CancellationToken.None);
}
