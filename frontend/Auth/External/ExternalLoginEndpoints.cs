using System.Security.Claims;
using Jacameno.Common;
using Jacameno.Frontend.Hosting;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Client.AspNetCore;

namespace Jacameno.Frontend.Auth.External;

public sealed record ExternalProviderResponse(string Name, string DisplayName, string StartUrl);

public sealed record RedeemCodeRequest(string? Code);

/// <summary>Where to send the browser to link a provider (a start URL carrying a single-use token for the signed-in user).</summary>
public sealed record LinkStartResponse(string Url);

/// <summary>
/// Social login for browsers and apps: start sends the browser to the provider; the provider returns it to the
/// callback, which sends it on to the return URL with a one-time <c>#code=</c> (or <c>#error=</c>); the app
/// redeems the code for the usual token pair.
/// </summary>
public static class ExternalLoginEndpoints
{
    private const string LinkProperty = "jacameno_link";

    public static IEndpointRouteBuilder MapExternalLoginEndpoints(this IEndpointRouteBuilder app)
    {
        var external = app.MapGroup("/api/auth/external").WithTags("Auth");

        external.MapGet("/", (IReadOnlyList<ExternalProvider> providers) => TypedResults.Ok(providers.Select(Describe)))
            .WithSummary("The social login providers this server offers.");

        external.MapGet("/{provider}/start", (string provider, string? returnUrl, string? link, IReadOnlyList<ExternalProvider> providers, ExternalAccounts accounts) =>
            {
                var found = Find(providers, provider);
                var target = accounts.ValidateReturnUrl(returnUrl)
                    ?? throw DomainException.Invalid("returnUrl", "Return to a path on this site or to an app URL the server allows.");
                var properties = new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictClientAspNetCoreConstants.Properties.ProviderName] = found.RegistrationName,
                    // Linking from settings: the token (checked at the callback) stands for the signed-in user.
                    [LinkProperty] = link is { Length: > 0 and <= 100 } ? link : null,
                })
                {
                    RedirectUri = target,
                };
                return Results.Challenge(properties, [OpenIddictClientAspNetCoreDefaults.AuthenticationScheme]);
            })
            .RequireRateLimiting(AuthEndpoints.RateLimitPolicy)
            .WithSummary("Sends the browser to the provider to sign in; it comes back to returnUrl with #code=… or #error=….");

        // The provider redirects here (GET) or posts a form here (form_post); OpenIddict has already checked
        // state, nonce and the correlation cookie and exchanged the code when this runs.
        external.MapMethods("/{provider}/callback", [HttpMethods.Get, HttpMethods.Post], async (string provider, HttpContext http,
                IReadOnlyList<ExternalProvider> providers, ExternalAccounts accounts) =>
            {
                var found = Find(providers, provider);
                var result = await http.AuthenticateAsync(OpenIddictClientAspNetCoreDefaults.AuthenticationScheme);
                var returnUrl = accounts.ValidateReturnUrl(result.Properties?.RedirectUri);
                if (!result.Succeeded || result.Principal is null || returnUrl is null)
                {
                    return Results.Problem(statusCode: 400, title: Problems.TitleOf(400),
                        detail: $"The sign-in with {found.DisplayName} could not be completed; start it again.");
                }

                string fragment;
                try
                {
                    if (result.Properties?.Items.TryGetValue(LinkProperty, out var link) == true && link is not null)
                    {
                        await accounts.LinkAsync(found, result.Principal, link);
                        fragment = "linked=" + Uri.EscapeDataString(found.Name);
                    }
                    else
                    {
                        var user = await accounts.ResolveAsync(found, result.Principal);
                        fragment = "code=" + Uri.EscapeDataString(await accounts.IssueCodeAsync(user.Id));
                    }
                }
                catch (DomainException error)
                {
                    var kind = error.Kind == DomainErrorKind.Conflict ? "account_exists" : "sign_in_failed";
                    fragment = $"error={kind}&error_description={Uri.EscapeDataString(error.Message)}";
                }

                return Results.Redirect(returnUrl + "#" + fragment);
            })
            .RequireRateLimiting(AuthEndpoints.RateLimitPolicy)
            .WithSummary("The provider sends the browser back here; it goes on to returnUrl#code=… or #error=…. Not for apps to call.");

        external.MapPost("/{provider}/link", async (string provider, string? returnUrl, ClaimsPrincipal user, IReadOnlyList<ExternalProvider> providers,
                ExternalAccounts accounts) => TypedResults.Ok(new LinkStartResponse(await accounts.StartLinkAsync(user.UserId(), Find(providers, provider), returnUrl))))
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Starts linking a provider to the signed-in account: send the browser to the returned url; it comes back to returnUrl (default /settings) with #linked=<provider> or #error=….");

        external.MapPost("/redeem", async (RedeemCodeRequest request, ExternalAccounts accounts) => TypedResults.Ok(await accounts.RedeemAsync(request.Code)))
            .WithSummary("Exchanges the one-time code from a social login for an access and refresh token.");

        return app;
    }

    public static ExternalProviderResponse Describe(ExternalProvider provider) =>
        new(provider.Name, provider.DisplayName, $"/api/auth/external/{provider.Name}/start");

    /// <summary>The provider by its name in any case; 404 when this server has none of that name.</summary>
    public static ExternalProvider Find(IReadOnlyList<ExternalProvider> providers, string name) =>
        providers.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw DomainException.NotFound($"Sign-in provider '{name}'");
}
