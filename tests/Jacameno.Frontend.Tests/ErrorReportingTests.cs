using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using Jacameno.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jacameno.Frontend.Tests;

/// <summary>With a Sentry-compatible DSN configured, an error reaches the endpoint tagged with the trace it happened in.</summary>
public sealed class ErrorReportingTests : IAsyncLifetime
{
    private readonly List<(string Path, string Body)> received = [];
    private readonly HttpListener endpoint = new();
    private EmbeddedPlatform platform = null!;

    public Task InitializeAsync()
    {
        var port = TestServices.FreePort();
        endpoint.Prefixes.Add($"http://127.0.0.1:{port}/");
        endpoint.Start();
        _ = Task.Run(async () =>
        {
            while (endpoint.IsListening)
            {
                try
                {
                    var context = await endpoint.GetContextAsync();
                    Stream input = context.Request.Headers["Content-Encoding"] switch
                    {
                        "gzip" => new GZipStream(context.Request.InputStream, CompressionMode.Decompress),
                        "br" => new BrotliStream(context.Request.InputStream, CompressionMode.Decompress),
                        _ => context.Request.InputStream,
                    };
                    using var reader = new StreamReader(input, Encoding.UTF8);
                    var body = await reader.ReadToEndAsync();
                    lock (received)
                    {
                        received.Add((context.Request.Url!.AbsolutePath, body));
                    }

                    context.Response.StatusCode = 200;
                    context.Response.Close();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
            }
        });
        platform = new EmbeddedPlatform(EmbeddedPlatform.NewDataDirectory(), new Dictionary<string, string?> { ["Sentry:Dsn"] = $"http://public@127.0.0.1:{port}/42" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await platform.DisposeAsync();
        endpoint.Stop();
        endpoint.Close();
    }

    [Fact]
    public async Task AnError_IsReported_WithItsTrace()
    {
        _ = platform.Server;
        using var activity = new Activity("a request").Start();
        var marker = Guid.NewGuid().ToString("N");
        platform.Services.GetRequiredService<ILogger<ErrorReportingTests>>().LogError(new InvalidOperationException($"broken {marker}"), "Something failed");

        var clock = Stopwatch.StartNew();
        (string Path, string Body)? report = null;
        while (report is null && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            lock (received)
            {
                report = received.Cast<(string Path, string Body)?>().FirstOrDefault(r => r!.Value.Body.Contains(marker, StringComparison.Ordinal));
            }

            await Task.Delay(100);
        }

        Assert.NotNull(report);
        Assert.Equal("/api/42/envelope/", report.Value.Path);
        Assert.Contains(activity.TraceId.ToString(), report.Value.Body);
        Assert.Contains("jacameno-frontend", report.Value.Body);
    }
}
