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

/// <summary>An app the user let act for them, with what it may do.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.app-grant")]
public sealed record AppGrant(
    [property: Id(0)] Guid ClientId,
    [property: Id(1)] string AppName,
    [property: Id(2)] IReadOnlyList<string> Scopes,
    [property: Id(3)] DateTimeOffset GrantedAt,
    [property: Id(4)] Guid SessionId);

/// <summary>A new grant, with the first token of its session's rotation chain (held inside the app's code, then refresh token).</summary>
[GenerateSerializer, Immutable, Alias("jacameno.app-grant-started")]
public sealed record AppGrantStarted([property: Id(0)] AppGrant Grant, [property: Id(1)] string SessionToken);

[GenerateSerializer, Immutable, Alias("jacameno.personal-token-created")]
public sealed record PersonalTokenCreated([property: Id(0)] PersonalToken Token, [property: Id(1)] string Secret);

/// <summary>
/// What third parties may do for one user: their personal access tokens, the apps they authorised, and the apps they
/// registered as a developer. Keyed by the user's id; a token names its
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

    /// <summary>
    /// Lets an app act for the user with <paramref name="scopes"/>: a new session (refresh-token family) that every token of
    /// the app names, so revoking the grant ends them all at once. Replaces an earlier grant to the same app.
    /// </summary>
    [Alias("grant-app")]
    Task<AppGrantStarted> GrantAppAsync(Guid clientId, string appName, IReadOnlyList<string> scopes);

    [Alias("app-grants"), ReadOnly]
    Task<IReadOnlyList<AppGrant>> AppGrantsAsync();

    /// <summary>Ends the app's grant and every token it holds; false when the user had not authorised it.</summary>
    [Alias("revoke-app")]
    Task<bool> RevokeAppAsync(Guid clientId);

    /// <summary>Apps the user registered as a developer.</summary>
    [Alias("registered-apps"), ReadOnly]
    Task<IReadOnlyList<Guid>> RegisteredAppsAsync();

    [Alias("set-registered-app")]
    Task SetRegisteredAppAsync(Guid clientId, bool registered);

    /// <summary>Ends every token and app grant (the user signed out everywhere, changed password or role, was banned or erased).</summary>
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
