using System.Security.Claims;
using System.Text.Encodings.Web;
using Jacameno.Apps;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.Hosting;
using Jacameno.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Jacameno.Frontend.Apps;

/// <summary>
/// Signs in a request that carries a personal access token (<c>Bearer jcm_pat_…</c>; on WebSockets the
/// <c>access_token</c> query parameter, as for the web app's tokens). The token names its user and id, so the check
/// is one call to the user's <see cref="IAccessGrantsGrain"/>: a revoked token is refused at once, on every frontend.
/// </summary>
public sealed class PersonalTokenAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IGrainFactory grains)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "PersonalAccessToken";

    /// <summary>The claim holding a scoped token's scopes, space-separated (RFC 9068); absent on the web app's own tokens.</summary>
    public const string ScopeClaim = "scope";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = TokenOf(Context);
        if (!PersonalTokens.TryParse(token, out _, out _))
        {
            return AuthenticateResult.Fail("The access token is invalid.");
        }

        return await PrincipalAsync(grains, token!) is { } principal
            ? AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName))
            : AuthenticateResult.Fail("The personal access token is unknown, revoked or expired.");
    }

    /// <summary>
    /// The user a personal access token acts for, with its scopes; null for a malformed, unknown, revoked or expired
    /// one. Also how a GraphQL socket signed in with such a token checks that it still holds.
    /// </summary>
    public static async Task<ClaimsPrincipal?> PrincipalAsync(IGrainFactory grains, string token)
    {
        if (!PersonalTokens.TryParse(token, out var userId, out var tokenId)
            || await grains.GetGrain<IAccessGrantsGrain>(userId).AuthenticateAsync(tokenId, PersonalTokens.Hash(token)) is not { } scopes)
        {
            return null;
        }

        var user = await grains.GetGrain<IUserGrain>(userId).GetProfileAsync();
        var identity = new ClaimsIdentity(SchemeName, JwtRegisteredClaimNames.Sub, AuthSetup.RoleClaim);
        identity.AddClaim(new Claim(JwtRegisteredClaimNames.Sub, userId.ToString()));
        identity.AddClaim(new Claim(JwtRegisteredClaimNames.Name, user.DisplayName));
        identity.AddClaim(new Claim(AuthSetup.RoleClaim, user.Role.ToString()));
        identity.AddClaim(new Claim(ScopeClaim, string.Join(' ', scopes)));
        return new ClaimsPrincipal(identity);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await Context.AuthenticateAsync(SchemeName);
        Response.Headers.WWWAuthenticate = "Bearer";
        await Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Unauthorized",
            result.Failure?.Message ?? "Sign in first: send an access token as 'Authorization: Bearer <token>'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden", "Your role does not allow this.");

    /// <summary>
    /// The bearer token of a request: the Authorization header, or on the SignalR hub and GraphQL's WebSocket the
    /// access_token parameter (browsers cannot set headers on WebSockets).
    /// </summary>
    public static string? TokenOf(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        return http.Request.Query["access_token"] is [{ Length: > 0 } token]
            && (http.Request.Path.StartsWithSegments("/hubs", StringComparison.Ordinal)
                || (http.Request.Path == "/graphql" && http.WebSockets.IsWebSocketRequest))
            ? token
            : null;
    }

    /// <summary>Which scheme reads a request: personal access tokens here, everything else the JWT bearer handler.</summary>
    public static string? SelectScheme(HttpContext http) =>
        TokenOf(http)?.StartsWith(PersonalTokens.Prefix, StringComparison.Ordinal) == true ? SchemeName : null;
}
