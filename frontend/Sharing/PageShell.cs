using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Jacameno.Frontend.Sharing;

/// <summary>
/// What a public page tells crawlers and link previews before the web app runs: one page's title, description,
/// OpenGraph and Twitter card tags, and its JSON-LD. Every value is user input (titles, names, descriptions).
/// </summary>
public sealed record PageMeta(string Title, string Description, string Url, string OgType)
{
    /// <summary>The artwork (absolute), when there is one.</summary>
    public string? Image { get; init; }

    /// <summary>Unlisted things open by their link but are kept out of search engines.</summary>
    public bool NoIndex { get; init; }

    /// <summary>More OpenGraph properties (<c>music:musician</c>, <c>product:price:amount</c>), in order.</summary>
    public IReadOnlyList<(string Property, string Content)> Properties { get; init; } = [];

    /// <summary>The embeddable player, for a Twitter player card and the oEmbed discovery link.</summary>
    public (string Url, int Width, int Height)? Player { get; init; }

    public string? OEmbedUrl { get; init; }

    /// <summary>The schema.org object written as JSON-LD.</summary>
    public required Dictionary<string, object?> JsonLd { get; init; }
}

/// <summary>
/// The web app's index page with one page's metadata put in its head: the built index.html when there is one
/// (wwwroot), else a minimal shell of the same shape (builds without the web app, as the tests run). The app then
/// starts as on any other page.
/// </summary>
public sealed partial class PageShell(IWebHostEnvironment environment)
{
    public const string SiteName = "Jacameno";

    /// <summary>Keeps text readable (accents, other scripts) while encoding everything HTML gives a meaning to.</summary>
    internal static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>JSON inside a script element: the default encoder writes &lt;, &gt; and &amp; as \u escapes, so "&lt;/script&gt;" cannot end it.</summary>
    internal static readonly JsonSerializerOptions ScriptJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Default,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private const string BuiltInShell = """
        <!doctype html>
        <html lang="en">
          <head>
            <meta charset="UTF-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>Jacameno</title>
          </head>
          <body>
            <div id="root"></div>
          </body>
        </html>
        """;

    /// <summary>The index page with <paramref name="meta"/> in its head; null gives the plain app, marked noindex unless asked not to be.</summary>
    public async Task<string> RenderAsync(PageMeta? meta, bool noIndex = true)
    {
        var template = await TemplateAsync();
        var head = meta is not null ? Head(meta) : noIndex ? "<meta name=\"robots\" content=\"noindex\" />\n" : "";
        var end = template.IndexOf("</head>", StringComparison.OrdinalIgnoreCase);
        if (end < 0)
        {
            (template, end) = (BuiltInShell, BuiltInShell.IndexOf("</head>", StringComparison.Ordinal));
        }

        if (meta is not null)
        {
            // The page's own title replaces the app's.
            var withoutTitle = TitleElement().Replace(template, "", 1);
            (template, end) = (withoutTitle, withoutTitle.IndexOf("</head>", StringComparison.OrdinalIgnoreCase));
        }

        return string.Concat(template.AsSpan(0, end), head, template.AsSpan(end));
    }

    private async Task<string> TemplateAsync()
    {
        var file = environment.WebRootFileProvider.GetFileInfo("index.html");
        if (!file.Exists)
        {
            return BuiltInShell;
        }

        await using var stream = file.CreateReadStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    internal static string Head(PageMeta meta)
    {
        var head = new StringBuilder();
        head.Append("<title>").Append(Html.Encode(meta.Title)).Append("</title>\n");
        Meta(head, "name", "description", meta.Description);
        if (meta.NoIndex)
        {
            Meta(head, "name", "robots", "noindex");
        }

        Link(head, "canonical", meta.Url);
        Meta(head, "property", "og:site_name", SiteName);
        Meta(head, "property", "og:type", meta.OgType);
        Meta(head, "property", "og:title", meta.Title);
        Meta(head, "property", "og:description", meta.Description);
        Meta(head, "property", "og:url", meta.Url);
        if (meta.Image is { } image)
        {
            Meta(head, "property", "og:image", image);
            Meta(head, "property", "og:image:alt", meta.Title);
        }

        foreach (var (property, content) in meta.Properties)
        {
            Meta(head, "property", property, content);
        }

        Meta(head, "name", "twitter:card", meta.Player is not null ? "player" : meta.Image is not null ? "summary_large_image" : "summary");
        Meta(head, "name", "twitter:title", meta.Title);
        Meta(head, "name", "twitter:description", meta.Description);
        if (meta.Image is { } twitterImage)
        {
            Meta(head, "name", "twitter:image", twitterImage);
        }

        if (meta.Player is { } player)
        {
            Meta(head, "name", "twitter:player", player.Url);
            Meta(head, "name", "twitter:player:width", player.Width.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Meta(head, "name", "twitter:player:height", player.Height.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (meta.OEmbedUrl is { } oembed)
        {
            head.Append("<link rel=\"alternate\" type=\"application/json+oembed\" href=\"").Append(Html.Encode(oembed))
                .Append("\" title=\"").Append(Html.Encode(meta.Title)).Append("\" />\n");
        }

        head.Append("<script type=\"application/ld+json\">").Append(JsonSerializer.Serialize(WithoutNulls(meta.JsonLd), ScriptJson)).Append("</script>\n");
        return head.ToString();
    }

    /// <summary>Leaves out what a page does not have (no description, no artwork): JSON-LD readers prefer absent to null.</summary>
    private static object? WithoutNulls(object? value) => value switch
    {
        Dictionary<string, object?> map => map.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => WithoutNulls(p.Value)),
        IEnumerable<Dictionary<string, object?>> list => list.Select(WithoutNulls).ToList(),
        _ => value,
    };

    private static void Meta(StringBuilder head, string kind, string name, string content) =>
        head.Append("<meta ").Append(kind).Append("=\"").Append(Html.Encode(name)).Append("\" content=\"").Append(Html.Encode(content)).Append("\" />\n");

    private static void Link(StringBuilder head, string rel, string href) =>
        head.Append("<link rel=\"").Append(rel).Append("\" href=\"").Append(Html.Encode(href)).Append("\" />\n");

    [GeneratedRegex("<title>.*?</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex TitleElement();
}
