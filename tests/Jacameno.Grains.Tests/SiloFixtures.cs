using Jacameno.Hosting;
using Jacameno.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Jacameno.Grains.Tests;

/// <summary>A real silo host wired by AddJacamenoSilo, in one of the two modes.</summary>
public abstract class SiloFixture : IAsyncLifetime
{
    public IHost Host { get; private set; } = null!;

    public IServiceProvider Services => Host.Services;

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    protected abstract Task<Dictionary<string, string?>> ConfigurationAsync();

    /// <summary>Services to register before the silo's own (which add only what is missing).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async Task InitializeAsync()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(await ConfigurationAsync());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        ConfigureServices(builder.Services);
        builder.UseOrleans(silo => silo.AddJacamenoSilo(builder.Configuration));
        Host = builder.Build();
        await Host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}

/// <summary>Embedded mode: SQLite grain storage, reminders and catalog, a blob folder.</summary>
public class EmbeddedSiloFixture : SiloFixture
{
    public string DataDirectory { get; } = TestServices.TempDirectory();

    protected override Task<Dictionary<string, string?>> ConfigurationAsync() => Task.FromResult(new Dictionary<string, string?>
    {
        ["Jacameno:Mode"] = "Embedded",
        ["Jacameno:DataDirectory"] = DataDirectory,
        ["Jacameno:ClusterId"] = "embedded-" + Guid.NewGuid().ToString("N")[..8],
    });
}

/// <summary>Cluster mode: Redis membership, PostgreSQL (Orleans ADO.NET) storage and reminders, S3 blobs.</summary>
public sealed class ClusterSiloFixture : SiloFixture
{
    public string Postgres { get; private set; } = "";

    protected override async Task<Dictionary<string, string?>> ConfigurationAsync()
    {
        Postgres = await TestServices.CreatePostgresDatabaseAsync();
        return ClusterConfiguration(Postgres, "cluster-" + Guid.NewGuid().ToString("N")[..8]);
    }

    public static Dictionary<string, string?> ClusterConfiguration(string postgres, string clusterId, bool gpu = false) => new()
    {
        ["Jacameno:Mode"] = "Cluster",
        ["Jacameno:ClusterId"] = clusterId,
        ["Jacameno:Silo:Gpu"] = gpu ? "true" : "false",
        ["Jacameno:Silo:Port"] = TestServices.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Jacameno:Silo:GatewayPort"] = TestServices.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Jacameno:S3:ServiceUrl"] = TestServices.S3,
        ["Jacameno:S3:AccessKey"] = "S3RVER",
        ["Jacameno:S3:SecretKey"] = "S3RVER",
        ["Jacameno:S3:Bucket"] = "jacameno-" + clusterId,
        ["ConnectionStrings:postgres"] = postgres,
        ["ConnectionStrings:redis"] = TestServices.Redis,
    };
}

/// <summary>
/// An embedded silo whose grains read the time from <see cref="Clock"/>, a fake the test moves: what happens after a
/// day, or does not happen before a deadline, is proven without waiting for either.
/// </summary>
public sealed class FakeTimeSiloFixture : EmbeddedSiloFixture
{
    public WallClock Clock { get; } = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}

/// <summary>
/// A fake wall clock (the date and time grains read) over real timestamps and timers. Orleans takes the same
/// <see cref="TimeProvider"/> for its own request timeouts: with fake timestamps, a day's advance timed out every call
/// in flight (the membership table's, seen in the test log), so only the wall clock is fake.
/// </summary>
public sealed class WallClock(DateTimeOffset start) : Microsoft.Extensions.Time.Testing.FakeTimeProvider(start)
{
    public override long TimestampFrequency => System.TimestampFrequency;

    public override long GetTimestamp() => System.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, dueTime, period);
}
