using Jacameno.Frontend.Hosting;
using Jacameno.Storage.Mail;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Jacameno.Frontend.Mail;

/// <summary>
/// Drains the mail outbox: hands each batch of due mails over on one connection, removes what was sent and puts back
/// what was not, due again after a wait that doubles (2 s, 4 s, … up to <see cref="MailOptions.MaxRetryDelay"/>).
/// </summary>
public sealed partial class MailOutboxSender(IMailOutbox outbox, MailDelivery delivery, IOptions<MailOptions> options, TimeProvider clock,
    ILogger<MailOutboxSender> logger) : OutboxWorker("mail", logger)
{
    protected override async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var mails = await outbox.ClaimAsync(BatchSize, Lease, cancellationToken);
        if (mails.Count == 0)
        {
            return 0;
        }

        IReadOnlyList<Exception?> results;
        try
        {
            results = await delivery.DeliverAsync([.. mails.Select(m => m.Message)], cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: the mails are due again at once, for the next sender, instead of when the lease ends.
            // (One that was handed over just before may be sent twice; none is lost.)
            var stoppedAt = clock.GetUtcNow();
            foreach (var mail in mails)
            {
                await outbox.RetryAsync(mail.Id, stoppedAt, "The sender stopped.", CancellationToken.None);
            }

            throw;
        }

        var done = new List<Guid>();
        var now = clock.GetUtcNow();
        for (var i = 0; i < mails.Count; i++)
        {
            var (mail, error) = (mails[i], results[i]);
            if (error is null)
            {
                done.Add(mail.Id);
            }
            else if (IsPermanent(error) || now - mail.CreatedAt > options.Value.GiveUpAfter)
            {
                LogDropped(logger, error, mail.Message.Subject, mail.Attempts);
                done.Add(mail.Id);
            }
            else
            {
                LogRetry(logger, mail.Message.Subject, mail.Attempts, error.Message);
                await outbox.RetryAsync(mail.Id, now + RetryDelay(mail.Attempts, options.Value.MaxRetryDelay), error.Message, cancellationToken);
            }
        }

        await outbox.DeleteAsync(done, cancellationToken);
        return mails.Count;
    }

    // An address or a message the server refuses for good (5xx) does not get better by waiting.
    private static bool IsPermanent(Exception error) =>
        error is ParseException || error is SmtpCommandException { StatusCode: >= (SmtpStatusCode)500 };

    [LoggerMessage(Level = LogLevel.Warning, Message = "The mail \"{Subject}\" could not be sent (try {Attempts}): {Reason}; it will be tried again")]
    private static partial void LogRetry(ILogger logger, string subject, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The mail \"{Subject}\" was dropped after {Attempts} tries")]
    private static partial void LogDropped(ILogger logger, Exception exception, string subject, int attempts);
}
