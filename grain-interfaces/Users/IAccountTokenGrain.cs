using System.Security.Cryptography;
using System.Text;

namespace Jacameno.Users;

/// <summary>What an emailed link is for.</summary>
public enum AccountTokenPurpose
{
    VerifyEmail,
    ProjectInvitation,
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
    [property: Id(4)] Guid? ProjectId = null);

/// <summary>
/// One single-use token of an emailed link (verification, and later recovery). Keyed by the token's hash (see
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

    /// <summary>How long an invitation link works.</summary>
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(14);

    /// <summary>A new token: 256 random bits, URL-safe.</summary>
    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string KeyOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
