using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// An embedded platform backed up while it runs, then restored into a new data directory: every user, project,
/// release and order reads back the same, blobs included, and nothing written after the backup is there.
/// </summary>
public sealed class BackupTests
{
    [Fact]
    public async Task ABackupMadeWhileRunning_RestoresEveryUserProjectReleaseAndOrder()
    {
        var data = EmbeddedPlatform.NewDataDirectory();
        string backupPath;
        Snapshot before;
        List<(string Token, Guid Id)> people = [];
        string adminToken;
        string releaseId;
        await using (var platform = new EmbeddedPlatform(data, null))
        {
            adminToken = await platform.AdminTokenAsync();
            foreach (var name in new[] { "Ann", "Bo", "Cy" })
            {
                var user = await platform.RegisterAsync(displayName: $"{name} Backup");
                people.Add((user.AccessToken, user.User.Id));
                using var client = platform.CreateClient(user.AccessToken);
                var project = (await ProjectsApiTests.CreateAsync(client, $"{name}'s song")).GetProperty("id").GetString();
                Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/projects/{project}/ops",
                    new { ops = new[] { new { clientId = "c", opId = "1", baseVersion = 0, kind = "track.add", payload = new { name = "Vox", kind = "audio" } } } })).StatusCode);
            }

            using var artist = platform.CreateClient(people[0].Token);
            releaseId = (await StreamingApiTests.QuickReleaseAsync(artist, "Backed up " + StreamingApiTests.Word())).GetProperty("id").GetString()!;
            var listing = await MarketplaceApiTests.PublishedBeatAsync(artist, "Backed up beat");
            using var buyer = platform.CreateClient(people[1].Token);
            var order = await (await buyer.PostAsJsonAsync("/api/orders", new { listingId = listing.GetProperty("id").GetString(), tierId = MarketplaceApiTests.TierId(listing, "MP3 lease") })).BodyAsync();
            using var admin = platform.CreateClient(adminToken);
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/admin/orders/{order.GetProperty("id").GetString()}/paid", null)).StatusCode);

            // Only admins back up; the backup is a whole data directory.
            Assert.Equal(HttpStatusCode.Forbidden, (await artist.PostAsync("/api/admin/backups", null)).StatusCode);
            var made = await admin.PostAsync("/api/admin/backups", null);
            Assert.Equal(HttpStatusCode.Created, made.StatusCode);
            var backup = await made.BodyAsync();
            backupPath = backup.GetProperty("path").GetString()!;
            Assert.True(File.Exists(Path.Combine(backupPath, "jacameno.db")));
            Assert.True(backup.GetProperty("files").GetInt32() > 3);
            var graph = await GraphQLApiTests.QueryAsync(admin, "mutation { createBackup { name bytes } }");
            Assert.True(graph.GetProperty("data").GetProperty("createBackup").GetProperty("bytes").GetInt64() > 0);

            before = await Snapshot.TakeAsync(platform, people, adminToken, releaseId);
            // Written after the backup: must not come back.
            Assert.Equal(HttpStatusCode.Created, (await artist.PostAsJsonAsync("/api/projects", new { name = "After the backup" })).StatusCode);
        }

        // Restore: the backup folder becomes the data directory of a new platform.
        var restored = EmbeddedPlatform.NewDataDirectory();
        CopyTree(backupPath, restored);
        await using (var platform = new EmbeddedPlatform(restored, null))
        {
            var after = await Snapshot.TakeAsync(platform, people, adminToken, releaseId);
            Assert.Equal(before.Users, after.Users);
            Assert.Equal(before.Projects, after.Projects);
            Assert.Equal(before.Releases, after.Releases);
            Assert.Equal(before.Orders, after.Orders);
            Assert.Equal(before.Audio, after.Audio);
            Assert.DoesNotContain("After the backup", after.Projects, StringComparison.Ordinal);
            Assert.Equal(3, after.ProjectCount);
        }
    }

    private sealed record Snapshot(string Users, string Projects, string Releases, string Orders, string Audio, int ProjectCount)
    {
        public static async Task<Snapshot> TakeAsync(EmbeddedPlatform platform, List<(string Token, Guid Id)> people, string adminToken, string releaseId)
        {
            using var admin = platform.CreateClient(adminToken);
            var users = await admin.GetStringAsync("/api/users?first=100");
            var projects = new List<string>();
            var releases = new List<string>();
            var orders = new List<string>();
            var count = 0;
            foreach (var (token, id) in people)
            {
                using var client = platform.CreateClient(token);
                var mine = await (await client.GetAsync("/api/projects?first=100")).BodyAsync();
                foreach (var project in mine.GetProperty("items").EnumerateArray())
                {
                    count++;
                    projects.Add(Stable(await client.GetStringAsync($"/api/projects/{project.GetProperty("id").GetString()}")));
                }

                releases.Add(Stable(await client.GetStringAsync($"/api/users/{id}/releases?first=100")));
                orders.Add(Stable(await client.GetStringAsync("/api/orders?first=100")));
            }

            orders.Add(Stable(await admin.GetStringAsync("/api/admin/orders?status=completed&first=100")));
            using var owner = platform.CreateClient(people[0].Token);
            var streams = await (await owner.GetAsync($"/api/releases/{releaseId}/stream")).BodyAsync();
            var mp3 = streams.EnumerateArray().First(s => s.GetProperty("format").GetString() == "mp3").GetProperty("url").GetString()!;
            var audio = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(await owner.GetByteArrayAsync(mp3)));
            return new Snapshot(Stable(users), string.Join('\n', projects), string.Join('\n', releases), string.Join('\n', orders), audio, count);
        }

        /// <summary>The JSON without what differs between two reads of the same data: signed links and their expiry.</summary>
        private static string Stable(string json)
        {
            var node = JsonNode.Parse(json);
            Strip(node);
            return node!.ToJsonString();
        }

        private static void Strip(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var key in o.Select(p => p.Key).Where(k => k.Contains("url", StringComparison.OrdinalIgnoreCase) || k is "expiresAt" or "next" or "nextCursor").ToList())
                    {
                        o.Remove(key);
                    }

                    foreach (var (_, child) in o)
                    {
                        Strip(child);
                    }

                    break;
                case JsonArray a:
                    foreach (var child in a)
                    {
                        Strip(child);
                    }

                    break;
            }
        }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }
}
