using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jacameno.Frontend.Tests;

/// <summary>With a Sentry-compatible DSN configured, an error reaches the endpoint tagged with the trace it happened in.</summary>
public sealed class ErrorReportingTests : IAsyncLifetime
{
    private readonly LocalHttpSink endpoint = new();
    private EmbeddedPlatform platform = null!;

    public Task InitializeAsync()
    {
        platform = new EmbeddedPlatform(EmbeddedPlatform.NewDataDirectory(),
            new Dictionary<string, string?> { ["Sentry:Dsn"] = $"http://public@{endpoint.Address.Authority}/42" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await platform.DisposeAsync();
        endpoint.Dispose();
    }

    [Fact]
    public async Task AnError_IsReported_WithItsTrace()
    {
        _ = platform.Server;
        using var activity = new Activity("a request").Start();
        var marker = Guid.NewGuid().ToString("N");
        platform.Services.GetRequiredService<ILogger<ErrorReportingTests>>().LogError(new InvalidOperationException($"broken {marker}"), "Something failed");

        var report = await endpoint.WaitForAsync(r => r.Text.Contains(marker, StringComparison.Ordinal), seconds: 20);
        Assert.Equal("/api/42/envelope/", report.Path);
        Assert.Contains(activity.TraceId.ToString(), report.Text);
        Assert.Contains("jacameno-frontend", report.Text);
    }
}
