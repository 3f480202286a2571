using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Jacameno.Frontend.Auth;
using Jacameno.Hosting;
using RedisRateLimiting;
using StackExchange.Redis;

namespace Jacameno.Frontend.Hosting;

/// <summary>Limits, section <c>Jacameno:RateLimits</c>; each is a fixed window of one minute.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Jacameno:RateLimits";

    /// <summary>
    /// Sign-in attempts per client IP per minute, over REST and GraphQL together: every password check, sign-up,
    /// token refresh and sign-in code counts, however many a request holds. Social sign-in flows have a budget
    /// of the same size of their own. Default 30.
    /// </summary>
    public int AuthPerMinute { get; set; } = 30;

    /// <summary>Requests per signed-in user (or per IP when anonymous) per minute. Default 1200.</summary>
    public int RequestsPerMinute { get; set; } = 1200;

    /// <summary>Plugin runs outside renders (reading a plugin's state for a preset) per user per minute; each starts a process. Default 30.</summary>
    public int PluginRunsPerMinute { get; set; } = 30;

    /// <summary>
    /// Track previews (a window of a track rendered through its plugins) per user per minute. The studio asks for one
    /// every 15 s per plugin track while playing, and again after each edit. Default 240.
    /// </summary>
    public int PreviewsPerMinute { get; set; } = 240;
}

/// <summary>
/// Per-user and per-IP limits: in-process in embedded mode, in Redis in a cluster so every frontend draws
/// from one budget. A refused request gets 429 with Retry-After.
/// </summary>
public static class RateLimits
{
    public static IServiceCollection AddJacamenoRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection(RateLimitOptions.SectionName).Get<RateLimitOptions>() ?? new RateLimitOptions();
        var platform = configuration.GetJacamenoOptions();
        IConnectionMultiplexer? redis = platform.Mode == PlatformMode.Cluster
            ? ConnectionMultiplexer.Connect(configuration.RequiredConnectionString("redis"))
            : null;

        // Keys carry the cluster id so two deployments sharing one Redis keep separate budgets.
        var scope = platform.ClusterId;
        // While Redis is unreachable each frontend counts on its own (the budget loosens by the number of frontends for
        // that time), rather than every request waiting on Redis until its timeout.
        RateLimitPartition<string> Partition(string key, int permits) => redis is not { IsConnected: true }
            ? RateLimitPartition.GetFixedWindowLimiter(redis is null ? key : "local:" + key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            })
            : RedisRateLimitPartition.GetFixedWindowRateLimiter(key, _ => new RedisFixedWindowRateLimiterOptions
            {
                ConnectionMultiplexerFactory = () => redis,
                PermitLimit = permits,
                Window = TimeSpan.FromMinutes(1),
            });

        services.AddSingleton(_ => new AuthThrottle(
            PartitionedRateLimiter.Create<string, string>(ip => Partition($"{scope}:rl:auth:{ip}", limits.AuthPerMinute))));
        services.AddSingleton(_ => new Plugins.PluginThrottle(
            PartitionedRateLimiter.Create<string, string>(user => Partition($"{scope}:rl:plugin-runs:{user}", limits.PluginRunsPerMinute))));
        services.AddSingleton(_ => new Projects.PreviewThrottle(
            PartitionedRateLimiter.Create<string, string>(user => Partition($"{scope}:rl:previews:{user}", limits.PreviewsPerMinute))));
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                Partition(http.User.Identity?.IsAuthenticated == true ? $"{scope}:rl:user:{http.User.UserId():N}" : $"{scope}:rl:ip:{ClientIp(http)}", limits.RequestsPerMinute));
            o.AddPolicy(AuthEndpoints.RateLimitPolicy, http => Partition($"{scope}:rl:auth-flow:{ClientIp(http)}", limits.AuthPerMinute));
            o.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = Problems.Seconds(context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1));
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await Problems.WriteAsync(context.HttpContext, 429, Problems.TitleOf(429), $"Too many requests; try again in {retryAfter} s.");
            };
        });
        return services;
    }

    /// <summary>The client's address; behind a trusted proxy, the one it forwarded (see ProxyHeaders).</summary>
    public static string ClientIp(HttpContext http) => (http.Connection.RemoteIpAddress ?? IPAddress.None).ToString();
}
