using System.Security.Claims;
using Jacameno.Users;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Jacameno.Frontend.Auth;

/// <summary>The token pair every sign-in endpoint returns.</summary>
public sealed record TokenResponse(string AccessToken, string RefreshToken, int ExpiresIn, string TokenType, MeResponse User);

/// <summary>Issues signed JWT access tokens (HS256) and builds the token response.</summary>
public sealed class TokenIssuer(IOptions<AuthOptions> options, SigningKeyProvider keys, TimeProvider clock)
{
    private readonly JsonWebTokenHandler handler = new();

    public TokenResponse Issue(UserProfile user, RefreshRotation refresh) => new(
        AccessToken(user, RefreshTokens.FamilyOf(refresh.RefreshToken) ?? Guid.Empty),
        refresh.RefreshToken, (int)options.Value.AccessTokenLifetime.TotalSeconds, "Bearer", MeResponse.From(user));

    /// <summary>
    /// An access token of <paramref name="session"/>. The web app's carry no scope; an app's carry its granted
    /// <paramref name="scopes"/> and its client id, and are held to them (docs/apps.md).
    /// </summary>
    public string AccessToken(UserProfile user, Guid session, IReadOnlyList<string>? scopes = null, Guid? clientId = null)
    {
        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        List<Claim> claims =
        [
            new(JwtRegisteredClaimNames.Sub, user.Id.ToString()),
            new(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
            new(JwtRegisteredClaimNames.Name, user.DisplayName),
            new(AuthSetup.RoleClaim, user.Role.ToString()),
            new(AuthSetup.SessionClaim, session.ToString("N")),
        ];
        if (scopes is not null)
        {
            claims.Add(new Claim(Apps.PersonalTokenAuthentication.ScopeClaim, string.Join(' ', scopes)));
            claims.Add(new Claim("client_id", clientId?.ToString() ?? ""));
        }

        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = o.Issuer,
            Audience = o.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + o.AccessTokenLifetime,
            Subject = new ClaimsIdentity(claims),
            SigningCredentials = new SigningCredentials(keys.Key, SecurityAlgorithms.HmacSha256),
        });
    }
}

/// <summary>The one signing key: configured, or generated once into the data directory in embedded mode.</summary>
public sealed class SigningKeyProvider(SymmetricSecurityKey key)
{
    public SymmetricSecurityKey Key { get; } = key;
}
