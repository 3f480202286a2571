using System.Security.Cryptography;
using System.Text;
using Orleans.Concurrency;

namespace Jacameno.Apps;

/// <summary>A personal access token as its owner sees it (the secret is shown once, at creation).</summary>
[GenerateSerializer, Immutable, Alias("jacameno.personal-token")]
public sealed record PersonalToken(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] IReadOnlyList<string> Scopes,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset ExpiresAt,
    [property: Id(5)] DateTimeOffset? LastUsedAt);

[GenerateSerializer, Immutable, Alias("jacameno.personal-token-created")]
public sealed record PersonalTokenCreated([property: Id(0)] PersonalToken Token, [property: Id(1)] string Secret);

/// <summary>
/// What third parties may do for one user: their personal access tokens. Keyed by the user's id; a token names its
/// user, so checking one is a single call to this grain, answered from memory.
/// </summary>
[Alias("jacameno.access-grants")]
public interface IAccessGrantsGrain : IGrainWithGuidKey
{
    /// <summary>Makes a token; the secret in the answer is never shown again.</summary>
    [Alias("create-token")]
    Task<PersonalTokenCreated> CreateTokenAsync(string name, IReadOnlyList<string> scopes, DateTimeOffset expiresAt);

    [Alias("tokens"), ReadOnly]
    Task<IReadOnlyList<PersonalToken>> TokensAsync();

    /// <summary>Ends a token at once; false when the user has no such token.</summary>
    [Alias("revoke-token")]
    Task<bool> RevokeTokenAsync(Guid tokenId);

    /// <summary>The token's scopes when <paramref name="tokenHash"/> is its hash and it is neither revoked nor expired; null otherwise.</summary>
    [Alias("authenticate")]
    Task<IReadOnlyList<string>?> AuthenticateAsync(Guid tokenId, string tokenHash);

    /// <summary>Ends every token (the user signed out everywhere, changed password or role, was banned or erased).</summary>
    [Alias("revoke-all")]
    Task RevokeAllAsync();
}

/// <summary>
/// A personal access token is <c>jcm_pat_{user id:N}{token id:N}{secret}</c>: whose and which token it is can be read
/// without a lookup, and the prefix lets secret scanners find leaked ones.
/// </summary>
public static class PersonalTokens
{
    public const string Prefix = "jcm_pat_";

    public static string Format(Guid userId, Guid tokenId, string secret) => $"{Prefix}{userId:N}{tokenId:N}{secret}";

    public static bool TryParse(string? token, out Guid userId, out Guid tokenId)
    {
        userId = tokenId = default;
        return token is { Length: > 72 and < 200 }
            && token.StartsWith(Prefix, StringComparison.Ordinal)
            && Guid.TryParseExact(token.AsSpan(Prefix.Length, 32), "N", out userId)
            && Guid.TryParseExact(token.AsSpan(Prefix.Length + 32, 32), "N", out tokenId);
    }

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
