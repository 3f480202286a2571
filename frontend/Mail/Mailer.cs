using Jacameno.Storage.Mail;

namespace Jacameno.Frontend.Mail;

/// <summary>
/// Asks for a mail to be sent: it is written to the outbox, durable before the request that asked for it answers,
/// and sent by <see cref="MailOutboxSender"/>, never inline (an SMTP server that is slow or down delays mail, not
/// requests).
/// </summary>
public sealed class Mailer(IMailOutbox outbox, MailOutboxSender sender)
{
    public async Task SendAsync(MailMessage mail, CancellationToken cancellationToken = default)
    {
        await outbox.EnqueueAsync(mail, cancellationToken);
        sender.Wake();
    }
}
