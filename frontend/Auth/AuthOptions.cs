using Microsoft.Extensions.Options;

namespace Jacameno.Frontend.Auth;

/// <summary>Token settings, section <c>Jacameno:Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Jacameno:Auth";

    /// <summary>
    /// HMAC-SHA256 key for access tokens, base64, at least 32 bytes. Required in cluster mode (every frontend
    /// must share it); embedded mode generates one once and keeps it in the data directory.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>Default <c>jacameno</c>.</summary>
    public string Issuer { get; set; } = "jacameno";

    /// <summary>Default <c>jacameno</c>.</summary>
    public string Audience { get; set; } = "jacameno";

    /// <summary>Access token lifetime. Default 15 minutes.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Emails that are made admins when they register or sign in (how an operator gets the first admin).</summary>
    public List<string> AdminEmails { get; set; } = [];
}

public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        if (options.SigningKey is not null)
        {
            Span<byte> buffer = stackalloc byte[512];
            if (!Convert.TryFromBase64String(options.SigningKey, buffer, out var length) || length < 32)
            {
                return ValidateOptionsResult.Fail("Jacameno:Auth:SigningKey must be base64 of at least 32 bytes.");
            }
        }

        return options.AccessTokenLifetime <= TimeSpan.Zero || options.AccessTokenLifetime > TimeSpan.FromDays(1)
            ? ValidateOptionsResult.Fail("Jacameno:Auth:AccessTokenLifetime must be between 0 and 1 day.")
            : ValidateOptionsResult.Success;
    }
}
