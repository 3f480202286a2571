using System.Security.Claims;
using System.Security.Cryptography;
using Jacameno.Apps;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.Hosting;
using Jacameno.Users;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Jacameno.Frontend.Apps;

/// <summary>
/// The OAuth 2.1 authorization server for registered apps (OpenIddict's server, authorization code with PKCE and refresh
/// tokens). OpenIddict runs without its database stores: the apps are grains, so the handlers here check the client and
/// its redirect URI, and a grant is a session (a refresh-token family) that every token of the app names. The access
/// tokens are the platform's own JWTs with the granted scopes, checked like every other token; revoking the app ends
/// its session, which refuses its access tokens at once and its refresh tokens at their next use.
/// </summary>
public static class OAuthServer
{
    public const string AuthorizePath = "/oauth/authorize";
    public const string TokenPath = "/oauth/token";

    /// <summary>The web app's page that asks the signed-in user to allow or deny the app.</summary>
    public const string ConsentPage = "/oauth/consent";

    private const string SessionClaim = "jacameno_session";
    private const string RotationClaim = "jacameno_rotation";
    private const string AccessTokenItem = "jacameno.oauth.access-token";

    public static IServiceCollection AddJacamenoOAuthServer(this IServiceCollection services, byte[] platformKey)
    {
        services.AddSingleton<AppService>();
        services.AddOpenIddict().AddServer(server =>
        {
            server.SetAuthorizationEndpointUris(AuthorizePath[1..])
                .SetTokenEndpointUris(TokenPath[1..])
                .AllowAuthorizationCodeFlow()
                .AllowRefreshTokenFlow()
                .RequireProofKeyForCodeExchange()
                .RegisterScopes([.. ApiScopes.All.Keys, Scopes.OfflineAccess])
                .SetAuthorizationCodeLifetime(TimeSpan.FromMinutes(5))
                .SetRefreshTokenLifetime(TimeSpan.FromDays(30))
                // Codes and refresh tokens must read on every frontend and after a restart: keys derived from the
                // platform's own key (the same on every frontend), one per purpose.
                .AddEncryptionKey(new SymmetricSecurityKey(Derive(platformKey, "oauth-encryption")))
                .AddSigningKey(new ECDsaSecurityKey(SigningKey(platformKey)))
                .EnableDegradedMode();
            server.UseAspNetCore()
                .EnableAuthorizationEndpointPassthrough()
                .EnableTokenEndpointPassthrough()
                // TLS ends at the operator's proxy; the forwarded headers say the scheme.
                .DisableTransportSecurityRequirement();

            // Before OpenIddict accepts any redirect URI: the client must exist and the URI be one it registered,
            // compared exactly, or the error is shown here instead of being sent to an unknown site.
            server.AddEventHandler<ValidateAuthorizationRequestContext>(handler => handler
                .UseInlineHandler(async context =>
                {
                    var app = await AppOf(context.Transaction, context.ClientId);
                    if (app is null)
                    {
                        // invalid_request (400), not invalid_client (401): nobody here failed to authenticate.
                        context.Reject(Errors.InvalidRequest, "No app has this client_id.");
                    }
                    else if (context.RedirectUri is null || !app.RedirectUris.Contains(context.RedirectUri, StringComparer.Ordinal))
                    {
                        context.Reject(Errors.InvalidRequest, "The redirect_uri is not one the app registered.");
                    }
                    else if (context.Request.CodeChallengeMethod is not CodeChallengeMethods.Sha256)
                    {
                        context.Reject(Errors.InvalidRequest, "Send a PKCE code_challenge with code_challenge_method=S256.");
                    }
                    else if (context.Request.GetScopes().FirstOrDefault(s => !ApiScopes.All.ContainsKey(s) && s != Scopes.OfflineAccess) is { } unknown)
                    {
                        context.Reject(Errors.InvalidScope, $"Unknown scope '{(unknown.Length > 40 ? unknown[..40] : unknown)}'; scopes are {string.Join(' ', ApiScopes.All.Keys)}.");
                    }
                })
                .SetOrder(OpenIddictServerHandlers.Authentication.ValidateClientIdParameter.Descriptor.Order + 1));

            server.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseInlineHandler(async context =>
            {
                var app = await AppOf(context.Transaction, context.ClientId);
                var secret = context.Request.ClientSecret;
                if (app is null)
                {
                    context.Reject(Errors.InvalidClient, "No app has this client_id.");
                }
                else if (app.Confidential
                    ? secret is null || !await Grains(context.Transaction).GetGrain<IOAuthAppGrain>(app.ClientId).CheckSecretAsync(secret)
                    : secret is not null)
                {
                    context.Reject(Errors.InvalidClient, app.Confidential ? "Wrong client credentials." : "A public app has no client secret.");
                }
            }));

            // The consent page posts the user's decision with fetch: it gets the app's redirect as JSON to follow,
            // since a cross-site 302 is opaque to fetch.
            server.AddEventHandler<ApplyAuthorizationResponseContext>(handler => handler
                .UseInlineHandler(async context =>
                {
                    var http = context.Transaction.GetHttpRequest()?.HttpContext;
                    if (http is null || !HttpMethods.IsPost(http.Request.Method) || context.RedirectUri is null)
                    {
                        return;
                    }

                    var target = Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(context.RedirectUri,
                        context.Response.GetParameters().Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)));
                    http.Response.StatusCode = StatusCodes.Status200OK;
                    await http.Response.WriteAsJsonAsync(new { redirectTo = target });
                    context.HandleRequest();
                })
                .SetOrder(OpenIddictServerAspNetCoreHandlers.Authentication.ProcessQueryResponse.Descriptor.Order - 1));

