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

    public TokenResponse Issue(UserProfile user, RefreshRotation refresh)
    {
        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = o.Issuer,
            Audience = o.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + o.AccessTokenLifetime,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, user.Id.ToString()),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
                new Claim(JwtRegisteredClaimNames.Name, user.DisplayName),
                new Claim(AuthSetup.RoleClaim, user.Role.ToString()),
                new Claim(AuthSetup.SessionClaim, (RefreshTokens.FamilyOf(refresh.RefreshToken) ?? Guid.Empty).ToString("N")),
            ]),
            SigningCredentials = new SigningCredentials(keys.Key, SecurityAlgorithms.HmacSha256),
        });
        return new TokenResponse(token, refresh.RefreshToken, (int)o.AccessTokenLifetime.TotalSeconds, "Bearer", MeResponse.From(user));
    }
}

/// <summary>The one signing key: configured, or generated once into the data directory in embedded mode.</summary>
public sealed class SigningKeyProvider(SymmetricSecurityKey key)
{
    public SymmetricSecurityKey Key { get; } = key;
}
