using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jacameno.Tests;

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

            before = await Snapshot.TakeAsync(platform.CreateClient, people, adminToken, releaseId);
            // Written after the backup: must not come back.
            Assert.Equal(HttpStatusCode.Created, (await artist.PostAsJsonAsync("/api/projects", new { name = "After the backup" })).StatusCode);
        }

        // Restore: the backup folder becomes the data directory of a new platform.
        var restored = EmbeddedPlatform.NewDataDirectory();
        CopyTree(backupPath, restored);
        await using (var platform = new EmbeddedPlatform(restored, null))
        {
            before.AssertRestored(await Snapshot.TakeAsync(platform.CreateClient, people, adminToken, releaseId), projects: 3);
        }
    }

    /// <summary>
    /// Cluster mode as docs/operations.md says to back it up: <c>pg_dump</c> while the cluster runs, then the bucket
    /// copied (blobs are written before the database names them, so a copy taken after the dump holds all it needs).
    /// The cluster is then lost; a new one with the same cluster id and signing key starts on the restored database and
    /// bucket, and every user, project, release (its audio too) and order reads back the same.
    /// </summary>
    [Fact]
    public async Task AClusterDumpedAndCopiedWhileRunning_RestoresEveryUserProjectReleaseAndOrder()
    {
        var clusterId = "backup-" + Guid.NewGuid().ToString("N")[..8];
        var signingKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var adminEmail = $"admin-{clusterId}@example.org";
        Dictionary<string, string?> Settings(string postgres, string bucket)
        {
            var settings = ClusterPlatform.Settings(clusterId, signingKey, postgres);
            settings["Jacameno:S3:Bucket"] = bucket;
            settings["Jacameno:Auth:AdminEmails:0"] = adminEmail;
            settings["Jacameno:RateLimits:AuthPerMinute"] = "1000";
            return settings;
        }

        var (bucket, restoredBucket) = ($"jacameno-{clusterId}", $"jacameno-{clusterId}-restored");
        var dump = Path.Combine(TestServices.TempDirectory(), $"{clusterId}.dump");
        var database = await TestServices.CreatePostgresDatabaseAsync();
        List<(string Token, Guid Id)> people = [];
        string adminToken;
        string releaseId;
        Snapshot before;
        await using (var silo = await SiloProcess.StartAsync("backup-silo", Settings(database, bucket)))
        await using (var frontend = new ClusterFrontend(Settings(database, bucket)))
        {
            HttpClient Client(string token) => frontend.CreateClient("10.0.8.1", token);
            using (var anonymous = frontend.CreateClient("10.0.8.1"))
            {
                adminToken = (await ClusterPlatformTests.SignUpAsync(anonymous, adminEmail, "Admin")).AccessToken;
                foreach (var name in new[] { "Ann", "Bo" })
                {
                    var user = await ClusterPlatformTests.SignUpAsync(anonymous, $"{name.ToLowerInvariant()}-{clusterId}@example.org", $"{name} Backup");
                    people.Add((user.AccessToken, user.User.Id));
                }
            }

            foreach (var (token, _) in people)
            {
                using var client = Client(token);
                var project = (await ProjectsApiTests.CreateAsync(client, "A song in a cluster")).GetProperty("id").GetString();
                Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/projects/{project}/ops",
                    new { ops = new[] { new { clientId = "c", opId = "1", baseVersion = 0, kind = "track.add", payload = new { name = "Vox", kind = "audio" } } } })).StatusCode);
            }

            using var artist = Client(people[0].Token);
            releaseId = (await StreamingApiTests.QuickReleaseAsync(artist, "Cluster backup " + StreamingApiTests.Word())).GetProperty("id").GetString()!;
            var listing = await MarketplaceApiTests.PublishedBeatAsync(artist, "Cluster backup beat");
            using var buyer = Client(people[1].Token);
            var order = await (await buyer.PostAsJsonAsync("/api/orders", new { listingId = listing.GetProperty("id").GetString(), tierId = MarketplaceApiTests.TierId(listing, "MP3 lease") })).BodyAsync();
            using (var admin = Client(adminToken))
            {
                Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/admin/orders/{order.GetProperty("id").GetString()}/paid", null)).StatusCode);
                Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync("/api/admin/backups", null)).StatusCode); // embedded mode's
            }

            before = await Snapshot.TakeAsync(Client, people, adminToken, releaseId);

            // The backup, while the cluster runs: the database first, then the blobs.
            await PostgresToolAsync("pg_dump", database, "--format=custom", "--file", dump);
            await CopyBucketAsync(bucket, restoredBucket);

            // Written after the backup: must not come back.
            Assert.Equal(HttpStatusCode.Created, (await artist.PostAsJsonAsync("/api/projects", new { name = "After the backup" })).StatusCode);
        }

        // The cluster is gone. A new database gets the dump before any silo starts; the same cluster id finds its state.
        var restored = await TestServices.CreatePostgresDatabaseAsync();
        await PostgresToolAsync("pg_restore", restored, "--no-owner", dump);
        await using (var silo = await SiloProcess.StartAsync("restored-silo", Settings(restored, restoredBucket)))
        await using (var frontend = new ClusterFrontend(Settings(restored, restoredBucket)))
        {
            before.AssertRestored(await Snapshot.TakeAsync(token => frontend.CreateClient("10.0.8.2", token), people, adminToken, releaseId), projects: 2);
        }
    }

    /// <summary>Runs one of PostgreSQL's client tools (the newest installed) against <paramref name="connectionString"/>'s database.</summary>
    private static async Task PostgresToolAsync(string tool, string connectionString, params string[] arguments)
    {
        var path = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", tool)).Where(File.Exists)
            .OrderBy(p => int.Parse(p.Split('/')[4], System.Globalization.CultureInfo.InvariantCulture)).Last();
        var db = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var start = new System.Diagnostics.ProcessStartInfo(path)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var argument in new[] { "--host", db.Host!, "--port", db.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--username", db.Username!, "--dbname", db.Database! }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} failed: {await errors}");
    }

    /// <summary>Copies every object of one bucket into another, as <c>aws s3 sync</c> would.</summary>
    private static async Task CopyBucketAsync(string from, string to)
    {
        using var s3 = Jacameno.Storage.Blobs.S3BlobStore.CreateClient(new Jacameno.Hosting.S3Options { ServiceUrl = TestServices.S3, AccessKey = "S3RVER", SecretKey = "S3RVER" });
        await s3.PutBucketAsync(to);
        var request = new Amazon.S3.Model.ListObjectsV2Request { BucketName = from };
        Amazon.S3.Model.ListObjectsV2Response page;
        var copied = 0;
        do
        {
            page = await s3.ListObjectsV2Async(request);
            foreach (var item in page.S3Objects ?? [])
            {
                using var source = await s3.GetObjectAsync(from, item.Key);
                using var body = new MemoryStream();
                await source.ResponseStream.CopyToAsync(body);
                body.Position = 0;
                // Unchunked: s3rver would keep the SDK's chunk signatures in the object.
                await s3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = to, Key = item.Key, InputStream = body, ContentType = source.Headers.ContentType, UseChunkEncoding = false });
                copied++;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
        Assert.True(copied > 0, "the bucket held no blobs");
    }

    private sealed record Snapshot(string Users, string Projects, string Releases, string Orders, string Audio, int ProjectCount)
    {
        /// <summary>Everything reads back as it was; the project made after the backup is not there.</summary>
        public void AssertRestored(Snapshot after, int projects)
        {
            Assert.Equal(Users, after.Users);
            Assert.Equal(Projects, after.Projects);
            Assert.Equal(Releases, after.Releases);
            Assert.Equal(Orders, after.Orders);
            Assert.Equal(Audio, after.Audio);
            Assert.DoesNotContain("After the backup", after.Projects, StringComparison.Ordinal);
            Assert.Equal(projects, after.ProjectCount);
        }

        /// <summary>What the people, the admin and the release's owner read; <paramref name="client"/> makes a client with a token.</summary>
        public static async Task<Snapshot> TakeAsync(Func<string, HttpClient> client, List<(string Token, Guid Id)> people, string adminToken, string releaseId)
        {
            using var admin = client(adminToken);
            var users = await admin.GetStringAsync("/api/users?first=100");
            var projects = new List<string>();
            var releases = new List<string>();
            var orders = new List<string>();
            var count = 0;
            foreach (var (token, id) in people)
            {
                using var person = client(token);
                var mine = await (await person.GetAsync("/api/projects?first=100")).BodyAsync();
                foreach (var project in mine.GetProperty("items").EnumerateArray())
                {
                    count++;
                    projects.Add(Stable(await person.GetStringAsync($"/api/projects/{project.GetProperty("id").GetString()}")));
                }

                releases.Add(Stable(await person.GetStringAsync($"/api/users/{id}/releases?first=100")));
                orders.Add(Stable(await person.GetStringAsync("/api/orders?first=100")));
            }

            orders.Add(Stable(await admin.GetStringAsync("/api/admin/orders?status=completed&first=100")));
            using var owner = client(people[0].Token);
            var streams = await (await owner.GetAsync($"/api/releases/{releaseId}/stream")).BodyAsync();
            var mp3 = streams.EnumerateArray().First(s => s.GetProperty("format").GetString() == "mp3").GetProperty("url").GetString()!;
            // Embedded mode streams from the platform; a cluster signs a link straight to the bucket.
            var link = new Uri(owner.BaseAddress!, mp3);
            using var bucket = new HttpClient();
            var bytes = link.Authority == owner.BaseAddress!.Authority ? await owner.GetByteArrayAsync(link) : await bucket.GetByteArrayAsync(link);
            var audio = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes));
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
