using System.Security.Claims;
using Jacameno.Apps;
using Jacameno.Common;

namespace Jacameno.Frontend.Apps;

/// <summary>
/// Which scope a request needs when it carries a scoped token (a personal access token or an app's). The web app's own
/// tokens carry no scope and pass. Whatever is not named here is the web app's alone: a scoped token is refused there
/// (403), so a new endpoint is closed to apps until someone decides otherwise.
/// </summary>
public static class ScopeRules
{
    /// <summary>Marks a route every caller may use, whatever its scopes (it needs no sign-in).</summary>
    public const string Open = "";

    // Areas of the REST API: the first path segment after /api, read with GET/HEAD/OPTIONS, written otherwise.
    private static readonly Dictionary<string, (string Read, string Write)> Areas = new(StringComparer.Ordinal)
    {
        ["releases"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesWrite),
        ["playlists"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesWrite),
        ["charts"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesWrite),
        ["genres"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesWrite),
        ["insights"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesRead),
        ["feed"] = (ApiScopes.Profile, ApiScopes.Profile),
        ["notifications"] = (ApiScopes.Profile, ApiScopes.Profile),
        ["projects"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["assets"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        // Resumable uploads; one that sets a release's artwork also needs releases:write (UploadTargets checks it).
        ["uploads"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["jobs"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["ai"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["plugins"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["effects"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["invitations"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["listings"] = (ApiScopes.MarketplaceRead, ApiScopes.MarketplaceWrite),
        ["orders"] = (ApiScopes.MarketplaceRead, ApiScopes.MarketplaceWrite),
        ["loops"] = (ApiScopes.MarketplaceRead, ApiScopes.MarketplaceWrite),
        ["blobs"] = (Open, Open),
    };

    /// <summary>The scope a REST request needs: <see cref="Open"/>, a scope, or null when only the web app may send it.</summary>
    public static string? ForRest(PathString path, string method)
    {
        var segments = (path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is not ["api", var area, ..])
        {
            return Open;
        }

        var read = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);
        switch (area)
        {
            // Profiles are readable; of the caller's own account only the profile itself, never its tokens or export.
            case "users":
                return segments switch
                {
                    [_, _, "me"] when read => ApiScopes.Profile,
                    [_, _, "me", ..] => null,
                    [_, _, _, "follow"] when !read => ApiScopes.ReleasesWrite,
                    _ when read => ApiScopes.Profile,
                    _ => null,
                };
            // The scope list is public; registering, consenting to and revoking apps is the web app's alone.
            case "apps":
                return segments is [_, _, "scopes"] ? Open : null;
            // A seller's balance is readable; where payouts go and when is the web app's alone.
            case "seller":
                return read ? ApiScopes.MarketplaceRead : null;
        }

        return Areas.TryGetValue(area, out var scopes) ? (read ? scopes.Read : scopes.Write) : null;
    }

    // Root GraphQL fields, by the REST area they mirror. Queries need the read scope, mutations the write scope.
    private static readonly Dictionary<string, (string Read, string Write)> Fields = new(StringComparer.Ordinal)
    {
        // The caller's profile and notifications.
        ["me"] = (ApiScopes.Profile, ApiScopes.Profile),
        ["user"] = (ApiScopes.Profile, ApiScopes.Profile),
        ["users"] = (ApiScopes.Profile, ApiScopes.Profile),
        ["notifications"] = (ApiScopes.Profile, ApiScopes.Profile),
        ["feed"] = (ApiScopes.Profile, ApiScopes.Profile),
        ["follows"] = (ApiScopes.Profile, ApiScopes.Profile),
        // Streaming.
        ["release"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesWrite),
        ["releases"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesWrite),
        ["charts"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesWrite),
        ["relatedReleases"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesWrite),
        ["releaseComments"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesWrite),
        ["releaseStreams"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesWrite),
        ["playlist"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesWrite),
        ["insights"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesWrite),
        ["publishRelease"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesWrite),
        ["updateRelease"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesWrite),
        ["setReleasePublished"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesWrite),
        ["deleteRelease"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesWrite),
        ["likeRelease"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesWrite),
        ["repostRelease"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesWrite),
        ["commentOnRelease"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesWrite),
        ["follow"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesWrite),
        ["createPlaylist"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesWrite),
        ["addToPlaylist"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesWrite),
        ["movePlaylistItem"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesWrite),
        ["removeFromPlaylist"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesWrite),
        // The studio.
        ["project"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["projects"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["projectVersion"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["projectInvitations"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["createProject"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["updateProject"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["submitOps"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["setCollaborator"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["inviteToProject"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["acceptInvitation"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["removeCollaborator"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["createSnapshot"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["restoreVersion"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["forkProject"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["deleteProject"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["asset"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["assets"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["upload"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["uploads"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["cancelUpload"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["effectTypes"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["job"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["jobs"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["renderProject"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["cancelJob"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["analyzeAsset"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["masterAudio"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["autoMix"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["writeLyrics"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["lyricsAssist"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["plugins"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["plugin"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["pluginPresets"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["capturePluginState"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["savePluginPreset"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        ["deletePluginPreset"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsWrite),
        // Subscriptions (read scopes: a subscription only listens).
        ["projectOps"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsRead),
        ["projectPresence"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsRead),
        ["jobProgress"] = (ApiScopes.ProjectsRead, ApiScopes.ProjectsRead),
        ["releaseCounts"] = (ApiScopes.ReleasesRead, ApiScopes.ReleasesRead),
        // The marketplace.
        ["listing"] = (ApiScopes.MarketplaceRead, ApiScopes.MarketplaceWrite),
        ["listings"] = (ApiScopes.MarketplaceRead, ApiScopes.MarketplaceWrite),
        ["order"] = (ApiScopes.MarketplaceRead, ApiScopes.MarketplaceWrite),
        ["orders"] = (ApiScopes.MarketplaceRead, ApiScopes.MarketplaceWrite),
        ["buyListing"] = (ApiScopes.MarketplaceRead, ApiScopes.MarketplaceWrite),
        ["reviewListing"] = (ApiScopes.MarketplaceRead, ApiScopes.MarketplaceWrite),
        ["setListingStatus"] = (ApiScopes.MarketplaceRead, ApiScopes.MarketplaceWrite),
        ["loop"] = (ApiScopes.MarketplaceRead, ApiScopes.MarketplaceWrite),
        ["loops"] = (ApiScopes.MarketplaceRead, ApiScopes.MarketplaceWrite),
        ["takeLoop"] = (ApiScopes.MarketplaceRead, ApiScopes.MarketplaceWrite),
    };

    /// <summary>The scope a root GraphQL field needs: a scope, <see cref="Open"/>, or null when only the web app may select it.</summary>
    public static string? ForGraphQL(string field, bool mutation) =>
        field.StartsWith("__", StringComparison.Ordinal) ? Open
        : Fields.TryGetValue(field, out var scopes) ? (mutation ? scopes.Write : scopes.Read)
        : null;

    /// <summary>The root fields classified here (a test checks each exists in the schema).</summary>
    public static IEnumerable<string> ClassifiedFields => Fields.Keys;

    /// <summary>The scopes of a scoped token; null for the web app's own tokens and anonymous callers.</summary>
    public static IReadOnlyCollection<string>? ScopesOf(ClaimsPrincipal? user) =>
        user?.FindFirst(PersonalTokenAuthentication.ScopeClaim)?.Value is { } scopes
            ? scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : null;

    /// <summary>Throws FORBIDDEN with the reason when a scoped token lacks <paramref name="required"/>.</summary>
    public static void Demand(ClaimsPrincipal? user, string? required)
    {
        if (ScopesOf(user) is not { } granted || required == Open)
        {
            return;
        }

        if (required is null)
        {
            throw new DomainException(DomainErrorKind.Forbidden, NotForApps);
        }

        if (!ApiScopes.Grants(granted, required))
        {
            throw new DomainException(DomainErrorKind.Forbidden, $"This token lacks the '{required}' scope.");
        }
    }

    public const string NotForApps = "Only the Jacameno app itself may do this; a token made for an app or a script may not.";

    /// <summary>Refuses REST requests a scoped token may not make (403 with the reason and RFC 6750's insufficient_scope).</summary>
    public static void UseScopeRules(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (ScopesOf(http.User) is not null)
        {
            var required = ForRest(http.Request.Path, http.Request.Method);
            try
            {
                Demand(http.User, required);
            }
            catch (DomainException refused)
            {
                http.Response.Headers.WWWAuthenticate = required is { Length: > 0 }
                    ? $"Bearer error=\"insufficient_scope\", scope=\"{required}\""
                    : "Bearer error=\"insufficient_scope\"";
                await Hosting.Problems.WriteAsync(http, StatusCodes.Status403Forbidden, "Forbidden", refused.Message);
                return;
            }
        }

        await next(http);
    });
}
