using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Jacameno.Common;

namespace Jacameno.Apps;

[GenerateSerializer, Alias("jacameno.oauth-app-state")]
public sealed class OAuthAppState
{
    [Id(0)] public Guid OwnerId { get; set; }
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public List<string> RedirectUris { get; set; } = [];
    [Id(3)] public string? SecretHash { get; set; }
    [Id(4)] public DateTimeOffset CreatedAt { get; set; }
}

public sealed class OAuthAppGrain(
    [PersistentState("oauth-app", StorageNames.Grains)] IPersistentState<OAuthAppState> state,
    TimeProvider clock) : Grain, IOAuthAppGrain
{
    public async Task<string?> RegisterAsync(Guid ownerId, string name, IReadOnlyList<string> redirectUris, bool confidential)
    {
        if (state.RecordExists)
        {
            throw new DomainException(DomainErrorKind.Conflict, "The app already exists.");
        }

        var secret = confidential ? "jcm_app_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)) : null;
        state.State = new OAuthAppState
        {
            OwnerId = ownerId,
            Name = name,
            RedirectUris = [.. redirectUris],
            SecretHash = secret is null ? null : Hash(secret),
            CreatedAt = clock.GetUtcNow(),
        };
        await state.WriteStateAsync();
        return secret;
    }

    public Task<OAuthApp?> GetAsync() => Task.FromResult(state.RecordExists
        ? new OAuthApp(this.GetPrimaryKey(), state.State.OwnerId, state.State.Name, state.State.RedirectUris, state.State.SecretHash is not null, state.State.CreatedAt)
        : null);

    public Task<bool> CheckSecretAsync(string secret) => Task.FromResult(
        state.RecordExists && state.State.SecretHash is { } hash
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(Hash(secret))));

    public async Task<bool> DeleteAsync(Guid ownerId)
    {
        if (!state.RecordExists || state.State.OwnerId != ownerId)
        {
            return false;
        }

        await state.ClearStateAsync();
        return true;
    }

    private static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
