using Orleans.Concurrency;

namespace Jacameno.Apps;

/// <summary>A third-party app registered for OAuth sign-in (docs/apps.md); its client id is the grain's key.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.oauth-app")]
public sealed record OAuthApp(
    [property: Id(0)] Guid ClientId,
    [property: Id(1)] Guid OwnerId,
    [property: Id(2)] string Name,
    [property: Id(3)] IReadOnlyList<string> RedirectUris,
    [property: Id(4)] bool Confidential,
    [property: Id(5)] DateTimeOffset CreatedAt);

[Alias("jacameno.oauth-app-grain")]
public interface IOAuthAppGrain : IGrainWithGuidKey
{
    /// <summary>Registers the app; returns the client secret of a confidential app (shown once), null for a public one.</summary>
    [Alias("register")]
    Task<string?> RegisterAsync(Guid ownerId, string name, IReadOnlyList<string> redirectUris, bool confidential);

    /// <summary>The app; null when unknown or deleted.</summary>
    [Alias("get"), ReadOnly]
    Task<OAuthApp?> GetAsync();

    /// <summary>Whether <paramref name="secret"/> is the confidential app's secret (compared by hash, in constant time).</summary>
    [Alias("check-secret"), ReadOnly]
    Task<bool> CheckSecretAsync(string secret);

    /// <summary>Deletes the app if <paramref name="ownerId"/> owns it; false otherwise.</summary>
    [Alias("delete")]
    Task<bool> DeleteAsync(Guid ownerId);
}
