using System.Diagnostics;
using System.Globalization;
using System.Text;
using Jacameno.Tests;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// The platform in cluster mode as an operator runs it: three silo processes (the built silo/ host) on
/// PostgreSQL, Redis and S3, and two frontends that reach them as Orleans clients.
/// </summary>
public sealed class ClusterPlatform : IAsyncLifetime
{
    public const int AuthPerMinute = 5;

    private readonly string clusterId = "cluster-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string signingKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private string postgres = "";

    public List<SiloProcess> Silos { get; } = [];

    public List<ClusterFrontend> Frontends { get; } = [];

    /// <summary>A push service both frontends send Web Pushes to (each runs the push outbox's sender).</summary>
    public PushServiceStandIn PushService { get; } = new();

    public async Task InitializeAsync()
    {
        postgres = await TestServices.CreatePostgresDatabaseAsync();
        // All three at once: the migrations must cope with silos starting together.
        Silos.AddRange(await Task.WhenAll(Enumerable.Range(1, 3).Select(i => SiloProcess.StartAsync($"silo-{i}", Settings()))));
        for (var i = 0; i < 2; i++)
        {
            var frontend = new ClusterFrontend(new Dictionary<string, string?>(Settings().Concat(PushSettings())));
            _ = frontend.Server; // starts the host, and with it the Orleans client
            Frontends.Add(frontend);
        }
    }

    /// <summary>Replaces a silo as a rolling upgrade does: a new one joins, then the old one is stopped gracefully.</summary>
    public async Task ReplaceSiloAsync(SiloProcess old)
    {
        await AddSiloAsync();
        await old.StopAsync(TimeSpan.FromSeconds(60));
        Silos.Remove(old);
        await old.DisposeAsync();
    }

    /// <summary>Starts one more silo into the cluster (for a test that kills one and must leave the others their count).</summary>
    public async Task<SiloProcess> AddSiloAsync()
    {
        var silo = await SiloProcess.StartAsync($"silo-{Silos.Count + 1}", Settings());
        Silos.Add(silo);
        return silo;
    }

    private Dictionary<string, string?> Settings() => Settings(clusterId, signingKey, postgres);

    /// <summary>Web Push to <see cref="PushService"/>: a cluster needs its VAPID pair configured, the same on every frontend.</summary>
    private Dictionary<string, string?> PushSettings()
    {
        using var vapid = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var key = vapid.ExportParameters(true);
        vapidKeys ??= (Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode([0x04, .. key.Q.X!, .. key.Q.Y!]),
            Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(key.D!));
        return new()
        {
            ["Jacameno:Push:AllowedHosts:0"] = "127.0.0.1",
            ["Jacameno:Push:AllowLocalEndpoints"] = "true",
            ["Jacameno:Push:WebPush:PublicKey"] = vapidKeys.Value.Public,
            ["Jacameno:Push:WebPush:PrivateKey"] = vapidKeys.Value.Private,
        };
    }

    private (string Public, string Private)? vapidKeys;

    /// <summary>What every process of one test cluster is configured with (each call takes new silo ports).</summary>
    internal static Dictionary<string, string?> Settings(string clusterId, string signingKey, string postgres) => new(SmtpSink.Shared.Settings)
    {
        ["Jacameno:Mode"] = "Cluster",
        ["Jacameno:ClusterId"] = clusterId,
        ["Jacameno:Silo:Port"] = Port(),
        ["Jacameno:Silo:GatewayPort"] = Port(),
        // Declare a killed silo dead in a few seconds rather than the production default of tens of seconds.
        ["Jacameno:Silo:Membership:ProbeTimeout"] = "00:00:01",
        ["Jacameno:Silo:Membership:NumMissedProbesLimit"] = "2",
        // A joining silo waits for the silos the table still calls active until their heartbeats there are two periods
        // old: 60 s by default, which a restore right after its cluster was killed would wait out on a loaded machine.
        ["Jacameno:Silo:Membership:IAmAliveTablePublishTimeout"] = "00:00:05",
        ["Jacameno:S3:ServiceUrl"] = TestServices.S3,
        ["Jacameno:S3:AccessKey"] = "S3RVER",
        ["Jacameno:S3:SecretKey"] = "S3RVER",
        ["Jacameno:S3:Bucket"] = "jacameno-" + clusterId,
        ["Jacameno:Auth:SigningKey"] = signingKey,
        ["Jacameno:Auth:AdminEmails:0"] = "admin@example.org",
        ["Jacameno:RateLimits:AuthPerMinute"] = AuthPerMinute.ToString(CultureInfo.InvariantCulture),
        ["Jacameno:RateLimits:RequestsPerMinute"] = "100000",
        // The tests speak for many client addresses through X-Forwarded-For, as a load balancer on loopback would.
        ["Jacameno:TrustedProxies:0"] = "127.0.0.0/8",
        ["Logging:LogLevel:Default"] = "Warning",
        ["ConnectionStrings:postgres"] = postgres,
        ["ConnectionStrings:redis"] = TestServices.Redis,
    };

