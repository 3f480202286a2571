using Orleans.Concurrency;

namespace Jacameno.Users;

/// <summary>
/// One sign-in session: a chain of refresh tokens where each use yields the next. Presenting a token
/// that was already used revokes the whole family (OAuth 2.0 Security BCP, refresh token rotation).
/// Keyed by family id; the id is the first part of every token of the family.
/// </summary>
[Alias("jacameno.refresh-family")]
public interface IRefreshTokenFamilyGrain : IGrainWithGuidKey
{
    /// <summary>Starts the family for a user and returns its first token.</summary>
    [Alias("start")]
    Task<RefreshRotation> StartAsync(Guid userId);

    /// <summary>Exchanges the current token for the next; throws unauthorized for a used, revoked, expired or unknown token.</summary>
    [Alias("rotate")]
    Task<RefreshRotation> RotateAsync(string refreshToken);

    /// <summary>Revokes the family if <paramref name="refreshToken"/> belongs to it (logout); returns the user id.</summary>
    [Alias("revoke-with-token")]
    Task<Guid?> RevokeWithTokenAsync(string refreshToken);

    /// <summary>
    /// Whether the session is still on for <paramref name="userId"/>: every access token names its session, and is
    /// refused from the moment the session ends (logout, logout everywhere, a password change, a demotion).
    /// </summary>
    [Alias("is-active"), ReadOnly, AlwaysInterleave]
    Task<bool> IsActiveAsync(Guid userId);

    /// <summary>Revokes the family unconditionally (logout everywhere, password change).</summary>
    [Alias("revoke")]
    Task RevokeAsync();
}

/// <summary>A refresh token is <c>{family id:N}.{secret}</c>: the family it belongs to is readable without a lookup.</summary>
public static class RefreshTokens
{
    /// <summary>The family id a token names, or null when the token is not of our shape.</summary>
    public static Guid? FamilyOf(string? refreshToken) =>
        refreshToken is { Length: > 33 } && refreshToken[32] == '.'
            && Guid.TryParseExact(refreshToken.AsSpan(0, 32), "N", out var id)
            ? id
            : null;
}
