using System.Text.RegularExpressions;

namespace Jacameno.Storage.Blobs;

/// <summary>Keys are lower-case path-like names; anything that could escape a folder or confuse S3 is refused.</summary>
public static partial class BlobKey
{
    public const int MaxLength = 512;

    public static bool IsValid(string? key) =>
        key is { Length: > 0 and <= MaxLength } && Shape().IsMatch(key)
        && !key.Contains("..", StringComparison.Ordinal) && !key.Contains("//", StringComparison.Ordinal);

    public static string Validate(string key) =>
        IsValid(key) ? key : throw new ArgumentException($"'{key}' is not a valid blob key.", nameof(key));

    [GeneratedRegex("^[a-z0-9][a-z0-9/_.-]*[a-z0-9]$|^[a-z0-9]$")]
    private static partial Regex Shape();
}
