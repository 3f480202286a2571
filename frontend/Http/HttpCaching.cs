using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jacameno.Hosting;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Net.Http.Headers;

namespace Jacameno.Frontend.Http;

/// <summary>
/// What mobile clients and the web save on reads (docs/mobile.md): an ETag on every JSON read of the API (a repeat with
/// If-None-Match gets 304 and no body), <c>?fields=</c> to trim answers to the properties asked for, and for anonymous
/// reads of public things (releases, artists, playlists, listings, charts, the public pages) a short shared output
/// cache (memory in embedded mode, Redis in a cluster) that successful writes to public things evict.
/// </summary>
public static class HttpCaching
{
    /// <summary>How long a public answer is served from the cache (and may be kept by shared caches).</summary>
    public static readonly TimeSpan PublicFor = TimeSpan.FromSeconds(15);

    private const int MaxTaggedBody = 4 * 1024 * 1024;

    // First path segments of public reads, API and pages alike.
    private static readonly HashSet<string> PublicAreas = new(StringComparer.Ordinal)
    {
        "releases", "users", "playlists", "listings", "charts", "genres", "embed", "oembed", "sitemap.xml",
    };


    public static IServiceCollection AddJacamenoHttpCaching(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetJacamenoOptions().Mode == PlatformMode.Cluster)
        {
            services.AddStackExchangeRedisOutputCache(o =>
            {
                o.Configuration = configuration.RequiredConnectionString("redis");
                o.InstanceName = configuration.GetJacamenoOptions().ClusterId + ":output:";
            });

            // The Redis store, wrapped so that an unreachable Redis costs a public read a quarter of a second, not seconds.
            var redis = services.Last(d => d.ServiceType == typeof(IOutputCacheStore));
            services.Remove(redis);
            services.AddSingleton<IOutputCacheStore>(provider => new BoundedOutputCacheStore(
                redis.ImplementationFactory?.Invoke(provider) as IOutputCacheStore
                    ?? redis.ImplementationInstance as IOutputCacheStore
                    ?? (IOutputCacheStore)ActivatorUtilities.CreateInstance(provider, redis.ImplementationType!),
                BoundedOutputCacheStore.DefaultWait, provider.GetRequiredService<ILogger<BoundedOutputCacheStore>>()));
        }

