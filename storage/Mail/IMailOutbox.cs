namespace Jacameno.Storage.Mail;

/// <summary>A mail to one person, in plain text and HTML.</summary>
public sealed record MailMessage(string To, string Subject, string Text, string Html);

/// <summary>A mail taken from the outbox to be sent; <see cref="Attempts"/> counts this one.</summary>
public sealed record OutgoingMail(Guid Id, MailMessage Message, DateTimeOffset CreatedAt, int Attempts);

/// <summary>
/// Mail waiting to be sent, in the database every frontend shares, so a mail asked for by a request survives a
/// restart and an SMTP outage, and no two senders send the same mail.
/// </summary>
public interface IMailOutbox
{
    Task EnqueueAsync(MailMessage message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes up to <paramref name="max"/> mails that are due, oldest first, for <paramref name="lease"/>: another sender
    /// takes them only after the lease ends (a sender that died with them).
    /// </summary>
    Task<IReadOnlyList<OutgoingMail>> ClaimAsync(int max, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Removes mails that were sent.</summary>
    Task DeleteAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default);

    /// <summary>Puts a mail that could not be sent back, due at <paramref name="dueAt"/>.</summary>
    Task RetryAsync(Guid id, DateTimeOffset dueAt, string error, CancellationToken cancellationToken = default);

    /// <summary>How many mails are waiting (sent ones are gone).</summary>
    Task<int> CountAsync(CancellationToken cancellationToken = default);
}