            // The access token in the answer is the platform's JWT, made by the token endpoint below.
            server.AddEventHandler<ApplyTokenResponseContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.Transaction.GetHttpRequest()?.HttpContext.Items[AccessTokenItem] is string token)
                {
                    context.Response.AccessToken = token;
                }

                return default;
            }));
        });
        return services;
    }

    public static IEndpointRouteBuilder MapOAuthServerEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods(AuthorizePath, [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync).ExcludeFromDescription();
        app.MapPost(TokenPath, TokenAsync).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// GET (the app sent the browser here): on to the web app's consent page with the same parameters. POST (that page,
    /// with the user's own web app token and <c>decision=allow|deny</c>): the code, or access_denied, for the app.
    /// </summary>
    private static async Task<IResult> AuthorizeAsync(HttpContext http, IGrainFactory grains)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("OpenIddict did not handle the request.");
        if (HttpMethods.IsGet(http.Request.Method))
        {
            return Results.Redirect(ConsentPage + http.Request.QueryString);
        }

        if (http.User.OptionalUserId() is not { } userId)
        {
            return Problem(401, "Sign in to the Jacameno app first.");
        }

        if (ScopeRules.ScopesOf(http.User) is not null)
        {
            return Problem(403, ScopeRules.NotForApps);
        }

        if (request["decision"]?.ToString() != "allow")
        {
            return OAuthError(Errors.AccessDenied, "The user did not allow the app.");
        }

        var clientId = Guid.Parse(request.ClientId!);
        var appInfo = (await grains.GetGrain<IOAuthAppGrain>(clientId).GetAsync())!;
        var scopes = request.GetScopes().Where(ApiScopes.All.ContainsKey).Order(StringComparer.Ordinal).ToList();
        if (scopes.Count == 0)
        {
            return OAuthError(Errors.InvalidScope, $"Ask for at least one scope: {string.Join(' ', ApiScopes.All.Keys)}.");
        }

        var started = await grains.GetGrain<IAccessGrantsGrain>(userId).GrantAppAsync(clientId, appInfo.Name, scopes);
        return SignIn(userId, started.Grant.SessionId, scopes, started.SessionToken);
    }

    /// <summary>Code or refresh token in, a new access token (the platform's JWT) and refresh token out, while the grant holds.</summary>
    private static async Task<IResult> TokenAsync(HttpContext http, IGrainFactory grains, TokenIssuer tokens)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("OpenIddict did not handle the request.");
        var principal = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        if (principal is null
            || !Guid.TryParse(principal.GetClaim(Claims.Subject), out var userId)
            || !Guid.TryParse(principal.GetClaim(SessionClaim), out var session)
            || await RotateAsync(grains, session, userId, principal.GetClaim(RotationClaim)) is not { } next)
        {
            return OAuthError(Errors.InvalidGrant, "The grant has ended: the user revoked the app or signed out everywhere, or this code or refresh token was already used.");
        }

        var scopes = principal.GetScopes().Where(ApiScopes.All.ContainsKey).ToList();
        var user = await grains.GetGrain<IUserGrain>(userId).GetProfileAsync();
        http.Items[AccessTokenItem] = tokens.AccessToken(user, session, scopes, Guid.Parse(request.ClientId!));
        return SignIn(userId, session, scopes, next);
    }

    /// <summary>
    /// Each code and refresh token carries the current token of the grant's rotation chain; redeeming one moves the chain
    /// on. A code or refresh token presented twice finds its link already used, which ends the grant and every token
    /// of the app (OAuth 2.1: single-use codes, refresh token rotation with reuse detection). Null when refused.
    /// </summary>
    private static async Task<string?> RotateAsync(IGrainFactory grains, Guid session, Guid userId, string? current)
    {
        try
        {
            var next = await grains.GetGrain<IRefreshTokenFamilyGrain>(session).RotateAsync(current ?? "");
            return next.UserId == userId ? next.RefreshToken : null;
        }
        catch (Common.DomainException)
        {
            return null;
        }
    }

    private static IResult SignIn(Guid userId, Guid session, IReadOnlyList<string> scopes, string rotation)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, userId.ToString()).SetClaim(SessionClaim, session.ToString("N")).SetClaim(RotationClaim, rotation);
        // Refresh tokens come with offline_access: every app gets one, as the grant itself is what the user revokes.
        identity.SetScopes([.. scopes, Scopes.OfflineAccess]);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>An OAuth error for the app: at the token endpoint a JSON answer, at the authorization endpoint a redirect to it.</summary>
    private static IResult OAuthError(string error, string description) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    private static IResult Problem(int status, string detail) =>
        Results.Problem(statusCode: status, title: Problems.TitleOf(status), detail: detail);

    private static IGrainFactory Grains(OpenIddictServerTransaction transaction) =>
        transaction.GetHttpRequest()!.HttpContext.RequestServices.GetRequiredService<IGrainFactory>();

    private static async Task<OAuthApp?> AppOf(OpenIddictServerTransaction transaction, string? clientId) =>
        Guid.TryParse(clientId, out var id) ? await Grains(transaction).GetGrain<IOAuthAppGrain>(id).GetAsync() : null;

    /// <summary>
    /// OpenIddict signs with an asymmetric key: a P-256 key whose private scalar is derived from the platform key, so
    /// every frontend holds the same one without another secret to distribute. Its public half is never published
    /// (no JWKS endpoint): only this server reads what it signs.
    /// </summary>
    private static ECDsa SigningKey(byte[] platformKey)
    {
        var key = ECDsa.Create();
        key.ImportParameters(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = Derive(platformKey, "oauth-signing") });
        return key;
    }

    private static byte[] Derive(byte[] key, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, info: System.Text.Encoding.UTF8.GetBytes(purpose));
}
