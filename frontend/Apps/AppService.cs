using Jacameno.Apps;
using Jacameno.Common;

namespace Jacameno.Frontend.Apps;

public sealed record RegisterAppRequest(string? Name, IReadOnlyList<string?>? RedirectUris, bool? Confidential);

public sealed record AppResponse(Guid ClientId, string Name, IReadOnlyList<string> RedirectUris, bool Confidential, DateTimeOffset CreatedAt)
{
    public static AppResponse From(OAuthApp app) => new(app.ClientId, app.Name, app.RedirectUris, app.Confidential, app.CreatedAt);
}

/// <summary>A registered app, with its client secret: shown once (null for a public app, which uses PKCE alone).</summary>
public sealed record RegisteredAppResponse(AppResponse App, string? ClientSecret);

/// <summary>What the consent screen shows: the app and what it asks for.</summary>
public sealed record AppConsentResponse(Guid ClientId, string Name, string Developer, IReadOnlyDictionary<string, string> Scopes);

public sealed record AppGrantResponse(Guid ClientId, string AppName, IReadOnlyList<string> Scopes, DateTimeOffset GrantedAt)
{
    public static AppGrantResponse From(AppGrant g) => new(g.ClientId, g.AppName, g.Scopes, g.GrantedAt);
}

/// <summary>Third-party apps: developers register them; users authorise them (OAuth, <see cref="OAuthServer"/>) and revoke them.</summary>
public sealed class AppService(IGrainFactory grains)
{
    public const int MaxRedirectUris = 10;

    public async Task<RegisteredAppResponse> RegisterAsync(Guid ownerId, RegisterAppRequest request)
    {
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > 80)
        {
            throw DomainException.Invalid("name", "Name the app (1-80 characters); users see it when they authorise it.");
        }

        var uris = (request.RedirectUris ?? []).Select(u => u?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList();
        if (uris.Count is 0 or > MaxRedirectUris)
        {
            throw DomainException.Invalid("redirectUris", $"Give 1 to {MaxRedirectUris} redirect URIs.");
        }

        foreach (var uri in uris)
        {
            if (RedirectUriProblem(uri) is { } problem)
            {
                throw DomainException.Invalid("redirectUris", problem);
            }
        }

        var clientId = Guid.NewGuid();
        await grains.GetGrain<IAccessGrantsGrain>(ownerId).SetRegisteredAppAsync(clientId, registered: true);
        var secret = await grains.GetGrain<IOAuthAppGrain>(clientId).RegisterAsync(ownerId, name, uris, request.Confidential ?? false);
        return new RegisteredAppResponse(AppResponse.From((await grains.GetGrain<IOAuthAppGrain>(clientId).GetAsync())!), secret);
    }

    /// <summary>
    /// Why a redirect URI is refused, or null: https anywhere, http only to the loopback (native apps, RFC 8252), or a
    /// private-use scheme with a dot (<c>com.example.app:/callback</c>, mobile apps); never user info or a fragment.
    /// </summary>
    public static string? RedirectUriProblem(string uri)
    {
        if (uri.Length > 2000 || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            return $"'{Short(uri)}' is not an absolute URI.";
        }

        if (parsed.UserInfo.Length > 0 || parsed.Fragment.Length > 0 || uri.Contains('#', StringComparison.Ordinal))
        {
            return $"'{Short(uri)}' may hold neither user info nor a fragment.";
        }

        return parsed.Scheme switch
        {
            "https" => null,
            "http" when parsed.IsLoopback => null,
            "http" => $"'{Short(uri)}': plain http is allowed only to 127.0.0.1, [::1] or localhost.",
            var scheme when scheme.Contains('.', StringComparison.Ordinal) => null,
            _ => $"'{Short(uri)}': use https, a loopback http address, or a private-use scheme such as com.example.app:/callback.",
        };
    }

    private static string Short(string text) => text.Length <= 80 ? text : text[..80] + "…";

    public async Task<IReadOnlyList<AppResponse>> MineAsync(Guid ownerId)
    {
        var ids = await grains.GetGrain<IAccessGrantsGrain>(ownerId).RegisteredAppsAsync();
        var apps = await Task.WhenAll(ids.Select(id => grains.GetGrain<IOAuthAppGrain>(id).GetAsync()));
        return [.. apps.OfType<OAuthApp>().Select(AppResponse.From)];
    }

    public async Task DeleteAsync(Guid ownerId, Guid clientId)
    {
        if (!await grains.GetGrain<IOAuthAppGrain>(clientId).DeleteAsync(ownerId))
        {
            throw new DomainException(DomainErrorKind.NotFound, "No such app.");
        }

        await grains.GetGrain<IAccessGrantsGrain>(ownerId).SetRegisteredAppAsync(clientId, registered: false);
    }

    public async Task<AppConsentResponse> ConsentAsync(Guid clientId, string? scope)
    {
        var app = await grains.GetGrain<IOAuthAppGrain>(clientId).GetAsync()
            ?? throw new DomainException(DomainErrorKind.NotFound, "No such app.");
        var scopes = ApiScopes.Parse([scope], out var error);
        if (error is not null)
        {
            throw DomainException.Invalid("scope", error);
        }

        var developer = await grains.GetGrain<Jacameno.Users.IUserGrain>(app.OwnerId).GetProfileAsync();
        return new AppConsentResponse(app.ClientId, app.Name, developer.DisplayName, scopes.ToDictionary(s => s, s => ApiScopes.All[s]));
    }

    public async Task<IReadOnlyList<AppGrantResponse>> GrantsAsync(Guid userId) =>
        [.. (await grains.GetGrain<IAccessGrantsGrain>(userId).AppGrantsAsync()).Select(AppGrantResponse.From)];

    public async Task RevokeGrantAsync(Guid userId, Guid clientId)
    {
        if (!await grains.GetGrain<IAccessGrantsGrain>(userId).RevokeAppAsync(clientId))
        {
            throw new DomainException(DomainErrorKind.NotFound, "You have not authorised that app.");
        }
    }
}
