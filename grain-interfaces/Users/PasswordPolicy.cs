using Jacameno.Common;

namespace Jacameno.Users;

/// <summary>What a password must be; checked where it is chosen (sign-up, reset, change) before anything is hashed.</summary>
public static class PasswordPolicy
{
    public const int MinLength = 8;
    public const int MaxLength = 128;

    /// <summary>Throws a validation error naming <paramref name="field"/> when the password breaks the policy.</summary>
    public static void Validate(string? password, string field = "password")
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinLength)
        {
            throw DomainException.Invalid(field, $"The password must have at least {MinLength} characters.");
        }

        if (password.Length > MaxLength)
        {
            throw DomainException.Invalid(field, $"The password must have at most {MaxLength} characters.");
        }

        if (password.Distinct().Count() < 4)
        {
            throw DomainException.Invalid(field, "The password must use at least 4 different characters.");
        }
    }
}
