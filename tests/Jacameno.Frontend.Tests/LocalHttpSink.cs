using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using Jacameno.Tests;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// A local HTTP endpoint that takes whatever is posted to it (in place of an OTLP collector or an error tracker) and
/// keeps each request's path, content type and body, decompressed.
/// </summary>
public sealed class LocalHttpSink : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly List<Request> received = [];

    public LocalHttpSink()
    {
        Address = new Uri($"http://127.0.0.1:{TestServices.FreePort()}");
        listener.Prefixes.Add(Address.ToString());
        listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public sealed record Request(string Path, string ContentType, byte[] Body)
    {
        public string Text => Encoding.UTF8.GetString(Body);
    }

    public Uri Address { get; }

    public List<Request> Received
    {
        get
        {
            lock (received)
            {
                return [.. received];
            }
        }
    }

    /// <summary>The first request that matches, waiting for it up to <paramref name="seconds"/>.</summary>
    public async Task<Request> WaitForAsync(Func<Request, bool> match, int seconds = 30)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (Received.FirstOrDefault(match) is { } request)
            {
                return request;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(seconds), $"Nothing matching arrived; received: {string.Join(", ", Received.Select(r => $"{r.Path} ({r.ContentType}, {r.Body.Length} bytes)"))}");
            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            try
            {
                var context = await listener.GetContextAsync();
                Stream input = context.Request.Headers["Content-Encoding"] switch
                {
                    "gzip" => new GZipStream(context.Request.InputStream, CompressionMode.Decompress),
                    "br" => new BrotliStream(context.Request.InputStream, CompressionMode.Decompress),
                    _ => context.Request.InputStream,
                };
                using var body = new MemoryStream();
                await input.CopyToAsync(body);
                lock (received)
                {
                    received.Add(new Request(context.Request.Url!.AbsolutePath, context.Request.ContentType ?? "", body.ToArray()));
                }

                context.Response.StatusCode = 200;
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
        }
    }
}
