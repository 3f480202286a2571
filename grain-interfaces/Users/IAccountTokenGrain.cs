using System.Security.Cryptography;
using System.Text;

namespace Jacameno.Users;

/// <summary>What an emailed link is for.</summary>
public enum AccountTokenPurpose
{
    VerifyEmail,
    ProjectInvitation,
    ResetPassword,

    /// <summary>Confirms a new address; <see cref="AccountToken.Email"/> is the new one.</summary>
    ChangeEmail,

    /// <summary>Carries a signed-in user through a social provider's sign-in, to link that identity to their account.</summary>
    LinkLogin,
}

/// <summary>
/// What a link's token stands for: whose account (for an invitation, who invited), which address it was mailed
/// to, until when, and for an invitation, the project.
/// </summary>
[GenerateSerializer, Immutable, Alias("jacameno.account-token")]
public sealed record AccountToken(
    [property: Id(0)] AccountTokenPurpose Purpose,
    [property: Id(1)] Guid UserId,
    [property: Id(2)] string Email,
    [property: Id(3)] DateTimeOffset ExpiresAt,
    [property: Id(4)] Guid? ProjectId = null,
    [property: Id(5)] DateTimeOffset IssuedAt = default);

/// <summary>
/// One single-use token of an emailed link (verification, password reset, a new address, an invitation). Keyed by the token's hash (see
/// <see cref="AccountTokens.KeyOf"/>), so tokens never appear in grain ids, logs or metrics.
/// </summary>
[Alias("jacameno.account-token-grain")]
public interface IAccountTokenGrain : IGrainWithStringKey
{
    /// <summary>Binds the token; a token is issued once.</summary>
    [Alias("issue")]
    Task IssueAsync(AccountToken token);

    /// <summary>What the token stands for, without using it up; null when unknown, used, expired or for another purpose.</summary>
    [Alias("find")]
    Task<AccountToken?> FindAsync(AccountTokenPurpose purpose);

    /// <summary>What the token stands for, the first time only, and only for <paramref name="purpose"/>; null when unknown, used, expired or for another purpose.</summary>
    [Alias("redeem")]
    Task<AccountToken?> RedeemAsync(AccountTokenPurpose purpose);
}

public static class AccountTokens
{
    /// <summary>How long a verification link works.</summary>
    public static readonly TimeSpan VerifyEmailLifetime = TimeSpan.FromDays(2);

    /// <summary>How long a password reset link works.</summary>
    public static readonly TimeSpan ResetPasswordLifetime = TimeSpan.FromMinutes(30);

    /// <summary>How long the link confirming a new address works.</summary>
    public static readonly TimeSpan ChangeEmailLifetime = TimeSpan.FromDays(2);

    /// <summary>How long an invitation link works.</summary>
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(14);

    /// <summary>What every surface answers for a link that is unknown, used, expired or outdated: the same, so none tells which.</summary>
    public const string InvalidLink = "The link is invalid, has expired or was already used; ask for a new one.";

    public static TimeSpan LifetimeOf(AccountTokenPurpose purpose) => purpose switch
    {
        AccountTokenPurpose.ResetPassword => ResetPasswordLifetime,
        AccountTokenPurpose.ChangeEmail => ChangeEmailLifetime,
        AccountTokenPurpose.ProjectInvitation => InvitationLifetime,
        AccountTokenPurpose.LinkLogin => TimeSpan.FromMinutes(10),
        _ => VerifyEmailLifetime,
    };

    /// <summary>Issues a new link token for <paramref name="purpose"/>, good from <paramref name="now"/> for the purpose's lifetime; returns the token for the link.</summary>
    public static async Task<string> IssueAsync(IGrainFactory grains, AccountTokenPurpose purpose, Guid userId, string email, DateTimeOffset now, Guid? projectId = null)
    {
        var token = New();
        await grains.GetGrain<IAccountTokenGrain>(KeyOf(token)).IssueAsync(new AccountToken(purpose, userId, email, now + LifetimeOf(purpose), projectId, now));
        return token;
    }

    /// <summary>Uses up a link's token; a token that is malformed, unknown, used, expired or for another purpose is a validation error on <c>token</c>.</summary>
    public static async Task<AccountToken> RedeemAsync(IGrainFactory grains, string? token, AccountTokenPurpose purpose) =>
        !string.IsNullOrEmpty(token) && token.Length <= 100
            && await grains.GetGrain<IAccountTokenGrain>(KeyOf(token)).RedeemAsync(purpose) is { } redeemed
            ? redeemed
            : throw Common.DomainException.Invalid("token", InvalidLink);

    /// <summary>A new token: 256 random bits, URL-safe.</summary>
    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string KeyOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
