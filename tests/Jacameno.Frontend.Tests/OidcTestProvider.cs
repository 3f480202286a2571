using System.Security.Claims;
using Jacameno.Tests;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Jacameno.Frontend.Tests;

/// <summary>Who the provider says signed in at its authorization endpoint.</summary>
public sealed record ProviderUser(string Subject, string? Email, bool EmailVerified, string Name = "Provider User");

/// <summary>
/// A real OpenID Connect provider on 127.0.0.1 (OpenIddict.Server, code flow, discovery, JWKS, signed id
/// tokens). It has no login page: its authorization endpoint signs in <see cref="NextUser"/> at once.
/// </summary>
public sealed class OidcTestProvider : IAsyncDisposable
{
    public const string ClientId = "jacameno";
    public const string ClientSecret = "test-secret-1234";

    private readonly WebApplication app;

    private OidcTestProvider(WebApplication app, Uri issuer)
    {
        this.app = app;
        Issuer = issuer;
    }

    public Uri Issuer { get; }

    public ProviderUser NextUser { get; set; } = new("subject-0", "someone@example.org", true);

    public static async Task<OidcTestProvider> StartAsync()
    {
        var issuer = new Uri($"http://127.0.0.1:{TestServices.FreePort()}/");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(issuer.ToString());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddOpenIddict().AddServer(server =>
        {
            server.SetIssuer(issuer)
                .SetAuthorizationEndpointUris("connect/authorize")
                .SetTokenEndpointUris("connect/token")
                .AllowAuthorizationCodeFlow()
                .RegisterScopes(Scopes.Email, Scopes.Profile)
                .AddEphemeralEncryptionKey()
                .AddEphemeralSigningKey()
                // No database: the handlers below do what the stores would (check the client).
                .EnableDegradedMode();
            server.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
            server.AddEventHandler<ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId || context.RedirectUri?.StartsWith("https://localhost/api/auth/external/", StringComparison.Ordinal) != true)
                {
                    context.Reject(Errors.InvalidClient, "Unknown client or redirect URI.");
                }

                return default;
            }));
            server.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId || context.Request.ClientSecret != ClientSecret)
                {
                    context.Reject(Errors.InvalidClient, "Wrong client credentials.");
                }

                return default;
            }));
        });

        var app = builder.Build();
        var provider = new OidcTestProvider(app, issuer);
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], (HttpContext http) =>
        {
            var request = http.GetOpenIddictServerRequest()!;
            var user = provider.NextUser;
            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, user.Subject).SetClaim(Claims.Name, user.Name).SetClaim(Claims.EmailVerified, user.EmailVerified);
            if (user.Email is not null)
            {
                identity.SetClaim(Claims.Email, user.Email);
            }

            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        await app.StartAsync();
        return provider;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