        services.AddOutputCache(o => o.AddBasePolicy(new PublicReadPolicy()));
        return services;
    }

    /// <summary>Output cache, evictions after writes, then ETags and fields (inside, so cached answers carry their ETag).</summary>
    public static void UseJacamenoHttpCaching(this IApplicationBuilder app)
    {
        app.Use(EvictAfterWritesAsync);
        app.UseOutputCache();
        app.Use(TagJsonReadsAsync);
    }

    /// <summary>The area and id of a path: <c>/api/releases/{id}/…</c> and <c>/releases/{id}</c> are both ("releases", id).</summary>
    public static (string Area, string? Id) ResourceOf(PathString path)
    {
        var segments = (path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var rest = segments is ["api", ..] ? segments[1..] : segments;
        return rest switch
        {
            [] => ("", null),
            ["embed", var kind, var id, ..] => (kind, id),
            [var area] => (area, null),
            [var area, var id, ..] => (area, id),
        };
    }

    private static bool IsPublicRead(HttpContext http) =>
        (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
        && !http.Request.Headers.ContainsKey(HeaderNames.Authorization)
        && !http.Request.Headers.ContainsKey(HeaderNames.Cookie)
        && PublicAreas.Contains(FirstSegment(http.Request.Path));

    private static string FirstSegment(PathString path)
    {
        var segments = (path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments switch { ["api", var area, ..] => area, [var first, ..] => first, _ => "" };
    }

    private static async Task EvictAfterWritesAsync(HttpContext http, Func<Task> next)
    {
        await next();
        var method = http.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
            || http.Response.StatusCode is < 200 or >= 300 || !http.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            return;
        }

        // A write to something public changes more than its own answers (a like moves the charts, a new release the
        // artist's list, a rename every list it is in): the whole public cache goes, which is cheap at 15 s. Plays
        // are the exception: the most frequent write, they would empty the cache of the releases people play most;
        // an anonymous reader may see a play count up to 15 s old.
        var (area, _) = ResourceOf(http.Request.Path);
        if ((PublicAreas.Contains(area) || WideWrites.Contains(area)) && !http.Request.Path.Value!.EndsWith("/plays", StringComparison.Ordinal))
        {
            await EvictPublicAsync(http.RequestServices.GetRequiredService<IOutputCacheStore>());
        }
    }

    // Writes outside the public areas that can hide or change public things: moderation, notices and reports that
    // hide at once, orders (a sold exclusive leaves the market).
    private static readonly HashSet<string> WideWrites = new(StringComparer.Ordinal) { "admin", "takedowns", "reports", "orders" };

    /// <summary>Evicts every cached public answer (each is tagged with its area).</summary>
    public static async Task EvictPublicAsync(IOutputCacheStore store)
    {
        foreach (var area in PublicAreas)
        {
            await store.EvictByTagAsync(area, default);
        }
    }

    /// <summary>Caches anonymous reads of public things briefly, tagged by area so writes can evict them.</summary>
    private sealed class PublicReadPolicy : IOutputCachePolicy
    {
        public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            var http = context.HttpContext;
            if (!IsPublicRead(http))
            {
                return ValueTask.CompletedTask;
            }

            context.EnableOutputCaching = true;
            context.AllowCacheLookup = true;
            context.AllowCacheStorage = true;
            context.AllowLocking = true;
            context.ResponseExpirationTimeSpan = PublicFor;
            context.CacheVaryByRules.QueryKeys = "*";
            context.CacheVaryByRules.HeaderNames = new[] { HeaderNames.Accept, HeaderNames.AcceptEncoding };
            context.Tags.Add(ResourceOf(http.Request.Path).Area);

            return ValueTask.CompletedTask;
        }

        public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

        public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            var response = context.HttpContext.Response;
            if (response.StatusCode != StatusCodes.Status200OK || response.Headers.ContainsKey(HeaderNames.SetCookie))
            {
                context.AllowCacheStorage = false;
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// Buffers a JSON answer to a GET of the API (anything else streams through untouched), trims it to <c>?fields=</c>,
    /// and gives it a strong ETag over its bytes; a matching If-None-Match gets 304.
    /// </summary>
    private static async Task TagJsonReadsAsync(HttpContext http, Func<Task> next)
    {
        if (!(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
            || !http.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            await next();
            return;
        }

        var fields = http.Request.Query["fields"].ToString();
        var original = http.Response.Body;
        await using var buffer = new JsonBuffer(http, original);
        http.Response.Body = buffer;
        try
        {
            await next();
        }
        finally
        {
            http.Response.Body = original;
        }

        if (!buffer.Buffering)
        {
            return;
        }

        var body = buffer.Captured;
        if (fields.Length > 0 && http.Response.StatusCode == StatusCodes.Status200OK)
        {
            body = Trim(body, fields);
        }

        http.Response.ContentLength = body.Length;

        if (http.Response.StatusCode == StatusCodes.Status200OK)
        {
            var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(body.Span), 0, 16)}\"";
            http.Response.Headers.ETag = etag;
            if (!http.Response.Headers.ContainsKey(HeaderNames.CacheControl))
            {
                http.Response.Headers.CacheControl = IsPublicRead(http) ? $"public, max-age={(int)PublicFor.TotalSeconds}" : "private, no-cache";
            }

            if (EntityTagHeaderValue.TryParseList(http.Request.Headers.IfNoneMatch, out var asked)
                && asked.Any(a => a.Tag == "*" || a.Tag == etag))
            {
                http.Response.StatusCode = StatusCodes.Status304NotModified;
                http.Response.ContentLength = null;
                return;
            }
        }

        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await original.WriteAsync(body, http.RequestAborted);
        }
    }

    /// <summary>Keeps only the named properties of the answer, or of each item of a page (<c>items</c>) or a list.</summary>
    private static ReadOnlyMemory<byte> Trim(ReadOnlyMemory<byte> json, string fields)
    {
        var keep = fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json.Span);
        }
        catch (JsonException)
        {
            return json;
        }

        void TrimObject(JsonObject item)
        {
            foreach (var name in item.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                item.Remove(name);
            }
        }

        switch (root)
        {
            case JsonArray list:
                foreach (var item in list.OfType<JsonObject>())
                {
                    TrimObject(item);
                }

                break;
            case JsonObject page when page["items"] is JsonArray items:
                foreach (var item in items.OfType<JsonObject>())
                {
                    TrimObject(item);
                }

                break;
            case JsonObject single:
                TrimObject(single);
                break;
        }

        return JsonSerializer.SerializeToUtf8Bytes(root);
    }

    /// <summary>Holds a 200 JSON answer up to a size; anything else (audio, files, big bodies) goes straight through.</summary>
    private sealed class JsonBuffer(HttpContext http, Stream inner) : Stream
    {
        private MemoryStream? memory;
        private bool decided;

        public bool Buffering => memory is not null;

        public ReadOnlyMemory<byte> Captured => memory!.GetBuffer().AsMemory(0, (int)memory.Length);

        private async ValueTask<Stream> TargetAsync(int adding)
        {
            if (!decided)
            {
                decided = true;
                if (http.Response.StatusCode == StatusCodes.Status200OK
                    && http.Response.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true
                    && http.Response.ContentLength is null or <= MaxTaggedBody)
                {
                    memory = new MemoryStream();
                    http.Response.ContentLength = null;
                }
            }

            if (memory is not null && memory.Length + adding > MaxTaggedBody)
            {
                // Too big to hold: what was held goes out first, the rest streams, without an ETag.
                var held = memory;
                memory = null;
                held.Position = 0;
                await held.CopyToAsync(inner);
            }

            return memory is not null ? memory : inner;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            await (await TargetAsync(buffer.Length)).WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (memory is null && decided)
            {
                await inner.FlushAsync(cancellationToken);
            }
        }

        public override void Flush() { }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            if (memory is not null)
            {
                await memory.DisposeAsync();
            }

            await base.DisposeAsync();
        }
    }
}
