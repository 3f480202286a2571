using Jacameno.Users;
using Microsoft.AspNetCore.Identity;

namespace Jacameno.Storage.Credentials;

/// <summary>
/// How passwords are stored: hashed for the user grain, and checked against a dummy by the sign-in path when the
/// email is unknown, so the time taken does not tell which emails have accounts (the policy is <see cref="PasswordPolicy"/>).
/// Hashing is ASP.NET Core Identity's PBKDF2 (HMAC-SHA512, 100 000 iterations, 128-bit salt).
/// </summary>
public static class PasswordHashes
{
    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object Subject = new();
    private static readonly Lazy<string> DummyHash = new(() => Hasher.HashPassword(Subject, "not a real password"));

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
