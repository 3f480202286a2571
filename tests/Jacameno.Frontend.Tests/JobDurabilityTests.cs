using System.Diagnostics;
using System.Net;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// Jobs that take a while (a lyrics model that does not answer yet): cancel while running and while queued,
/// and a platform stopped mid-job whose job finishes after the restart, woken by its reminder alone.
/// </summary>
public sealed class JobDurabilityTests : IAsyncLifetime
{
    private readonly string dataDirectory = EmbeddedPlatform.NewDataDirectory();
    private FakeChatModel model = null!;

    private Dictionary<string, string?> Settings => new()
    {
        ["Jacameno:AI:Lyrics:Endpoint"] = model.Endpoint,
        ["Jacameno:AI:Lyrics:Timeout"] = "00:05:00",
        ["Jacameno:Jobs:WorkersPerSilo"] = "1",
        ["Jacameno:Jobs:HeartbeatInterval"] = "00:00:00.2",
        ["Jacameno:Jobs:LeaseTimeout"] = "00:00:02",
        ["Jacameno:Jobs:ReminderPeriod"] = "00:00:05",
    };

    public async Task InitializeAsync() => model = await FakeChatModel.StartAsync();

    public async Task DisposeAsync() => await model.DisposeAsync();

    private static object Lyrics => new { theme = "the sea", structure = "verse-chorus", rhymeScheme = "AA", provider = "model" };

    private static async Task<string> StatusAsync(HttpClient client, string jobId) =>
        (await (await client.GetAsync($"/api/jobs/{jobId}")).BodyAsync()).GetProperty("status").GetString()!;

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(seconds), $"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Cancel_WorksWhileRunning_AndWhileQueued()
    {
        await using var platform = new EmbeddedPlatform(dataDirectory, Settings);
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        model.Answer = FakeChatModel.Behaviour.Hang;

        var running = (await LyricsApiTests.WriteAsync(client, Lyrics)).GetProperty("id").GetString()!;
        await WaitAsync(async () => await StatusAsync(client, running) == "running" && model.Requests == 1, "the first job to run");
        // One worker slot on this silo: the second job waits in line.
        var queued = (await LyricsApiTests.WriteAsync(client, Lyrics)).GetProperty("id").GetString()!;
        await Task.Delay(1000);
        Assert.Equal("queued", await StatusAsync(client, queued));

        var cancelled = await (await client.DeleteAsync($"/api/jobs/{queued}")).BodyAsync();
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal("cancelled", (await (await client.DeleteAsync($"/api/jobs/{running}")).BodyAsync()).GetProperty("status").GetString());

        // Both stay cancelled; the queued one never reached the model, and nothing is retried.
        await Task.Delay(3000);
        Assert.Equal(("cancelled", "cancelled"), (await StatusAsync(client, running), await StatusAsync(client, queued)));
        Assert.Equal(1, model.Requests);

        // The slot is free again: a new job runs (and the owner's concurrency allowance was given back).
        model.Answer = FakeChatModel.Behaviour.Lyrics;
        var next = (await LyricsApiTests.WriteAsync(client, Lyrics)).GetProperty("id").GetString()!;
        Assert.Equal("succeeded", (await JobsApiTests.FinishedAsync(client, next)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AJobRunningWhenThePlatformStops_FinishesAfterTheRestart_WokenByItsReminder()
    {
        string jobId;
        string accessToken;
        model.Answer = FakeChatModel.Behaviour.Hang;
        var first = new EmbeddedPlatform(dataDirectory, Settings);
        var owner = await first.RegisterAsync();
        accessToken = owner.AccessToken;
        using (var client = first.CreateClient(accessToken))
        {
            jobId = (await LyricsApiTests.WriteAsync(client, Lyrics)).GetProperty("id").GetString()!;
            await WaitAsync(async () => await StatusAsync(client, jobId) == "running" && model.Requests == 1, "the job to run");
        }

        try
        {
            await first.DisposeAsync();
        }
        catch (OperationCanceledException)
        {
            // A stop cut short by the host's shutdown timeout (seen on a loaded CI machine) is only closer to the
            // crash this test is about: what matters is what the next start does.
        }

        // The platform is gone mid-job. Started again, nobody asks about the job: its reminder wakes it,
        // the dead attempt's lease runs out, and a second attempt asks the model again.
        model.Answer = FakeChatModel.Behaviour.Lyrics;
        await using var second = new EmbeddedPlatform(dataDirectory, Settings);
        _ = second.Server; // start the host
        await WaitAsync(() => Task.FromResult(model.Requests >= 2), "the job's second attempt", seconds: 60);

        using var again = second.CreateClient(accessToken);
        var job = await JobsApiTests.FinishedAsync(again, jobId);
        Assert.Equal(("succeeded", 2), (job.GetProperty("status").GetString(), job.GetProperty("attempts").GetInt32()));
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/jobs")).StatusCode);
    }
}
