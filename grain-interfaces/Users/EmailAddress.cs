using System.Net.Mail;
using Jacameno.Common;

namespace Jacameno.Users;

/// <summary>Email validation and the normalized form that keys <see cref="IEmailIndexGrain"/>.</summary>
public static class EmailAddress
{
    public const int MaxLength = 254;

    /// <summary>Trimmed and lower-cased; throws a validation error when it is not an address.</summary>
    public static string Normalize(string? email, string field = "email")
    {
        var trimmed = email?.Trim() ?? "";
        if (trimmed.Length is 0 or > MaxLength
            || !MailAddress.TryCreate(trimmed, out var parsed)
            || parsed.Address != trimmed
            || !parsed.Host.Contains('.', StringComparison.Ordinal))
        {
            throw DomainException.Invalid(field, "A valid email address is required.");
        }

        return trimmed.ToLowerInvariant();
    }
}
