using Jacameno.Hosting;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Jacameno.Frontend.Mail;

/// <summary>Outgoing mail, section <c>Jacameno:Mail</c>. Without an SMTP host, mails are written as .eml files.</summary>
public sealed class MailOptions
{
    public const string SectionName = "Jacameno:Mail";

    /// <summary>The sender of every mail. Default <c>Jacameno &lt;no-reply@localhost&gt;</c>.</summary>
    public string From { get; set; } = "Jacameno <no-reply@localhost>";

    public SmtpOptions Smtp { get; set; } = new();
}

public sealed class SmtpOptions
{
    /// <summary>The SMTP server; unset means no SMTP: mails go to <c>data/mail/</c> as .eml files.</summary>
    public string? Host { get; set; }

    /// <summary>Default 587.</summary>
    public int Port { get; set; } = 587;

    /// <summary><c>Auto</c> (STARTTLS when offered), <c>StartTls</c>, <c>SslOnConnect</c> or <c>None</c>. Default Auto.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;

    public string? UserName { get; set; }

    public string? Password { get; set; }
}

public sealed class MailOptionsValidator : IValidateOptions<MailOptions>
{
    public ValidateOptionsResult Validate(string? name, MailOptions options) =>
        !MailboxAddress.TryParse(options.From, out _) ? ValidateOptionsResult.Fail($"{MailOptions.SectionName}:From is not a mail address: '{options.From}'.")
        : options.Smtp.Port is < 1 or > 65535 ? ValidateOptionsResult.Fail($"{MailOptions.SectionName}:Smtp:Port must be 1 to 65535.")
        : ValidateOptionsResult.Success;
}

/// <summary>A mail to one person, in plain text and HTML.</summary>
public sealed record MailMessage(string To, string Subject, string Text, string Html);

/// <summary>
/// Sends mail: through SMTP (MailKit) when configured, else into the data directory where a developer can open it.
/// A mail that cannot be sent is logged and reported as false, never thrown: the request that asked for it (a
/// sign-up, an invitation) already did its work, and its links can be asked for again.
/// </summary>
public sealed partial class Mailer(IOptions<MailOptions> options, IConfiguration configuration, ILogger<Mailer> logger)
{
    public async Task<bool> SendAsync(MailMessage mail, CancellationToken cancellationToken = default)
    {
        try
        {
            await DeliverAsync(mail, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or MailKit.ProtocolException or MailKit.CommandException
            or MailKit.Security.AuthenticationException or ParseException or UnauthorizedAccessException)
        {
            LogSendFailed(logger, e, mail.Subject);
            return false;
        }
    }

    private async Task DeliverAsync(MailMessage mail, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(o.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.Body = new BodyBuilder { TextBody = mail.Text, HtmlBody = mail.Html }.ToMessageBody();

        if (o.Smtp.Host is not { Length: > 0 } host)
        {
            var folder = configuration.GetJacamenoOptions().DataPath("mail");
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid():N}.eml");
            await message.WriteToAsync(path, cancellationToken);
            LogWritten(logger, mail.Subject, path);
            return;
        }

        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(host, o.Smtp.Port, o.Smtp.Security, cancellationToken);
        if (o.Smtp.UserName is { Length: > 0 } user)
        {
            await smtp.AuthenticateAsync(user, o.Smtp.Password ?? "", cancellationToken);
        }

        await smtp.SendAsync(message, cancellationToken);
        await smtp.DisconnectAsync(quit: true, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The mail \"{Subject}\" could not be sent")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string subject);

    [LoggerMessage(Level = LogLevel.Information, Message = "No SMTP server is configured: the mail \"{Subject}\" was written to {Path}")]
    private static partial void LogWritten(ILogger logger, string subject, string path);
}
