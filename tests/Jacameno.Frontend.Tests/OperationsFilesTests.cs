using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Jacameno.Tests;
using Microsoft.AspNetCore.SignalR.Client;
using YamlDotNet.RepresentationModel;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// The alert rules and dashboards in deploy/ are well formed (promtool checks the rules where it is installed), and
/// every metric they read is one the platform exports: a renamed metric fails here, not silently on a dashboard.
/// </summary>
public sealed partial class OperationsFilesTests
{
    private static readonly string Deploy = Path.Combine(TestServices.RepositoryRoot(), "deploy");

    // Exported only once something fails, so a healthy test platform has not shown them yet.
    private static readonly HashSet<string> OnFailureOnly = ["orleans_messaging_sent_failed_total", "orleans_app_requests_timedout_total"];

    [Fact]
    public void AlertRules_HaveExpressionsSeveritiesAndSummaries_AndPassPromtoolWhereInstalled()
    {
        var rules = AlertRules().ToList();
        Assert.True(rules.Count >= 8, $"{rules.Count} rules");
        foreach (var rule in rules)
        {
            var name = Scalar(rule, "alert");
            Assert.False(string.IsNullOrWhiteSpace(Scalar(rule, "expr")), name);
            Assert.Matches("^[0-9]+[smh]$", Scalar(rule, "for"));
            Assert.Contains(Scalar((YamlMappingNode)rule.Children[new YamlScalarNode("labels")], "severity"), new[] { "page", "ticket" });
            Assert.False(string.IsNullOrWhiteSpace(Scalar((YamlMappingNode)rule.Children[new YamlScalarNode("annotations")], "summary")), name);
        }

        if (Which("promtool") is { } promtool)
        {
            using var check = Process.Start(new ProcessStartInfo(promtool, ["check", "rules", Path.Combine(Deploy, "prometheus", "alerts.yml")]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = check.StandardOutput.ReadToEnd() + check.StandardError.ReadToEnd();
            check.WaitForExit();
            Assert.True(check.ExitCode == 0, output);
        }
    }

    /// <remarks>
    /// Scraped from a platform in a process of its own, as in production: in the test process many hosts come and go,
    /// and instruments of the same name from their meters (Orleans', SignalR's) cross each other's exporters.
    /// </remarks>
    [Fact]
    public async Task EveryMetricTheRulesAndDashboardsRead_IsExported()
    {
        var port = TestServices.FreePort();
        var dll = SiloProcess.HostAssembly("frontend", "Jacameno.Frontend.dll");
        var start = new ProcessStartInfo("dotnet", [dll]) { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in SmtpSink.Shared.Settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["Urls"] = $"http://127.0.0.1:{port}";
        start.Environment["Jacameno__DataDirectory"] = EmbeddedPlatform.NewDataDirectory();
        start.Environment["Jacameno__Plugins__Enabled"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var clock = Stopwatch.StartNew();
            while (!await Live(http))
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90) && !process.HasExited, "The platform did not start.");
                await Task.Delay(200);
            }

            // Exercise what the metrics count: requests, a studio connection, a job that runs ffmpeg.
            var (email, password) = ($"m{Guid.NewGuid():N}@example.org", "correct horse 9");
            Assert.Equal(System.Net.HttpStatusCode.Accepted, (await http.PostAsJsonAsync("/api/auth/register", new { email, password, displayName = "Metrics" })).StatusCode);
            var token = (await (await http.PostAsJsonAsync("/api/auth/login", new { email, password })).BodyAsync()).GetProperty("accessToken").GetString()!;
            http.DefaultRequestHeaders.Authorization = new("Bearer", token);
            await using var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(http.BaseAddress!, "/hubs/studio"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token)).Build();
            await hub.StartAsync();
            var projectId = (await ProjectsApiTests.CreateAsync(http, "Metrics")).GetProperty("id").GetString()!;
            var (track, clip) = (Guid.NewGuid(), Guid.NewGuid());
            await ProjectsApiTests.SubmitAsync(http, projectId,
                ProjectsApiTests.Op("track.add", new { trackId = track, name = "Keys", kind = "midi" }),
                ProjectsApiTests.Op("clip.add", new { trackId = track, clipId = clip, start = 0, length = 48000 }));
            var job = await (await http.PostAsJsonAsync($"/api/projects/{projectId}/renders", new { format = "mp3" })).BodyAsync(); // ffmpeg encodes it
            await JobsApiTests.FinishedAsync(http, job.GetProperty("id").GetString()!);

            var exported = (await http.GetStringAsync("/metrics")).Split('\n')
                .Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('{', ' ')[0]).ToHashSet();
            var dashboards = Directory.EnumerateFiles(Path.Combine(Deploy, "grafana"), "*.json").ToList();
            Assert.NotEmpty(dashboards);
            var expressions = AlertRules().Select(r => Scalar(r, "expr"))
                .Concat(dashboards.SelectMany(file => JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("panels").EnumerateArray()
                    .SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()!)))
                .ToList();
            var read = expressions.SelectMany(e => MetricName().Matches(e).Select(m => m.Value)).ToHashSet();
            Assert.Contains("jacameno_jobs_slot_wait_seconds_bucket", read);
            var missing = read.Where(name => !exported.Contains(name) && !OnFailureOnly.Contains(name)).Order().ToList();
            Assert.True(missing.Count == 0, $"Read but not exported: {string.Join(", ", missing)}");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }

    private static async Task<bool> Live(HttpClient http)
    {
        try
        {
            return (await http.GetAsync("/health/live")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>Our metric families (Prometheus' own `up` and node_exporter's are another's to export).</summary>
    [GeneratedRegex(@"\b(?:jacameno|http_server|orleans|dotnet|signalr)_[a-z0-9_]+\b")]
    private static partial Regex MetricName();

    private static IEnumerable<YamlMappingNode> AlertRules()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(Deploy, "prometheus", "alerts.yml"))));
        var groups = (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children[new YamlScalarNode("groups")];
        return groups.Cast<YamlMappingNode>().SelectMany(g => ((YamlSequenceNode)g.Children[new YamlScalarNode("rules")]).Cast<YamlMappingNode>());
    }

    private static string Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value ?? "" : "";

    private static string? Which(string program) => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
        .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);
}
