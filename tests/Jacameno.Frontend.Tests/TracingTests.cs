using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry.Trace;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// With an OTLP endpoint configured, one trace runs from the HTTP request through the grain calls and the job
/// to the ffmpeg process a job starts, and the spans reach the endpoint (a local stand-in that takes OTLP over HTTP).
/// </summary>
public sealed class TracingTests : IAsyncLifetime
{
    private readonly List<Activity> spans = [];
    private readonly LocalHttpSink collector = new();
    private TracedPlatform platform = null!;

    private sealed class TracedPlatform(IDictionary<string, string?> settings, List<Activity> spans) : EmbeddedPlatform(NewDataDirectory(), settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));
        }
    }

    public Task InitializeAsync()
    {
        platform = new TracedPlatform(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        }, spans);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await platform.DisposeAsync();
        collector.Dispose();
    }

    private List<Activity> Spans()
    {
        lock (spans)
        {
            return [.. spans];
        }
    }

    [Fact]
    public async Task OneTrace_RunsFromTheRequest_ThroughGrainCalls_ToTheJobsFfmpeg_AndIsExportedOverOtlp()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var projectId = (await ProjectsApiTests.CreateAsync(client, "Traced")).GetProperty("id").GetString()!;
        var (track, clip) = (Guid.NewGuid(), Guid.NewGuid());
        await ProjectsApiTests.SubmitAsync(client, projectId,
            ProjectsApiTests.Op("track.add", new { trackId = track, name = "Keys", kind = "midi" }),
            ProjectsApiTests.Op("clip.add", new { trackId = track, clipId = clip, start = 0, length = 48000 }));
        var job = await (await client.PostAsJsonAsync($"/api/projects/{projectId}/renders", new { format = "mp3" })).BodyAsync();
        await JobsApiTests.FinishedAsync(client, job.GetProperty("id").GetString()!);

        // The render request's server span, and in its trace: grain calls, the job's run, and the ffmpeg that encoded the mix.
        Activity? request = null;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            // The job's span ends after the job is seen finished (and after its ffmpeg's): wait for both.
            // This project's render request: other tests in the process render too, and the listener hears every platform.
            request = Spans().LastOrDefault(s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("/renders", StringComparison.Ordinal)
                && (s.GetTagItem("url.path") as string)?.Contains(projectId, StringComparison.Ordinal) == true);
            if (request is not null && Spans().Count(s => s.TraceId == request.TraceId && s.Source.Name == "Jacameno" && s.DisplayName is "job Render" or "ffmpeg") >= 2)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.NotNull(request);
        var trace = Spans().Where(s => s.TraceId == request.TraceId).ToList();
        Assert.Contains(trace, s => s.Source.Name == "Microsoft.Orleans.Application" && s.DisplayName.Contains("JobGrain", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(trace, s => s.Source.Name == "Jacameno" && s.DisplayName == "job Render");
        Assert.Contains(trace, s => s.Source.Name == "Jacameno" && s.DisplayName == "ffmpeg");
        Assert.DoesNotContain(Spans(), s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("/health", StringComparison.Ordinal));

        // And the exporter sent them to the endpoint, as OTLP protobuf.
        await collector.WaitForAsync(r => r.Path == "/v1/traces" && r.ContentType.StartsWith("application/x-protobuf", StringComparison.Ordinal) && r.Body.Length > 0);
    }
}
