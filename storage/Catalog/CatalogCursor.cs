using System.Buffers.Text;
using System.Text;
using Jacameno.Common;

namespace Jacameno.Storage.Catalog;

/// <summary>Opaque cursors for keyset pagination: the sort key and the id of the last row, base64url-encoded.</summary>
public static class CatalogCursor
{
    public const int MaxPageSize = 100;

    public static string Encode(string sortKey, Guid id) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{sortKey}\n{id:N}"));

    public static (string SortKey, Guid Id)? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            var split = text.LastIndexOf('\n');
            if (split > 0 && Guid.TryParseExact(text.AsSpan(split + 1), "N", out var id))
            {
                return (text[..split], id);
            }
        }
        catch (FormatException)
        {
        }

        throw Invalid();
    }

    public static DomainException Invalid() => DomainException.Invalid("after", "The cursor is not one this API returned.");

    public static int PageSize(int first) => first is < 1 or > MaxPageSize
        ? throw DomainException.Invalid("first", $"first must be between 1 and {MaxPageSize}.")
        : first;

    /// <summary>Splits a search into words usable as prefix terms; anything but letters and digits separates words.</summary>
    public static IReadOnlyList<string> Words(string? search) =>
        string.IsNullOrWhiteSpace(search)
            ? []
            : new string(search.Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ').ToArray())
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Take(8)
                .ToList();

    /// <summary>Cuts a page from <paramref name="size"/> + 1 rows; the extra row only says that more follow.</summary>
    public static CatalogPage<T> Page<T>(List<(T Item, string SortKey)> rows, int size, Func<T, Guid> idOf)
    {
        var items = rows.Take(size).ToList();
        var cursors = items.Select(r => Encode(r.SortKey, idOf(r.Item))).ToList();
        return new CatalogPage<T>(items.Select(r => r.Item).ToList(), cursors, rows.Count > size ? cursors[^1] : null);
    }
}
