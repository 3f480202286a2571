using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Jacameno.Tests;
using MimeKit;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// A real SMTP server (Debian's aiosmtpd) that keeps each mail it receives as a file of a Maildir, read back here.
/// <see cref="Shared"/> is the one the test script starts; a test that stops and starts its server starts its own.
/// </summary>
public sealed partial class SmtpSink : IAsyncDisposable
{
    // Each file parsed once (Lazy), its recipients read then: tests on many threads share these messages, and MimeKit's
    // address lists are not safe to enumerate from several threads at once.
    private readonly ConcurrentDictionary<string, Lazy<(DateTime Received, MimeMessage Message, string[] To)>> parsed = new();
    private Process? process;

    private SmtpSink(string host, int port, string maildir) => (Host, Port, Maildir) = (host, port, maildir);

    public static SmtpSink Shared { get; } = FromEnvironment();

    public string Host { get; }

    public int Port { get; }

    public string Maildir { get; }

    /// <summary>The platform's settings that send its mail here.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Jacameno:Mail:Smtp:Host"] = Host,
        ["Jacameno:Mail:Smtp:Port"] = Port.ToString(CultureInfo.InvariantCulture),
        ["Jacameno:Mail:Smtp:Security"] = "None",
    };

    /// <summary>A server of the test's own, on a free port, not yet started.</summary>
    public static SmtpSink Own() => new("127.0.0.1", TestServices.FreePort(), Path.Combine(TestServices.TempDirectory(), "maildir"));

    public async Task StartAsync()
    {
        process = Process.Start(new ProcessStartInfo("/usr/bin/python3",
            ["-m", "aiosmtpd", "-n", "-l", $"{Host}:{Port}", "-c", "aiosmtpd.handlers.Mailbox", Maildir])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync(Host, Port);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException($"The SMTP sink did not start on {Host}:{Port}.");
    }

    public async Task StopAsync()
    {
        if (process is { HasExited: false } running)
        {
            running.Kill();
            await running.WaitForExitAsync();
        }

        process?.Dispose();
        process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>Every mail received so far, oldest first (by when the file was written: a Date header has only seconds).</summary>
    public IReadOnlyList<MimeMessage> Messages()
    {
        var folder = Path.Combine(Maildir, "new");
        foreach (var file in Directory.Exists(folder) ? Directory.GetFiles(folder) : [])
        {
            parsed.GetOrAdd(file, f => new(() =>
            {
                var message = MimeMessage.Load(f);
                _ = message.TextBody; // decoded now, while only this thread holds the message
                return (File.GetLastWriteTimeUtc(f), message, [.. message.To.Mailboxes.Select(a => a.Address)]);
            }));
        }

        return [.. Parsed().Select(m => m.Message)];
    }

    private IEnumerable<(DateTime Received, MimeMessage Message, string[] To)> Parsed() =>
        parsed.Values.Select(m => m.Value).OrderBy(m => m.Received);

    /// <summary>The mails to <paramref name="to"/>, oldest first.</summary>
    public IReadOnlyList<MimeMessage> MessagesTo(string to)
    {
        Messages();
        return [.. Parsed().Where(m => m.To.Any(a => string.Equals(a, to, StringComparison.OrdinalIgnoreCase))).Select(m => m.Message)];
    }

    /// <summary>Waits (up to 20 s) for a mail to <paramref name="to"/> that <paramref name="match"/> accepts.</summary>
    public async Task<MimeMessage> WaitForAsync(string to, Func<MimeMessage, bool> match)
    {
        for (var attempt = 0; attempt < 400; attempt++)
        {
            if (MessagesTo(to).LastOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"No such mail reached {to}; it got: {string.Join(" | ", MessagesTo(to).Select(m => m.Subject))}");
    }

    /// <summary>The token of the newest link to <paramref name="path"/> mailed to <paramref name="to"/>.</summary>
    public async Task<string> LinkTokenAsync(string to, string path)
    {
        var mail = await WaitForAsync(to, m => LinkToken(m, path) is not null);
        return LinkToken(mail, path)!;
    }

    /// <summary>
    /// Confirms <paramref name="email"/> through <paramref name="client"/>'s platform by the newest verification link
    /// that platform mailed it. Other platforms of the test run may mail the same address (the configured admin): their
    /// links are unknown here and answer 400, so each is tried, newest first, until one works.
    /// </summary>
    public async Task VerifyAsync(HttpClient client, string email)
    {
        var tried = new HashSet<string>();
        for (var attempt = 0; attempt < 400; attempt++)
        {
            foreach (var token in MessagesTo(email).Reverse().Select(m => LinkToken(m, "verify-email")).OfType<string>().Where(tried.Add))
            {
                if ((await client.PostAsJsonAsync("/api/auth/verify-email", new { token })).StatusCode == System.Net.HttpStatusCode.OK)
                {
                    return;
                }
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"No working verification link reached {email}.");
    }

    public static string? LinkToken(MimeMessage mail, string path) =>
        Regex.Match(mail.TextBody ?? "", Regex.Escape(path) + "\\?token=([A-Za-z0-9_-]+)") is { Success: true } found ? found.Groups[1].Value : null;

    private static SmtpSink FromEnvironment()
    {
        var address = TestServices.Smtp;
        var colon = address.LastIndexOf(':');
        return new SmtpSink(address[..colon], int.Parse(address[(colon + 1)..], CultureInfo.InvariantCulture), TestServices.Maildir);
    }
}