    private static string Port() => TestServices.FreePort().ToString(CultureInfo.InvariantCulture);

    public async Task DisposeAsync()
    {
        foreach (var frontend in Frontends)
        {
            await frontend.DisposeAsync();
        }

        foreach (var silo in Silos)
        {
            await silo.DisposeAsync();
        }

        PushService.Dispose();
    }
}

/// <summary>A frontend in cluster mode, in process; a stateless Orleans client.</summary>
public sealed class ClusterFrontend(Dictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client that speaks for one address, as the load balancer forwards it (X-Forwarded-For).</summary>
    public HttpClient CreateClient(string clientIp, string? accessToken = null)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", clientIp);
        if (accessToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        }

        return client;
    }
}

/// <summary>One silo (the built silo/ host) or frontend in a process of its own, so a test can kill it or reach it over a real port.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private SiloProcess(string name, Process process, int port, Uri http)
    {
        Name = name;
        this.process = process;
        Port = port;
        Http = http;
    }

    public string Name { get; }

    /// <summary>The silo-to-silo port, which Orleans' silo addresses carry.</summary>
    public int Port { get; }

    /// <summary>The process's own HTTP address (/health/live, /metrics; a frontend's whole API).</summary>
    public Uri Http { get; }

    public bool HasExited => process.HasExited;

    /// <summary>The process's resident memory now (0 once it has exited).</summary>
    public long ResidentBytes
    {
        get
        {
            try
            {
                var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException)
            {
                return 0;
            }
        }
    }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts a silo, or with <paramref name="frontend"/> a cluster frontend (an Orleans client with its own HTTP port),
    /// of this build, or of the build under <paramref name="root"/> (another version's source tree, built).
    /// </summary>
    public static async Task<SiloProcess> StartAsync(string name, Dictionary<string, string?> settings, bool frontend = false, string? root = null)
    {
        var dll = frontend ? HostAssembly("frontend", "Jacameno.Frontend.dll", root) : HostAssembly("silo", "Jacameno.Silo.dll", root);
        var httpPort = TestServices.FreePort();
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["Urls"] = $"http://127.0.0.1:{httpPort}";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var silo = new SiloProcess(name, Process.Start(start)!, int.Parse(settings["Jacameno:Silo:Port"]!, CultureInfo.InvariantCulture),
            new Uri($"http://127.0.0.1:{httpPort}"));
        silo.process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        silo.process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        silo.process.BeginOutputReadLine();
        silo.process.BeginErrorReadLine();

        // The web host starts after the silo, so a live health endpoint means the silo has joined.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (silo.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with {silo.process.ExitCode}:\n{silo.Output}");
            }

            try
            {
                if ((await http.GetAsync(new Uri($"http://127.0.0.1:{httpPort}/health/live"))).IsSuccessStatusCode)
                {
                    return silo;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        await silo.DisposeAsync();
        throw new TimeoutException($"{name} did not start within 90 s:\n{silo.Output}");
    }

    /// <summary>
    /// Stops the process as an orchestrator does (SIGTERM): the silo leaves the cluster and hands its grains on. Killed
    /// if it has not ended within <paramref name="grace"/>.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        using (var signal = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            throw new TimeoutException($"{Name} did not stop within {grace.TotalSeconds} s of SIGTERM:\n{Output}");
        }
    }

    /// <summary>Kills the process outright, as a crash or a lost machine would.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            await KillAsync();
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    /// <summary>
    /// A host built beside the tests: tests/Jacameno.Frontend.Tests/bin/&lt;Configuration&gt;/net10.0 →
    /// &lt;folder&gt;/bin/&lt;Configuration&gt;/net10.0, in this repository or under <paramref name="root"/>.
    /// </summary>
    internal static string HostAssembly(string folder, string fileName, string? root = null)
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(root ?? TestServices.RepositoryRoot(), folder, "bin", bin.Parent!.Name, bin.Name, fileName);
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first (dotnet build Jacameno.sln).", dll);
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterPlatformCollection : ICollectionFixture<ClusterPlatform>
{
    public const string Name = "cluster platform";
}
