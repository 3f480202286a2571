using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Jacameno.Common;

namespace Jacameno.Apps;

[GenerateSerializer, Alias("jacameno.access-grants-state")]
public sealed class AccessGrantsState
{
    [Id(0)] public List<StoredPersonalToken> Tokens { get; set; } = [];
    [Id(1)] public List<AppGrant> AppGrants { get; set; } = [];
    [Id(2)] public List<Guid> RegisteredApps { get; set; } = [];
}

[GenerateSerializer, Alias("jacameno.stored-personal-token")]
public sealed class StoredPersonalToken
{
    [Id(0)] public Guid Id { get; set; }
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public List<string> Scopes { get; set; } = [];
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
    [Id(4)] public DateTimeOffset ExpiresAt { get; set; }
    [Id(5)] public DateTimeOffset? LastUsedAt { get; set; }
    [Id(6)] public string Hash { get; set; } = "";

    public PersonalToken ToPublic() => new(Id, Name, Scopes, CreatedAt, ExpiresAt, LastUsedAt);
}

public sealed class AccessGrantsGrain(
    [PersistentState("access-grants", StorageNames.Grains)] IPersistentState<AccessGrantsState> state,
    TimeProvider clock) : Grain, IAccessGrantsGrain
{
    public const int MaxTokens = 50;
    public const int MaxRegisteredApps = 20;

    // "Last used" is kept in memory on every use and written with the next change, or at most this often: a token
    // used by a script every second must not become a storage write every second.
    private static readonly TimeSpan LastUsedWriteInterval = TimeSpan.FromHours(1);

    public async Task<PersonalTokenCreated> CreateTokenAsync(string name, IReadOnlyList<string> scopes, DateTimeOffset expiresAt)
    {
        var now = clock.GetUtcNow();
        state.State.Tokens.RemoveAll(t => t.ExpiresAt <= now);
        if (state.State.Tokens.Count >= MaxTokens)
        {
            throw new DomainException(DomainErrorKind.Conflict, $"You have {MaxTokens} tokens; revoke one first.");
        }

        var id = Guid.NewGuid();
        var secret = PersonalTokens.Format(this.GetPrimaryKey(), id, Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));
        var token = new StoredPersonalToken
        {
            Id = id,
            Name = name,
            Scopes = [.. scopes],
            CreatedAt = now,
            ExpiresAt = expiresAt,
            Hash = PersonalTokens.Hash(secret),
        };
        state.State.Tokens.Add(token);
        await state.WriteStateAsync();
        return new PersonalTokenCreated(token.ToPublic(), secret);
    }

    public Task<IReadOnlyList<PersonalToken>> TokensAsync()
    {
        var now = clock.GetUtcNow();
        return Task.FromResult<IReadOnlyList<PersonalToken>>(
            [.. state.State.Tokens.Where(t => t.ExpiresAt > now).OrderByDescending(t => t.CreatedAt).Select(t => t.ToPublic())]);
    }

    public async Task<bool> RevokeTokenAsync(Guid tokenId)
    {
        if (state.State.Tokens.RemoveAll(t => t.Id == tokenId) == 0)
        {
            return false;
        }

        await state.WriteStateAsync();
        return true;
    }

    public async Task<IReadOnlyList<string>?> AuthenticateAsync(Guid tokenId, string tokenHash)
    {
        var now = clock.GetUtcNow();
        var token = state.State.Tokens.Find(t => t.Id == tokenId);
        if (token is null || token.ExpiresAt <= now
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(token.Hash), Encoding.ASCII.GetBytes(tokenHash)))
        {
            return null;
        }

        var lastWritten = token.LastUsedAt;
        token.LastUsedAt = now;
        if (lastWritten is null || now - lastWritten >= LastUsedWriteInterval)
        {
            await state.WriteStateAsync();
        }

        return token.Scopes;
    }

    public async Task<AppGrantStarted> GrantAppAsync(Guid clientId, string appName, IReadOnlyList<string> scopes)
    {
        await RevokeAppAsync(clientId);
        var session = Guid.NewGuid();
        var first = await GrainFactory.GetGrain<Users.IRefreshTokenFamilyGrain>(session).StartAsync(this.GetPrimaryKey());
        var grant = new AppGrant(clientId, appName, [.. scopes], clock.GetUtcNow(), session);
        state.State.AppGrants.Add(grant);
        await state.WriteStateAsync();
        return new AppGrantStarted(grant, first.RefreshToken);
    }

    public Task<IReadOnlyList<AppGrant>> AppGrantsAsync() => Task.FromResult<IReadOnlyList<AppGrant>>([.. state.State.AppGrants]);

    public async Task<bool> RevokeAppAsync(Guid clientId)
    {
        var grants = state.State.AppGrants.FindAll(g => g.ClientId == clientId);
        if (grants.Count == 0)
        {
            return false;
        }

        await Task.WhenAll(grants.Select(g => GrainFactory.GetGrain<Users.IRefreshTokenFamilyGrain>(g.SessionId).RevokeAsync()));
        state.State.AppGrants.RemoveAll(g => g.ClientId == clientId);
        await state.WriteStateAsync();
        return true;
    }

    public Task<IReadOnlyList<Guid>> RegisteredAppsAsync() => Task.FromResult<IReadOnlyList<Guid>>([.. state.State.RegisteredApps]);

    public async Task SetRegisteredAppAsync(Guid clientId, bool registered)
    {
        state.State.RegisteredApps.Remove(clientId);
        if (registered)
        {
            if (state.State.RegisteredApps.Count >= MaxRegisteredApps)
            {
                throw new DomainException(DomainErrorKind.Conflict, $"You have registered {MaxRegisteredApps} apps; delete one first.");
            }

            state.State.RegisteredApps.Add(clientId);
        }

        await state.WriteStateAsync();
    }

    public async Task RevokeAllAsync()
    {
        if (state.State.Tokens.Count > 0 || state.State.AppGrants.Count > 0)
        {
            await Task.WhenAll(state.State.AppGrants.Select(g => GrainFactory.GetGrain<Users.IRefreshTokenFamilyGrain>(g.SessionId).RevokeAsync()));
            state.State.Tokens.Clear();
            state.State.AppGrants.Clear();
            await state.WriteStateAsync();
        }
    }
}
