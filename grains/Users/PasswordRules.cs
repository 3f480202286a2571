using Jacameno.Common;
using Microsoft.AspNetCore.Identity;

namespace Jacameno.Users;

/// <summary>
/// Password policy and hashing, shared by the user grain and the login endpoint (which hashes a dummy
/// when the email is unknown, so the cost does not reveal whether an account exists).
/// Hashing is ASP.NET Core Identity's PBKDF2 (HMAC-SHA512, 100 000 iterations, 128-bit salt).
/// </summary>
public static class PasswordRules
{
    public const int MinLength = 8;
    public const int MaxLength = 128;

    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object Subject = new();
    private static readonly Lazy<string> DummyHash = new(() => Hasher.HashPassword(Subject, "not a real password"));

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

    public static string Hash(string password) => Hasher.HashPassword(Subject, password);

    /// <summary>Checks a password; <paramref name="rehash"/> is set when the stored hash should be upgraded.</summary>
    public static bool Verify(string hash, string password, out string? rehash)
    {
        rehash = null;
        var result = Hasher.VerifyHashedPassword(Subject, hash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            rehash = Hasher.HashPassword(Subject, password);
        }

        return result != PasswordVerificationResult.Failed;
    }

    /// <summary>Spends the same time as a real check, for an account that does not exist.</summary>
    public static void VerifyAgainstDummy(string password) => Verify(DummyHash.Value, password, out _);
}
