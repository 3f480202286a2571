using System.Diagnostics;
using Jacameno.Hosting;

namespace Jacameno.Frontend.Tests;

/// <summary>docker-compose.yml validates and names the configuration keys and endpoints the code uses.</summary>
public sealed class DeploymentFilesTests
{
    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Jacameno.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Jacameno.sln not found above the test binaries.");
    }

    [Fact]
    public async Task DockerCompose_Validates_AndMatchesTheCode()
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("docker-compose", ["-f", Path.Combine(root, "docker-compose.yml"), "config"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        start.Environment["JACAMENO_SIGNING_KEY"] = Convert.ToBase64String(new byte[48]);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, errors);

        // The keys the code binds (JacamenoOptions, AuthOptions, connection strings), as environment variables.
        foreach (var key in new[]
                 {
                     $"{JacamenoOptions.SectionName}__Mode: Cluster", "ConnectionStrings__postgres", "ConnectionStrings__redis",
                     "Jacameno__S3__ServiceUrl", "Jacameno__S3__Bucket", "Jacameno__Auth__SigningKey", "Jacameno__Silo__Gpu: \"true\"",
                     "Jacameno__Silo__AdvertisedAddress", "/health/live", "/health/ready", "capabilities:", "driver: nvidia",
                 })
        {
            Assert.Contains(key, output);
        }

        Assert.Contains("8081", await File.ReadAllTextAsync(Path.Combine(root, "silo", "appsettings.json")));
    }
}
