using System.Security.Claims;
using Jacameno.Frontend.Apps;
using Jacameno.Frontend.Auth.External;
using Jacameno.Hosting;
using Jacameno.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Jacameno.Frontend.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace Jacameno.Frontend.Auth;

/// <summary>Named authorization policies; later features authorize with these names.</summary>
public static class Policies
{
    public const string Authenticated = "authenticated";
    public const string Premium = "premium";
    public const string Admin = "admin";
}

public static class AuthSetup
{
    public const string RoleClaim = "role";

    /// <summary>The session (refresh token family) an access token belongs to; checked on every request.</summary>
    public const string SessionClaim = "sid";

    /// <summary>The default scheme: picks the handler for the kind of bearer token a request carries.</summary>
    public const string BearerScheme = "JacamenoBearer";

    public static IServiceCollection AddJacamenoAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var platform = configuration.GetJacamenoOptions();
        var auth = configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<AuthOptions>, AuthOptionsValidator>();

        var keyBytes = auth.SigningKey is { Length: > 0 } configured
            ? Convert.FromBase64String(configured)
            : platform.Mode == PlatformMode.Embedded
                ? KeyFile.LoadOrCreate(platform.DataPath("keys", "jwt-signing.key"))
                : throw new InvalidOperationException("Jacameno:Auth:SigningKey must be set in cluster mode: every frontend signs and checks tokens with it.");
        var key = new SymmetricSecurityKey(keyBytes);
        services.AddSingleton(new SigningKeyProvider(key));
        services.AddSingleton<TokenIssuer>();
        services.AddJacamenoExternalLogins(configuration, keyBytes);
        services.AddJacamenoOAuthServer(keyBytes);

        services.AddAuthentication(BearerScheme)
            // Personal access tokens have their own handler; every other bearer token is one of our JWTs.
            .AddPolicyScheme(BearerScheme, "Bearer token", o => o.ForwardDefaultSelector = http =>
                Apps.PersonalTokenAuthentication.SelectScheme(http) ?? JwtBearerDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, Apps.PersonalTokenAuthentication>(Apps.PersonalTokenAuthentication.SchemeName, null)
            .AddJwtBearer(o =>
            {
                o.TokenHandlers.Clear();
                o.TokenHandlers.Add(new CachingTokenHandler(TimeProvider.System));
                o.MapInboundClaims = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = auth.Issuer,
                    ValidAudience = auth.Audience,
                    IssuerSigningKey = key,
                    // Only our algorithm: "alg": "none" and algorithm confusion are refused.
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    RequireSignedTokens = true,
                    RequireExpirationTime = true,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = JwtRegisteredClaimNames.Sub,
                    RoleClaimType = RoleClaim,
                };
                o.Events = new JwtBearerEvents
                {
                    // A signature proves who issued the token, not that its session is still on: a token of a session
                    // that ended (logout, password change, demotion) is refused at once, on every frontend, instead of
                    // living out its 15 minutes. The session grain answers from memory, interleaved.
                    OnTokenValidated = async context =>
                    {
                        if (!await SessionIsActiveAsync(context.Principal!, context.HttpContext.RequestServices.GetRequiredService<IGrainFactory>()))
                        {
                            context.Fail(new SessionEndedException("The session of this access token has ended; sign in again."));
                        }
                    },
                    // Browsers cannot set headers on WebSockets: SignalR sends the token in the query string, and GraphQL
                    // WebSocket clients may too (or in their connection_init message).
                    OnMessageReceived = context =>
                    {
                        var path = context.HttpContext.Request.Path;
                        if (context.Request.Query["access_token"] is [{ Length: > 0 } token]
                            && (path.StartsWithSegments("/hubs", StringComparison.Ordinal)
                                || (path == "/graphql" && context.HttpContext.WebSockets.IsWebSocketRequest)))
                        {
                            context.Token = token;
                        }

                        return Task.CompletedTask;
                    },
                    OnChallenge = async context =>
                    {
                        context.HandleResponse();
                        var detail = context.AuthenticateFailure is SecurityTokenExpiredException
                            ? "The access token has expired; refresh it."
                            : context.AuthenticateFailure is SessionEndedException
                            ? "The session of this access token has ended; sign in again."
                            : context.AuthenticateFailure is not null
                                ? "The access token is invalid."
                                : "Sign in first: send an access token as 'Authorization: Bearer <token>'.";
                        context.Response.Headers.WWWAuthenticate = "Bearer";
                        await Problems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized", detail);
                    },
                    OnForbidden = context =>
                        Problems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden", "Your role does not allow this."),
                };
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Authenticated, p => p.RequireAuthenticatedUser())
            .AddPolicy(Policies.Premium, p => p.RequireRole(nameof(UserRole.Premium), nameof(UserRole.Admin)))
            .AddPolicy(Policies.Admin, p => p.RequireRole(nameof(UserRole.Admin)));
        return services;
    }

    /// <summary>
    /// Whether the session (refresh token family) of a validated access token is still on: a signature proves who
    /// issued the token, not that the user has not signed out since.
    /// </summary>
    public static async Task<bool> SessionIsActiveAsync(ClaimsPrincipal principal, IGrainFactory grains) =>
        Guid.TryParseExact(principal.FindFirstValue(SessionClaim), "N", out var session)
        && Guid.TryParse(principal.FindFirstValue(JwtRegisteredClaimNames.Sub), out var userId)
        && await grains.GetGrain<IRefreshTokenFamilyGrain>(session).IsActiveAsync(userId);

    /// <summary>The sign-in session of the caller's access token; null for a token without one (a personal access token's).</summary>
    public static Guid? SessionId(this ClaimsPrincipal user) =>
        Guid.TryParseExact(user.FindFirstValue(SessionClaim), "N", out var session) ? session : null;

    /// <summary>The signed-in user's id, or null for an anonymous caller (reads open to everyone).</summary>
    public static Guid? OptionalUserId(this ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true ? user.UserId() : null;

    /// <summary>The signed-in user's id (the token's subject).</summary>
    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(JwtRegisteredClaimNames.Sub), out var id)
            ? id
            : throw new Common.DomainException(Common.DomainErrorKind.Unauthorized, "Sign in first.");

    public static UserRole Role(this ClaimsPrincipal user) =>
        Enum.TryParse<UserRole>(user.FindFirstValue(RoleClaim), out var role) ? role : UserRole.User;
}

/// <summary>An access token whose session ended (logout, password change, demotion) before the token expired.</summary>
public sealed class SessionEndedException(string message) : SecurityTokenException(message);
