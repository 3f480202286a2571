using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Jacameno.Tests;
using Npgsql;
using Xunit.Abstractions;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// A rolling upgrade between two real versions: a cluster of the previous build (the commit <c>tests/previous-version</c>
/// names, which <c>scripts/test.sh</c> builds) is upgraded silo by silo to this build while a client edits through a
/// frontend of each version. Mixed silos call each other, the old frontend calls new silos, the new version's schema
/// migration runs while old silos serve, and state written by the old version is read by the new one.
/// </summary>
public sealed class VersionUpgradeTests(ITestOutputHelper output)
{
    [PreviousBuildFact]
    public async Task APreviousVersionsCluster_UpgradedSiloBySiloUnderEditLoad_LosesNoAcknowledgedOp_AndKeepsItsData()
    {
        var previous = PreviousBuildFactAttribute.Root;
        var clusterId = "upgrade-" + Guid.NewGuid().ToString("N")[..8];
        var signingKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var postgres = await TestServices.CreatePostgresDatabaseAsync();
        Dictionary<string, string?> Settings() => ClusterPlatform.Settings(clusterId, signingKey, postgres);

        var silos = new List<SiloProcess>();
        try
        {
            silos.AddRange(await Task.WhenAll(SiloProcess.StartAsync("silo-N-1", Settings(), root: previous), SiloProcess.StartAsync("silo-N-2", Settings(), root: previous)));
            // A frontend waits for a gateway before its health answers: it starts once the silos are up.
            await using var oldFrontend = await SiloProcess.StartAsync("frontend-N", Settings(), frontend: true, root: previous);
            var schemaOfN = await SchemaVersionAsync(postgres);

            // Version N: an account, a project with tracks.
            using var oldClient = new HttpClient { BaseAddress = oldFrontend.Http };
            oldClient.DefaultRequestHeaders.Add("X-Forwarded-For", "10.0.11.1");
            var email = $"upgrade-{clusterId}@example.org";
            var owner = await ClusterPlatformTests.SignUpAsync(oldClient, email, "Upgrade Editor");
            oldClient.DefaultRequestHeaders.Authorization = new("Bearer", owner.AccessToken);
            var projectId = (await ProjectsApiTests.CreateAsync(oldClient, "Written by N")).GetProperty("id").GetString()!;
            await ProjectsApiTests.SubmitAsync(oldClient, projectId, ProjectsApiTests.Op("track.add", new { name = "Drums" }), ProjectsApiTests.Op("track.add", new { name = "Bass" }));

            // Version N+1's frontend joins, with the token N issued; edits go through both frontends from here on.
            await using var newFrontend = new ClusterFrontend(Settings());
            using var newClient = newFrontend.CreateClient("10.0.11.1", owner.AccessToken);
            var acked = new ConcurrentDictionary<string, (long Version, string Frontend)>();
            var (sent, failed) = (0, 0);
            using var stop = new CancellationTokenSource();
            var editor = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var opId = $"op-{++sent}";
                    var (client, name) = sent % 2 == 0 ? (oldClient, "N") : (newClient, "N+1");
                    if (await ProjectsApiTests.TryEditAsync(client, projectId, opId, "upgrade", sent) is { } version)
                    {
                        acked[opId] = (version, name);
                    }
                    else
                    {
                        failed++;
                    }

                    await Task.Delay(25);
                }
            });

            // Each silo of N in turn: one of N+1 joins (and migrates the schema, the first time), then the old one stops.
            await Task.Delay(TimeSpan.FromSeconds(1));
            foreach (var old in silos.ToList())
            {
                silos.Add(await SiloProcess.StartAsync(old.Name.Replace("-N-", "-N+1-", StringComparison.Ordinal), Settings()));
                await Task.Delay(TimeSpan.FromSeconds(1));
                await old.StopAsync(TimeSpan.FromSeconds(60));
                silos.Remove(old);
                await old.DisposeAsync();
                await Task.Delay(TimeSpan.FromSeconds(1));
            }

            await stop.CancelAsync();
            await editor;
            var schemaOfNPlus1 = await SchemaVersionAsync(postgres);
            await oldFrontend.StopAsync(TimeSpan.FromSeconds(30));

            // The log is read once the new frontend's cluster client has caught up with the silos that replaced the old ones
            // (its gateway list refreshes on its own schedule); an edit in that window fails, and is counted as failed above.
            for (var tries = 0; tries < 60 && !(await newClient.GetAsync($"/api/projects/{projectId}/ops?since=0&max=1")).IsSuccessStatusCode; tries++)
            {
                await Task.Delay(500);
            }

            var logged = await ProjectsApiTests.LoggedOpsAsync(newClient, projectId);
            var byFrontend = acked.Values.GroupBy(a => a.Frontend).ToDictionary(g => g.Key, g => g.Count());
            output.WriteLine($"upgrade from {Path.GetFileName(Path.GetDirectoryName(previous))![..8]} (schema {schemaOfN}) to this build (schema {schemaOfNPlus1}): {sent} ops sent, " +
                $"{acked.Count} acknowledged ({byFrontend.GetValueOrDefault("N")} through N's frontend, {byFrontend.GetValueOrDefault("N+1")} through N+1's), {failed} failed, " +
                $"{acked.Count(a => logged.ContainsKey(a.Key))} of the acknowledged in the log");
            Assert.True(byFrontend.GetValueOrDefault("N") > 20 && byFrontend.GetValueOrDefault("N+1") > 20, $"too few ops acknowledged: {acked.Count} of {sent} ({failed} failed)");
            Assert.All(acked, a => Assert.Equal(a.Value.Version, Assert.Contains(a.Key, (IDictionary<string, long>)logged)));
            Assert.True(schemaOfNPlus1 >= schemaOfN, $"schema {schemaOfN} became {schemaOfNPlus1}");

            // What N wrote, N+1 reads: the project and its tracks, and the account (signing in with its password).
            var project = await (await newClient.GetAsync($"/api/projects/{projectId}")).BodyAsync();
            Assert.Equal(["Bass", "Drums"], project.GetProperty("tracks").EnumerateArray().Select(t => t.GetProperty("name").GetString()).Order());
            Assert.Equal(logged.Values.Max(), project.GetProperty("version").GetInt64());
            using var anonymous = newFrontend.CreateClient("10.0.11.2");
            var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = ClusterPlatformTests.Password });
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            Assert.All(silos, s => Assert.False(s.HasExited, s.Output));
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    private static async Task<int> SchemaVersionAsync(string postgres)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT max(version) FROM schema_migrations", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// A test of the previous version's build (<c>JACAMENO_PREVIOUS_BUILD</c>, set by <c>scripts/test.sh</c>). Skipped,
/// with the reason, only where the script could not have that version: its commit is not in the clone.
/// </summary>
public sealed class PreviousBuildFactAttribute : FactAttribute
{
    public PreviousBuildFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("JACAMENO_PREVIOUS_BUILD_MISSING") is { Length: > 0 } reason)
        {
            Skip = reason;
        }
    }

    /// <summary>The previous version's source tree, built; the failure says why where it is not.</summary>
    public static string Root
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("JACAMENO_PREVIOUS_BUILD")
                ?? throw new InvalidOperationException("JACAMENO_PREVIOUS_BUILD is not set: run the tests with scripts/test.sh, which builds the previous version (tests/previous-version)");
            var log = Path.Combine(Path.GetDirectoryName(root)!, "build.log");
            return File.Exists(Path.Combine(Path.GetDirectoryName(root)!, "built")) ? root
                : throw new InvalidOperationException($"the previous version did not build:\n{(File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(30)) : "no build log")}");
        }
    }
}
