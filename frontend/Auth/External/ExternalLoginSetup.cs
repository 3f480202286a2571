using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Client;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Jacameno.Frontend.Auth.External;

/// <summary>
/// Social login, section <c>Jacameno:Auth:External</c>. A provider is on when its client id is set.
/// </summary>
public sealed class ExternalLoginOptions
{
    public const string SectionName = "Jacameno:Auth:External";

    public ProviderCredentials GitHub { get; set; } = new();

    public ProviderCredentials Google { get; set; } = new();

    public ProviderCredentials Spotify { get; set; } = new();

    /// <summary>Any other OpenID Connect provider (Keycloak, Authentik, ...), by a name of the operator's choice.</summary>
    public Dictionary<string, OpenIdConnectProvider> OpenIdConnect { get; set; } = [];

    /// <summary>
    /// Absolute URLs a sign-in may return to besides this site's own paths, e.g. a mobile app's
    /// <c>jacameno://auth</c>, compared exactly (no prefixes: <c>jacameno://auth.evil</c> is not
    /// <c>jacameno://auth</c>). Anything else is refused, so the flow cannot be turned into an open redirect.
    /// </summary>
    public List<string> ReturnUrls { get; set; } = [];

    /// <summary>
    /// Refuse to start a sign-in from plain HTTP (cookies of the flow need HTTPS in browsers' SameSite rules).
    /// Default false, so embedded mode works on http://localhost; set it in production behind TLS.
    /// </summary>
    public bool RequireHttps { get; set; }
}

public class ProviderCredentials
{
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    internal bool IsConfigured => !string.IsNullOrWhiteSpace(ClientId);
}

public sealed class OpenIdConnectProvider : ProviderCredentials
{
    public Uri? Issuer { get; set; }

    public string? DisplayName { get; set; }
}

/// <summary>
/// One configured provider. <see cref="EmailIsVerified"/> says whether the provider vouches for the user's email;
/// only then may a sign-in attach to an existing account with that email.
/// </summary>
public sealed record ExternalProvider(string Name, string DisplayName, string RegistrationName, Func<ClaimsPrincipal, bool> EmailIsVerified);

public static class ExternalLoginSetup
{
    public static string CallbackPath(string provider) => $"api/auth/external/{provider}/callback";

    /// <summary>Registers the OpenIddict client with every configured provider; nothing when none is.</summary>
    public static IServiceCollection AddJacamenoExternalLogins(this IServiceCollection services, IConfiguration configuration, byte[] platformKey)
    {
        var options = configuration.GetSection(ExternalLoginOptions.SectionName).Get<ExternalLoginOptions>() ?? new ExternalLoginOptions();
        services.AddOptions<ExternalLoginOptions>().BindConfiguration(ExternalLoginOptions.SectionName);
        var providers = new List<ExternalProvider>();
        services.AddSingleton<IReadOnlyList<ExternalProvider>>(providers);
        services.AddSingleton<ExternalAccounts>();

        // GitHub only lets a verified address be a user's public email; Google and OpenID Connect say so in
        // email_verified; Spotify does not verify addresses, so its email never links to an existing account.
        if (options.GitHub.IsConfigured)
        {
            providers.Add(new("github", "GitHub", "GitHub", p => p.FindFirst(ClaimTypes.Email) is not null));
        }

        if (options.Google.IsConfigured)
        {
            providers.Add(new("google", "Google", "Google", EmailVerifiedClaim));
        }

        if (options.Spotify.IsConfigured)
        {
            providers.Add(new("spotify", "Spotify", "Spotify", _ => false));
        }

        foreach (var (name, oidc) in options.OpenIdConnect.Where(p => p.Value.IsConfigured))
        {
            if (oidc.Issuer is null || providers.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) || !IsRouteName(name))
            {
                throw new InvalidOperationException($"{ExternalLoginOptions.SectionName}:OpenIdConnect:{name} needs an Issuer and a unique name of letters, digits and '-'.");
            }

            providers.Add(new(name.ToLowerInvariant(), oidc.DisplayName ?? name, name, EmailVerifiedClaim));
        }

        if (providers.Count == 0)
        {
            return services;
        }

        services.AddOpenIddict().AddClient(client =>
        {
            client.AllowAuthorizationCodeFlow();
            // The flow's state token is encrypted and signed with keys derived from the platform key, so any
            // frontend of a cluster can finish a sign-in another one started. Replay is stopped by the
            // provider's one-time authorization code and the browser-bound correlation cookie.
            client.DisableTokenStorage();
            client.AddEncryptionKey(new SymmetricSecurityKey(Derive(platformKey, "external-login-encryption")));
            client.AddSigningKey(new SymmetricSecurityKey(Derive(platformKey, "external-login-signing")));

            // Errors at the callback (a forged or expired state, a denied consent) reach our endpoint too, which
            // answers them as problem details.
            var aspNetCore = client.UseAspNetCore().EnableRedirectionEndpointPassthrough().EnableErrorPassthrough();
            if (!options.RequireHttps)
            {
                aspNetCore.DisableTransportSecurityRequirement();
            }

            client.UseSystemNetHttp().SetProductInformation(typeof(ExternalLoginSetup).Assembly);

            var web = client.UseWebProviders();
            if (options.GitHub.IsConfigured)
            {
                web.AddGitHub(p => p.SetClientId(options.GitHub.ClientId!).SetClientSecret(options.GitHub.ClientSecret ?? "")
                    .SetRedirectUri(CallbackPath("github")).AddScopes("read:user", "user:email"));
            }

            if (options.Google.IsConfigured)
            {
                web.AddGoogle(p => p.SetClientId(options.Google.ClientId!).SetClientSecret(options.Google.ClientSecret ?? "")
                    .SetRedirectUri(CallbackPath("google")).AddScopes(Scopes.Email, Scopes.Profile));
            }

            if (options.Spotify.IsConfigured)
            {
                web.AddSpotify(p => p.SetClientId(options.Spotify.ClientId!).SetClientSecret(options.Spotify.ClientSecret ?? "")
                    .SetRedirectUri(CallbackPath("spotify")).AddScopes("user-read-email"));
            }

            foreach (var (name, oidc) in options.OpenIdConnect.Where(p => p.Value.IsConfigured))
            {
                client.AddRegistration(new OpenIddictClientRegistration
                {
                    Issuer = oidc.Issuer,
                    ProviderName = name,
                    ProviderDisplayName = oidc.DisplayName ?? name,
                    ClientId = oidc.ClientId,
                    ClientSecret = oidc.ClientSecret,
                    Scopes = { Scopes.OpenId, Scopes.Email, Scopes.Profile },
                    RedirectUri = new Uri(CallbackPath(name.ToLowerInvariant()), UriKind.Relative),
                });
            }
        });
        return services;
    }

    private static bool EmailVerifiedClaim(ClaimsPrincipal principal) =>
        string.Equals(principal.FindFirst(Claims.EmailVerified)?.Value, "true", StringComparison.OrdinalIgnoreCase);

    private static bool IsRouteName(string name) => name.Length is > 0 and <= 40 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static byte[] Derive(byte[] key, string purpose) => HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, info: Encoding.UTF8.GetBytes(purpose));
}
