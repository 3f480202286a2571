using Jacameno.Common;

namespace Jacameno.Users;

public static class DisplayName
{
    public const int MaxLength = 64;
    public const int MaxBioLength = 2000;

    public static string Validate(string? name, string field = "displayName")
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0 || trimmed.Length > MaxLength || trimmed.Any(char.IsControl))
        {
            throw DomainException.Invalid(field, $"A display name of 1 to {MaxLength} printable characters is required.");
        }

        return trimmed;
    }

    public static string? ValidateBio(string? bio)
    {
        if (bio is null)
        {
            return null;
        }

        if (bio.Length > MaxBioLength)
        {
            throw DomainException.Invalid("bio", $"The bio must have at most {MaxBioLength} characters.");
        }

        return bio;
    }
}
