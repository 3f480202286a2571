using Jacameno.Hosting;
using Jacameno.Storage.Mail;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Jacameno.Frontend.Mail;

/// <summary>
/// Hands mails over: to the SMTP server (MailKit), all of a batch on one connection, or, with no SMTP server
/// configured, into <c>data/mail/</c> as .eml files a developer can open.
/// </summary>
public sealed partial class MailDelivery(IOptions<MailOptions> options, IConfiguration configuration, ILogger<MailDelivery> logger)
{
    /// <summary>Sends each mail; reports each one's failure (null when it was handed over). A failure to connect fails them all.</summary>
    public async Task<IReadOnlyList<Exception?>> DeliverAsync(IReadOnlyList<MailMessage> mails, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var results = new Exception?[mails.Count];
        if (o.Smtp.Host is not { Length: > 0 } host)
        {
            var folder = configuration.GetJacamenoOptions().DataPath("mail");
            Directory.CreateDirectory(folder);
            for (var i = 0; i < mails.Count; i++)
            {
                var path = Path.Combine(folder, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid():N}.eml");
                results[i] = await TryAsync(() => Message(mails[i]).WriteToAsync(path, cancellationToken));
                if (results[i] is null)
                {
                    LogWritten(logger, mails[i].Subject, path);
                }
            }

            return results;
        }

        using var smtp = new SmtpClient();
        if (await TryAsync(async () =>
            {
                await smtp.ConnectAsync(host, o.Smtp.Port, o.Smtp.Security, cancellationToken);
                if (o.Smtp.UserName is { Length: > 0 } user)
                {
                    await smtp.AuthenticateAsync(user, o.Smtp.Password ?? "", cancellationToken);
                }
            }) is { } connectFailure)
        {
            Array.Fill(results, connectFailure);
            return results;
        }

        for (var i = 0; i < mails.Count; i++)
        {
            results[i] = smtp.IsConnected
                ? await TryAsync(() => smtp.SendAsync(Message(mails[i]), cancellationToken))
                : new IOException("The SMTP server closed the connection.");
        }

        await TryAsync(() => smtp.DisconnectAsync(quit: true, cancellationToken));
        return results;
    }

    private MimeMessage Message(MailMessage mail)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.Value.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.Body = new BodyBuilder { TextBody = mail.Text, HtmlBody = mail.Html }.ToMessageBody();
        return message;
    }

    private static async Task<Exception?> TryAsync(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or TimeoutException or MailKit.ProtocolException
            or MailKit.CommandException or MailKit.Security.AuthenticationException or MailKit.Security.SslHandshakeException or ParseException
            or UnauthorizedAccessException or InvalidOperationException)
        {
            return e;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No SMTP server is configured: the mail \"{Subject}\" was written to {Path}")]
    private static partial void LogWritten(ILogger logger, string subject, string path);
}
