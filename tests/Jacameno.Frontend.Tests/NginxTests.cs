using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jacameno.Tests;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// deploy/nginx.conf, as shipped, in front of two frontends of one cluster (Debian's nginx, a silo and two frontends
/// in processes of their own): TLS, HTTP sent on to HTTPS, the client's address and scheme forwarded, and SignalR
/// connections that need several requests (negotiate, then long polling) staying on one frontend.
/// </summary>
public sealed class NginxTests
{
    [Fact]
    public async Task TheShippedNginxConfig_TerminatesTls_AndKeepsEachHubConnectionOnOneFrontend()
    {
        const string nginx = "/usr/sbin/nginx";
        Assert.True(File.Exists(nginx), "Debian's nginx is installed by scripts/test.sh.");
        var clusterId = "nginx-" + Guid.NewGuid().ToString("N")[..8];
        var postgres = await TestServices.CreatePostgresDatabaseAsync();
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Dictionary<string, string?> Settings() => new(ClusterPlatform.Settings(clusterId, key, postgres)) { ["Jacameno:TrustedProxies:0"] = "127.0.0.1/32" };

        await using var silo = await SiloProcess.StartAsync("silo", Settings());
        await using var one = await SiloProcess.StartAsync("frontend-1", Settings(), frontend: true);
        await using var two = await SiloProcess.StartAsync("frontend-2", Settings(), frontend: true);
        var (http, https) = (TestServices.FreePort(), TestServices.FreePort());
        var folder = Directory.CreateTempSubdirectory("jacameno-nginx-").FullName;
        WriteCertificate(folder);
        var site = File.ReadAllText(Path.Combine(TestServices.RepositoryRoot(), "deploy", "nginx.conf"))
            .Replace("frontend-1:8080", one.Http.Authority, StringComparison.Ordinal)
            .Replace("frontend-2:8080", two.Http.Authority, StringComparison.Ordinal)
            .Replace("listen 80;", $"listen 127.0.0.1:{http};", StringComparison.Ordinal)
            .Replace("listen 443 ssl", $"listen 127.0.0.1:{https} ssl", StringComparison.Ordinal)
            .Replace("/etc/nginx/certs", folder, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(folder, "site.conf"), site);
        File.WriteAllText(Path.Combine(folder, "nginx.conf"), $$"""
            daemon off;
            user root;
            worker_processes 1;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path {{folder}}/body;
                proxy_temp_path {{folder}}/proxy;
                fastcgi_temp_path {{folder}}/fastcgi;
                uwsgi_temp_path {{folder}}/uwsgi;
                scgi_temp_path {{folder}}/scgi;
                include {{folder}}/site.conf;
            }
            """);
        using var proxy = Process.Start(new ProcessStartInfo(nginx, ["-c", Path.Combine(folder, "nginx.conf"), "-p", folder]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        try
        {
            using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true, AllowAutoRedirect = false };
            using var client = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{https}") };
            await WaitAsync(client, proxy, folder);

            // Plain HTTP goes on to HTTPS.
            using var plain = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
            var redirect = await plain.GetAsync($"http://127.0.0.1:{http}/releases/x?y=1");
            Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
            Assert.StartsWith("https://127.0.0.1", redirect.Headers.Location!.ToString(), StringComparison.Ordinal);
            Assert.EndsWith("/releases/x?y=1", redirect.Headers.Location!.ToString(), StringComparison.Ordinal);

            // Over TLS, the frontends see HTTPS (the forwarded scheme of a trusted proxy): HSTS is on.
            var ready = await client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.True(ready.Headers.Contains("Strict-Transport-Security"), "the frontend did not see HTTPS");
            var (email, password) = ($"n{Guid.NewGuid():N}@example.org", "correct horse 9");
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/auth/register", new { email, password, displayName = "Through nginx" })).StatusCode);
            var token = (await (await client.PostAsJsonAsync("/api/auth/login", new { email, password })).BodyAsync()).GetProperty("accessToken").GetString()!;

            // SignalR over long polling: negotiate and every poll must reach the same frontend, or the connection
            // is unknown there (404). Several connections, several calls each; then WebSockets, through the upgrade.
            foreach (var transport in new[] { HttpTransportType.LongPolling, HttpTransportType.LongPolling, HttpTransportType.LongPolling, HttpTransportType.WebSockets })
            {
                await using var hub = new HubConnectionBuilder()
                    .WithUrl(new Uri(client.BaseAddress!, "/hubs/studio"), o =>
                    {
                        o.Transports = transport;
                        o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                        o.HttpMessageHandlerFactory = _ => new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
                        o.WebSocketConfiguration = ws => ws.RemoteCertificateValidationCallback = (_, _, _, _) => true;
                    })
                    .Build();
                await hub.StartAsync();
                for (var i = 0; i < 5; i++)
                {
                    var me = await hub.InvokeAsync<System.Text.Json.JsonElement>("WhoAmI");
                    Assert.False(string.IsNullOrEmpty(me.GetRawText()));
                }

                Assert.Equal(HubConnectionState.Connected, hub.State);
            }
        }
        finally
        {
            proxy.Kill();
            await proxy.WaitForExitAsync();
        }
    }

    private static async Task WaitAsync(HttpClient client, Process proxy, string folder)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(proxy.HasExited, "nginx exited: " + (File.Exists(Path.Combine(folder, "error.log")) ? File.ReadAllText(Path.Combine(folder, "error.log")) : await proxy.StandardError.ReadToEndAsync()));
            try
            {
                if ((await client.GetAsync("/health/live")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "nginx did not answer");
            await Task.Delay(200);
        }
    }

    /// <summary>A self-signed certificate for 127.0.0.1 as tls.crt and tls.key (PEM), as the config expects.</summary>
    private static void WriteCertificate(string folder)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(folder, "tls.crt"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "tls.key"), rsa.ExportPkcs8PrivateKeyPem());
    }
}
