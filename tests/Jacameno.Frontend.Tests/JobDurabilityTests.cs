using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// Jobs that take a while (a lyrics model that does not answer yet): cancel while running and while queued,
/// a platform stopped mid-job whose job finishes after the restart, woken by its reminder alone, and jobs
/// beyond the owner's jobs at once waiting in the owner's line.
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

    private static int? Place(JsonElement job) =>
        job.GetProperty("queuePosition").ValueKind == JsonValueKind.Null ? null : job.GetProperty("queuePosition").GetInt32();

    [Fact]
    public async Task JobsBeyondTheOwnersSlots_WaitInLineInOrder_MoveUpWhenOneLeaves_AndStartWhenASlotFrees_WhileTheDailyLimitStillRefuses()
    {
        var settings = Settings;
        (settings["Jacameno:Jobs:UserConcurrentJobs"], settings["Jacameno:Jobs:UserJobsPerDay"]) = ("1", "4");
        await using var platform = new EmbeddedPlatform(EmbeddedPlatform.NewDataDirectory(), settings);
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        model.Answer = FakeChatModel.Behaviour.Hang;

        // One job holds the owner's one slot; the next ones are accepted and wait, first come first.
        var running = (await LyricsApiTests.WriteAsync(client, Lyrics)).GetProperty("id").GetString()!;
        await WaitAsync(async () => await StatusAsync(client, running) == "running", "the first job to run");
        var second = await LyricsApiTests.WriteAsync(client, Lyrics);
        var third = await LyricsApiTests.WriteAsync(client, Lyrics);
        var fourth = await LyricsApiTests.WriteAsync(client, Lyrics);
        Assert.Equal(("queued", 1, 0), (second.GetProperty("status").GetString(), Place(second), second.GetProperty("attempts").GetInt32()));
        Assert.Equal((2, 3), (Place(third), Place(fourth)));
        var (secondId, thirdId, fourthId) = (second.GetProperty("id").GetString()!, third.GetProperty("id").GetString()!, fourth.GetProperty("id").GetString()!);
        var read = await GraphQLApiTests.QueryAsync(client, "query($id: ID!) { job(id: $id) { status queuePosition } }", new { id = thirdId });
        Assert.Equal(2, read.GetProperty("data").GetProperty("job").GetProperty("queuePosition").GetInt32());

        // The daily limit is still a refusal, saying when it resets.
        var refused = await client.PostAsJsonAsync("/api/ai/lyrics", Lyrics);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("reset at", (await refused.BodyAsync()).GetProperty("detail").GetString());
        Assert.InRange(int.Parse(refused.Headers.RetryAfter!.ToString(), CultureInfo.InvariantCulture), 1, 86400);

        // The second leaves the line: those behind it move up, and the owner hears it over SignalR too.
        await using var studio = await StudioClient.ConnectAsync(platform.Server, owner.AccessToken);
        Assert.Equal("cancelled", (await (await client.DeleteAsync($"/api/jobs/{secondId}")).BodyAsync()).GetProperty("status").GetString());
        await WaitAsync(async () => Place(await JobAsync(client, thirdId)) == 1 && Place(await JobAsync(client, fourthId)) == 2, "the line to move up");
        await WaitAsync(() => Task.FromResult(HeardPlace(studio, fourthId, 2)), "the new place over SignalR");
        Assert.Equal(1, model.Requests); // nothing in line has started

        // The slot frees: the third starts on its own, then the fourth, in order.
        model.Answer = FakeChatModel.Behaviour.Lyrics;
        await client.DeleteAsync($"/api/jobs/{running}");
        var thirdDone = await JobsApiTests.FinishedAsync(client, thirdId);
        var fourthDone = await JobsApiTests.FinishedAsync(client, fourthId);
        Assert.Equal(("succeeded", 1, (int?)null), (thirdDone.GetProperty("status").GetString(), thirdDone.GetProperty("attempts").GetInt32(), Place(thirdDone)));
        Assert.Equal("succeeded", fourthDone.GetProperty("status").GetString());
        Assert.True(fourthDone.GetProperty("startedAt").GetDateTimeOffset() >= thirdDone.GetProperty("finishedAt").GetDateTimeOffset());
        var cancelled = await JobAsync(client, secondId);
        Assert.Equal(("cancelled", 0, (int?)null), (cancelled.GetProperty("status").GetString(), cancelled.GetProperty("attempts").GetInt32(), Place(cancelled)));
    }

    private static async Task<JsonElement> JobAsync(HttpClient client, string jobId) => await (await client.GetAsync($"/api/jobs/{jobId}")).BodyAsync();

    private static bool HeardPlace(StudioClient studio, string jobId, int place)
    {
        lock (studio.Received)
        {
            return studio.Received.Any(r => (string)r[0]! == "JobProgress" && r[1] is JsonElement job
                && job.GetProperty("id").GetString() == jobId && Place(job) == place);
        }
    }
}
