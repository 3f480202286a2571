using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Jacameno.Frontend.Tests;

/// <summary>Export of one's data: a job makes a zip of everything the account holds; only its owner downloads it.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class DataExportTests(SharedPlatform platform)
{
    [Fact]
    public async Task TheExport_HoldsProfileProjectsUploadsReleasesCommentsAndOrders_ForItsOwnerOnly()
    {
        var email = $"exporter-{Guid.NewGuid():N}@example.org";
        var user = await platform.RegisterAsync(email, displayName: "Export Ella");
        using var client = platform.CreateClient(user.AccessToken);
        var title = "Exported " + StreamingApiTests.Word();
        var release = (await StreamingApiTests.QuickReleaseAsync(client, title)).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync($"/api/releases/{release}/comments", new { text = "my own words", atSeconds = 1 })).StatusCode);
        await ProjectsApiTests.CreateAsync(client, "Exported jam");

        var started = await client.PostAsync("/api/users/me/export", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var jobId = (await started.BodyAsync()).GetProperty("id").GetString()!;
        var job = await JobsApiTests.FinishedAsync(client, jobId, 120);
        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());

        var stranger = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/users/me/export/{jobId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/users/me/export/{Guid.NewGuid()}")).StatusCode);
        var link = await (await client.GetAsync($"/api/users/me/export/{jobId}")).BodyAsync();
        var bytes = await platform.CreateClient().GetByteArrayAsync(link.GetProperty("url").GetString());

        using var zip = new ZipArchive(new MemoryStream(bytes));
        var names = zip.Entries.Select(e => e.FullName).ToList();
        string Text(string name)
        {
            using var reader = new StreamReader(zip.GetEntry(name)!.Open());
            return reader.ReadToEnd();
        }

        Assert.Contains(email, Text("profile.json"), StringComparison.Ordinal);
        Assert.Contains(names, n => n.StartsWith("projects/Exported jam-", StringComparison.Ordinal) && n.EndsWith(".dawproject", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("uploads/", StringComparison.Ordinal) && n.EndsWith("song.wav", StringComparison.Ordinal));
        Assert.Contains(title, Text("releases.json"), StringComparison.Ordinal);
        Assert.Contains("my own words", Text("comments.json"), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(Text("orders.json")).RootElement.GetProperty("bought").ValueKind);

        var graph = await GraphQLApiTests.QueryAsync(client, "query($j: ID!) { exportDownloadUrl(jobId: $j) }", new { j = jobId });
        Assert.False(string.IsNullOrEmpty(graph.GetProperty("data").GetProperty("exportDownloadUrl").GetString()));
    }
}
