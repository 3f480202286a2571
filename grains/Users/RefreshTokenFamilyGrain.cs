using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Jacameno.Common;
using Jacameno.Storage.Push;

namespace Jacameno.Users;

[GenerateSerializer, Alias("jacameno.refresh-family-state")]
public sealed class RefreshTokenFamilyState
{
    [Id(0)] public Guid UserId { get; set; }
    [Id(1)] public string? CurrentHash { get; set; }
    [Id(2)] public List<string> UsedHashes { get; set; } = [];
    [Id(3)] public bool Revoked { get; set; }
    [Id(4)] public DateTimeOffset ExpiresAt { get; set; }
}

public sealed class RefreshTokenFamilyGrain(
    [PersistentState("refresh", StorageNames.Grains)] IPersistentState<RefreshTokenFamilyState> state,
    TimeProvider clock,
    IPushDevices push) : Grain, IRefreshTokenFamilyGrain
{
    /// <summary>A refresh token lives this long after it is issued; every rotation issues a new one.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    // Enough history to recognise a replay of any recent token.
    private const int MaxUsedHashes = 100;

    public async Task<RefreshRotation> StartAsync(Guid userId)
    {
        if (state.RecordExists)
        {
            throw new DomainException(DomainErrorKind.Conflict, "The session already exists.");
        }

        state.State = new RefreshTokenFamilyState { UserId = userId };
        return await IssueAsync();
    }

    public async Task<RefreshRotation> RotateAsync(string refreshToken)
    {
        var hash = Hash(refreshToken);
        var s = state.State;
        if (!state.RecordExists || s.Revoked || s.CurrentHash is null)
        {
            throw Rejected();
        }

        if (s.UsedHashes.Contains(hash))
        {
            // A used token came back: someone holds a copy. End the session for everyone holding it.
            await RevokeAsync();
            throw Rejected();
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(s.CurrentHash))
            || clock.GetUtcNow() >= s.ExpiresAt)
        {
            throw Rejected();
        }

        s.UsedHashes.Add(hash);
        if (s.UsedHashes.Count > MaxUsedHashes)
        {
            s.UsedHashes.RemoveAt(0);
        }

        return await IssueAsync();
    }

    public async Task<Guid?> RevokeWithTokenAsync(string refreshToken)
    {
        var hash = Hash(refreshToken);
        if (!state.RecordExists || (hash != state.State.CurrentHash && !state.State.UsedHashes.Contains(hash)))
        {
            return null;
        }

        await RevokeAsync();
        return state.State.UserId;
    }

    public Task<bool> IsActiveAsync(Guid userId) =>
        Task.FromResult(state.RecordExists && !state.State.Revoked && state.State.UserId == userId);

    public async Task RevokeAsync()
    {
        if (state.RecordExists && !state.State.Revoked)
        {
            state.State.Revoked = true;
            state.State.CurrentHash = null;
            await state.WriteStateAsync();
            // A signed-out phone or browser gets no more pushes for this account.
            await push.RemoveSessionAsync(state.State.UserId, this.GetPrimaryKey());
        }
    }

    private async Task<RefreshRotation> IssueAsync()
    {
        var token = $"{this.GetPrimaryKey():N}.{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";
        state.State.CurrentHash = Hash(token);
        state.State.ExpiresAt = clock.GetUtcNow() + Lifetime;
        await state.WriteStateAsync();
        return new RefreshRotation(state.State.UserId, token, state.State.ExpiresAt);
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token ?? "")));

    private static DomainException Rejected() =>
        new(DomainErrorKind.Unauthorized, "The refresh token is invalid, expired or was already used.");
}
