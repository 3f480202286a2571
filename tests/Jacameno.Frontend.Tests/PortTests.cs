using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Jacameno.Tests;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// Embedded mode holds no fixed port (two instances run side by side with Orleans' usual ports taken), and a
/// port another program holds ends a start with one line naming the setting to change.
/// </summary>
public sealed class PortTests
{
    /// <summary>Takes a port for the test's length, or leaves it to whoever holds it already: the same situation.</summary>
    private static TcpListener? Hold(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            return listener;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    [Fact]
    public async Task TwoEmbeddedPlatforms_RunSideBySide_WhileOrleansUsualPortsAreTaken()
    {
        using var silo = Hold(11111);
        using var gateway = Hold(30000);
        await using var first = new EmbeddedPlatform();
        await using var second = new EmbeddedPlatform();
        foreach (var platform in new[] { first, second })
        {
            var user = await platform.RegisterAsync();
            using var client = platform.CreateClient(user.AccessToken);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/users/me")).StatusCode);
        }
    }

    [Theory]
    [InlineData("Jacameno:Silo:Port")]
    [InlineData("Jacameno:Silo:GatewayPort")]
    [InlineData("Urls")]
    public async Task APortInUse_EndsTheStartWithOneLineNamingTheSetting(string key)
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var dll = SiloProcess.HostAssembly("frontend", "Jacameno.Frontend.dll");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Jacameno__DataDirectory"] = EmbeddedPlatform.NewDataDirectory();
        start.Environment["Jacameno__Plugins__Enabled"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "None";
        start.Environment["Urls"] = $"http://127.0.0.1:{(key == "Urls" ? port : TestServices.FreePort())}";
        if (key != "Urls")
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        using var process = Process.Start(start)!;
        var (output, error) = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        var lines = (await error).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1, process.ExitCode);
        var line = Assert.Single(lines);
        Assert.StartsWith("Jacameno cannot start:", line);
        Assert.Contains(key == "Urls" ? "--urls" : key, line);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), line);
        Assert.DoesNotContain("Unhandled exception", await output);
    }
}
