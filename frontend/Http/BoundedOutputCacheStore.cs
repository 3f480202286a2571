using Microsoft.AspNetCore.OutputCaching;
using StackExchange.Redis;

namespace Jacameno.Frontend.Http;

/// <summary>
/// The shared output cache (Redis, in a cluster) held to a short wait: a read Redis does not answer in time is a
/// miss and the page renders; a write or an eviction that does not finish is given up (a cached answer lives
/// <see cref="HttpCaching.PublicFor"/> at most). Without it, every public read waited on an unreachable Redis for the
/// client library's timeout (seconds) before it rendered.
/// </summary>
public sealed partial class BoundedOutputCacheStore(IOutputCacheStore inner, TimeSpan wait, ILogger<BoundedOutputCacheStore> logger) : IOutputCacheStore
{
    /// <summary>Long for a Redis nearby (a millisecond or two), short against a request's time.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromMilliseconds(250);

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.GetAsync(key, cancellationToken).AsTask().WaitAsync(wait, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or RedisException)
        {
            LogGaveUp(logger, "read", ex.GetType().Name);
            return null;
        }
    }

    public async ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        try
        {
            await inner.SetAsync(key, value, tags, validFor, cancellationToken).AsTask().WaitAsync(wait, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or RedisException)
        {
            LogGaveUp(logger, "write", ex.GetType().Name);
        }
    }

    public async ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
    {
        try
        {
            await inner.EvictByTagAsync(tag, cancellationToken).AsTask().WaitAsync(wait, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or RedisException)
        {
            LogGaveUp(logger, "eviction", ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The shared output cache did not answer a {What} in time ({Reason}); went on without it")]
    private static partial void LogGaveUp(ILogger logger, string what, string reason);
}
