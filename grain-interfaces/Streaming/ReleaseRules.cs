using Jacameno.Audio.Analysis;
using Jacameno.Common;

namespace Jacameno.Streaming;

/// <summary>The details releases and listings share, as their grain states hold them.</summary>
public interface IMusicDetails
{
    string Title { get; set; }
    string? Description { get; set; }
    string? Genre { get; set; }
    List<string> Tags { get; set; }
    double? Bpm { get; set; }
    string? Key { get; set; }

    /// <summary>Whether the owner gave the tempo (then analysis does not replace it).</summary>
    bool BpmGiven { get; set; }

    bool KeyGiven { get; set; }
}

/// <summary>What a release's details may be; every field is checked and cleaned here, for create and update alike.</summary>
public static class ReleaseRules
{
    public const int MaxTags = 10;

    /// <summary>Applies the given details (null: unchanged; empty text: cleared), each checked and cleaned.</summary>
    public static void Apply(IMusicDetails target, string? title, string? description, string? genre, IReadOnlyList<string>? tags, double? bpm, string? key)
    {
        if (title is not null)
        {
            target.Title = Title(title);
        }

        if (description is not null)
        {
            target.Description = Text(description, "description", 5000, multiline: true);
        }

        if (genre is not null)
        {
            target.Genre = Label(genre, "genre", 40);
        }

        if (tags is not null)
        {
            target.Tags = Tags(tags);
        }

        if (bpm is { } given)
        {
            (target.Bpm, target.BpmGiven) = (Bpm(given), true);
        }

        if (key is not null)
        {
            (target.Key, target.KeyGiven) = (Key(key), key.Trim().Length > 0);
        }
    }

    /// <summary>Tempo and key found by analysis, where the owner gave none.</summary>
    public static void Analyzed(IMusicDetails target, double? bpm, string? key)
    {
        if (!target.BpmGiven && bpm is { } found)
        {
            target.Bpm = Math.Round(found, 1);
        }

        if (!target.KeyGiven && key is not null)
        {
            target.Key = key;
        }
    }
    public const int MaxCredits = 20;

    public static string Title(string text) => Text(text, "title", 200) ?? throw DomainException.Invalid("title", "A release needs a title.");

    /// <summary>Free text, trimmed, without control characters (but line breaks); empty is null.</summary>
    public static string? Text(string? text, string field, int max, bool multiline = false)
    {
        if (text is null)
        {
            return null;
        }

        var clean = new string([.. text.Where(c => !char.IsControl(c) || (multiline && c == '\n'))]).Trim();
        return clean.Length > max ? throw DomainException.Invalid(field, $"{field} is at most {max} characters.")
            : clean.Length == 0 ? null : clean;
    }

    /// <summary>A genre or tag: lower case, letters, digits, spaces, hyphens and ampersands, single-spaced.</summary>
    public static string? Label(string? text, string field, int max = 30)
    {
        var clean = Text(text, field, max)?.ToLowerInvariant();
        if (clean is null)
        {
            return null;
        }

        if (!clean.All(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '&'))
        {
            throw DomainException.Invalid(field, $"{field} may hold letters, digits, spaces, '-' and '&' only.");
        }

        return string.Join(' ', clean.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    public static List<string> Tags(IReadOnlyList<string> tags)
    {
        var clean = tags.Select(t => Label(t, "tags")).OfType<string>().Distinct().ToList();
        return clean.Count > MaxTags ? throw DomainException.Invalid("tags", $"A release has at most {MaxTags} tags.") : clean;
    }

    public static double Bpm(double bpm) =>
        double.IsFinite(bpm) && bpm is >= 20 and <= 300 ? Math.Round(bpm, 2) : throw DomainException.Invalid("bpm", "bpm must be between 20 and 300.");

    /// <summary>A key as the analysis names it ("A minor"); "Am", "a min" and the like are read too.</summary>
    public static string? Key(string? key) =>
        string.IsNullOrWhiteSpace(key) ? null
        : MusicalKey.TryParse(key, out var parsed) ? parsed.ToString()
        : throw DomainException.Invalid("key", $"\"{key}\" is not a key; write it like \"A minor\" or \"F# major\".");

    public static List<ReleaseCredit> Credits(IReadOnlyList<ReleaseCredit> credits)
    {
        if (credits.Count > MaxCredits)
        {
            throw DomainException.Invalid("credits", $"A release has at most {MaxCredits} credits.");
        }

        return [.. credits.Select(c => new ReleaseCredit(
            Text(c.Name, "credits.name", 100) ?? throw DomainException.Invalid("credits.name", "Each credit needs a name."),
            Text(c.Role, "credits.role", 50) ?? throw DomainException.Invalid("credits.role", "Each credit needs a role."),
            c.UserId))];
    }

    public static T Defined<T>(T value, string field) where T : struct, Enum =>
        Enum.IsDefined(value) ? value
        : throw DomainException.Invalid(field, $"{field} must be one of {string.Join(", ", Enum.GetNames<T>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]))}.");

    /// <summary>A comment's text: 1 to 1000 characters, line breaks kept, other control characters dropped. Stored and served as text.</summary>
    public static string Comment(string? text) =>
        Text(text, "text", 1000, multiline: true) ?? throw DomainException.Invalid("text", "A comment needs text.");
}
