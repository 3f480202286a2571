namespace Jacameno.Users;

/// <summary>
/// Maps one normalized email to its user id; the single owner of that email, so two concurrent
/// registrations of one email cannot both win. Keyed by the normalized email.
/// </summary>
[Alias("jacameno.email-index")]
public interface IEmailIndexGrain : IGrainWithStringKey
{
    /// <summary>Claims the email for <paramref name="userId"/>; returns the owner, which is another id when taken.</summary>
    [Alias("claim")]
    Task<Guid> ClaimAsync(Guid userId);

    /// <summary>The owner, or null when the email is free.</summary>
    [Alias("get")]
    Task<Guid?> GetOwnerAsync();

    /// <summary>Frees the email if <paramref name="userId"/> owns it (a registration that failed half way).</summary>
    [Alias("release")]
    Task ReleaseAsync(Guid userId);
}

/// <summary>Maps an external login (provider + subject) to its user id. Keyed by "provider:subject".</summary>
[Alias("jacameno.external-login-index")]
public interface IExternalLoginIndexGrain : IGrainWithStringKey
{
    [Alias("claim")]
    Task<Guid> ClaimAsync(Guid userId);

    [Alias("get")]
    Task<Guid?> GetOwnerAsync();

    /// <summary>Frees the login when <paramref name="userId"/> holds it (unlinked, or the account deleted).</summary>
    [Alias("release")]
    Task ReleaseAsync(Guid userId);
}
