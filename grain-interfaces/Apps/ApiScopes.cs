namespace Jacameno.Apps;

/// <summary>
/// What a token made for a third party (a personal access token, an OAuth app's token) may do. The web app's own
/// sign-in carries no scope and may do everything its user may; a scoped token may use only the areas its scopes
/// name, and never the account itself (sign-in, password, email, deletion, tokens and apps, Premium, admin).
/// </summary>
public static class ApiScopes
{
    public const string Profile = "profile";
    public const string ReleasesRead = "releases:read";
    public const string ReleasesWrite = "releases:write";
    public const string ProjectsRead = "projects:read";
    public const string ProjectsWrite = "projects:write";
    public const string MarketplaceRead = "marketplace:read";
    public const string MarketplaceWrite = "marketplace:write";

    /// <summary>Every scope with what it lets a token do (shown on the consent screen and in settings).</summary>
    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Profile] = "See your profile, your notifications and your feed",
        [ReleasesRead] = "See releases and playlists, including your private ones",
        [ReleasesWrite] = "Publish and change your releases and playlists; like, repost, comment and follow as you",
        [ProjectsRead] = "See your projects, uploads, jobs and plugins",
        [ProjectsWrite] = "Edit your projects, upload audio and run renders and AI tools",
        [MarketplaceRead] = "See listings, your orders, your sales and the loop library",
        [MarketplaceWrite] = "Create and change listings, buy, review and take library loops as you",
    };

    /// <summary>A write scope includes reading the same area.</summary>
    public static bool Grants(IReadOnlyCollection<string> granted, string required) =>
        granted.Contains(required)
        || (required.EndsWith(":read", StringComparison.Ordinal) && granted.Contains(required[..^":read".Length] + ":write"));

    /// <summary>The scopes of a request (space-separated, any order), checked; the reason when one is unknown or none is named.</summary>
    public static IReadOnlyList<string> Parse(IEnumerable<string?>? requested, out string? error)
    {
        var scopes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var scope in requested ?? [])
        {
            foreach (var name in (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!All.ContainsKey(name))
                {
                    error = $"Unknown scope '{Trim(name)}'; scopes are {string.Join(", ", All.Keys)}.";
                    return [];
                }

                scopes.Add(name);
            }
        }

        error = scopes.Count == 0 ? $"Name at least one scope: {string.Join(", ", All.Keys)}." : null;
        return [.. scopes];
    }

    private static string Trim(string name) => name.Length <= 40 ? name : name[..40] + "…";
}
