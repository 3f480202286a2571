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

    /// <summary>
    /// The longest wait between two tries of a mail that could not be sent (waits double from 2 seconds up to this).
    /// Default 5 minutes.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A mail still unsent this long after it was asked for is dropped (its links have expired). Default 3 days.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(3);

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
        : options.MaxRetryDelay <= TimeSpan.Zero ? ValidateOptionsResult.Fail($"{MailOptions.SectionName}:MaxRetryDelay must be positive.")
        : options.GiveUpAfter <= TimeSpan.Zero ? ValidateOptionsResult.Fail($"{MailOptions.SectionName}:GiveUpAfter must be positive.")
        : ValidateOptionsResult.Success;
}
