using Jacameno.Storage.Mail;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Jacameno.Frontend.Mail;

/// <summary>
/// Drains the outbox: takes due mails in batches, hands each batch over on one connection, removes what was sent
/// and puts back what was not, due again after a wait that doubles (2 s, 4 s, … up to <see cref="MailOptions.MaxRetryDelay"/>).
/// Every frontend runs one; claims keep two from sending the same mail. It wakes when this frontend queues a mail,
/// and otherwise looks every few seconds for mails other frontends queued and retries that fell due.
/// </summary>
public sealed partial class MailOutboxSender(IMailOutbox outbox, MailDelivery delivery, IOptions<MailOptions> options, TimeProvider clock,
    ILogger<MailOutboxSender> logger) : BackgroundService
{
    private const int BatchSize = 100;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim wake = new(0, 1);

    public void Wake()
    {
        if (wake.CurrentCount == 0)
        {
            try
            {
                wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another caller woke it first.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int sent;
            try
            {
                sent = await SendDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database is away for a moment: mails wait in it, nothing is lost.
                LogDrainFailed(logger, e);
                sent = 0;
            }

            if (sent < BatchSize)
            {
                try
                {
                    await wake.WaitAsync(Poll, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Sends one batch of due mails; returns how many it took.</summary>
    private async Task<int> SendDueAsync(CancellationToken cancellationToken)
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
                await outbox.RetryAsync(mail.Id, now + RetryDelay(mail.Attempts), error.Message, cancellationToken);
            }
        }

        await outbox.DeleteAsync(done, cancellationToken);
        return mails.Count;
    }

    private TimeSpan RetryDelay(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Min(attempts, 20)), options.Value.MaxRetryDelay.TotalSeconds));

    // An address or a message the server refuses for good (5xx) does not get better by waiting.
    private static bool IsPermanent(Exception error) =>
        error is ParseException || error is SmtpCommandException { StatusCode: >= (SmtpStatusCode)500 };

    [LoggerMessage(Level = LogLevel.Warning, Message = "The mail \"{Subject}\" could not be sent (try {Attempts}): {Reason}; it will be tried again")]
    private static partial void LogRetry(ILogger logger, string subject, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The mail \"{Subject}\" was dropped after {Attempts} tries")]
    private static partial void LogDropped(ILogger logger, Exception exception, string subject, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "The mail outbox could not be read; trying again shortly")]
    private static partial void LogDrainFailed(ILogger logger, Exception exception);
}
