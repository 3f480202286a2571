namespace Jacameno.Users;

/// <summary>
/// A one-time code that hands a finished external sign-in (a browser redirect) to the app, which redeems it
/// for tokens, so tokens never travel in a URL. Keyed by <see cref="SignInCodes.KeyOf"/> of the code.
/// </summary>
[Alias("jacameno.sign-in-code")]
public interface ISignInCodeGrain : IGrainWithStringKey
{
    /// <summary>Binds the code to a user until <paramref name="expiresAt"/>; a code is issued once.</summary>
    [Alias("issue")]
    Task IssueAsync(Guid userId, DateTimeOffset expiresAt);

    /// <summary>The user, the first time only; null for an unknown, used or expired code.</summary>
    [Alias("redeem")]
    Task<Guid?> RedeemAsync();
}

public static class SignInCodes
{
    /// <summary>How long a code can be redeemed: long enough for a redirect, too short to be worth stealing.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    /// <summary>A new code: 256 random bits, URL-safe.</summary>
    public static string New() => AccountTokens.New();

    /// <summary>The grain key is the code's hash, so codes do not show up in grain ids, logs or metrics.</summary>
    public static string KeyOf(string code) => AccountTokens.KeyOf(code);
}
