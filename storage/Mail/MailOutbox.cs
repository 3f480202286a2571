using Jacameno.Storage.Catalog;
using static Jacameno.Storage.Catalog.SqlDialect;

namespace Jacameno.Storage.Mail;

/// <summary>The outbox as a table (<c>mail_outbox</c>), in SQL both databases share.</summary>
public sealed class MailOutbox(SqlDialect db, TimeProvider clock) : IMailOutbox
{
    public async Task EnqueueAsync(MailMessage message, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcTicks;
        await using var connection = await db.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            INSERT INTO mail_outbox (id, recipient, subject, text_body, html_body, created_at, due_at)
            VALUES (@id, @recipient, @subject, @text, @html, @now, @now)
            """, cancellationToken, c =>
        {
            Add(c, "id", db.IdValue(Guid.NewGuid()));
            Add(c, "recipient", message.To);
            Add(c, "subject", message.Subject);
            Add(c, "text", message.Text);
            Add(c, "html", message.Html);
            Add(c, "now", now);
        });
    }

    public async Task<IReadOnlyList<OutgoingMail>> ClaimAsync(int max, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // The outer condition is checked again on a row another sender claimed meanwhile (PostgreSQL re-reads a row
        // it waited for), so a mail is never claimed twice.
        command.CommandText = """
            UPDATE mail_outbox SET due_at = @lease, attempts = attempts + 1
            WHERE due_at <= @now AND id IN (SELECT id FROM mail_outbox WHERE due_at <= @now ORDER BY due_at LIMIT @max)
            RETURNING id, recipient, subject, text_body, html_body, created_at, attempts
            """;
        Add(command, "now", now.UtcTicks);
        Add(command, "lease", (now + lease).UtcTicks);
        Add(command, "max", max);
        var mails = new List<OutgoingMail>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            mails.Add(new OutgoingMail(db.ReadId(reader, 0),
                new MailMessage(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)),
                Ticks(reader.GetInt64(5)), reader.GetInt32(6)));
        }

        return [.. mails.OrderBy(m => m.CreatedAt)];
    }

    public async Task DeleteAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"DELETE FROM mail_outbox WHERE id IN ({db.InList(command, ids)})";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RetryAsync(Guid id, DateTimeOffset dueAt, string error, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "UPDATE mail_outbox SET due_at = @due, last_error = @error WHERE id = @id", cancellationToken, c =>
        {
            Add(c, "id", db.IdValue(id));
            Add(c, "due", dueAt.UtcTicks);
            Add(c, "error", error.Length > 500 ? error[..500] : error);
        });
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM mail_outbox";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
