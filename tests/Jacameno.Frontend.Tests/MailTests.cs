using System.Net;
using System.Net.Http.Json;

namespace Jacameno.Frontend.Tests;

/// <summary>Outgoing mail: the durable outbox against a real SMTP server that goes away, and the embedded default without one.</summary>
public sealed class MailTests
{
    /// <summary>
    /// A thousand reset mails asked for while the SMTP server is down, then the platform restarted: once the
    /// server is back, every one arrives, and none twice.
    /// </summary>
    [Fact]
    public async Task AThousandMails_AskedForWhileSmtpIsDown_AllArriveOnce_AfterARestart()
    {
        await using var sink = SmtpSink.Own();
        var data = EmbeddedPlatform.NewDataDirectory();
        var settings = new Dictionary<string, string?>(sink.Settings) { ["Jacameno:Mail:MaxRetryDelay"] = "00:00:01" };
        var email = $"burst-{Guid.NewGuid():N}@example.org";
        await using (var platform = new EmbeddedPlatform(data, settings))
        {
            await platform.RegisterAsync(email, verified: false);
            using var client = platform.CreateClient();
            var statuses = new List<HttpStatusCode>();
            await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, ct) =>
            {
                var response = await client.PostAsJsonAsync("/api/auth/password-reset", new { email }, ct);
                lock (statuses)
                {
                    statuses.Add(response.StatusCode);
                }
            });
            Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Accepted, s));
            await Task.Delay(1500); // the sender tries, fails to connect, and puts the mails back
        }

        await sink.StartAsync();
        await using (var restarted = new EmbeddedPlatform(data, settings))
        {
            using var client = restarted.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
            for (var wait = 0; wait < 600 && sink.MessagesTo(email).Count < 1001; wait++)
            {
                await Task.Delay(100);
            }
        }

        var mails = sink.MessagesTo(email);
        var resets = mails.Select(m => SmtpSink.LinkToken(m, "reset-password")).OfType<string>().ToList();
        Assert.Equal(1000, resets.Count);
        Assert.Equal(1000, resets.Distinct().Count());
        Assert.Single(mails, m => SmtpSink.LinkToken(m, "verify-email") is not null);
        Assert.Equal(1001, mails.Count);
    }

    /// <summary>With no SMTP server configured (the embedded default), mails are written as .eml files under data/mail.</summary>
    [Fact]
    public async Task WithoutSmtp_MailsAreWrittenToTheDataDirectory()
    {
        var data = EmbeddedPlatform.NewDataDirectory();
        await using var platform = new EmbeddedPlatform(data, new Dictionary<string, string?> { ["Jacameno:Mail:Smtp:Host"] = "" });
        var email = $"eml-{Guid.NewGuid():N}@example.org";
        await platform.RegisterAsync(email, verified: false);

        var folder = Path.Combine(data, "mail");
        for (var wait = 0; wait < 200 && !(Directory.Exists(folder) && Directory.GetFiles(folder, "*.eml").Length > 0); wait++)
        {
            await Task.Delay(50);
        }

        using var mail = await MimeKit.MimeMessage.LoadAsync(Assert.Single(Directory.GetFiles(folder, "*.eml")));
        Assert.Equal(email, mail.To.Mailboxes.Single().Address);
        Assert.NotNull(SmtpSink.LinkToken(mail, "verify-email"));
        Assert.Contains("<a href=", mail.HtmlBody, StringComparison.Ordinal);
    }
}
