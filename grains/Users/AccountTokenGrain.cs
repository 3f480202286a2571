using Jacameno.Common;

namespace Jacameno.Users;

[GenerateSerializer, Alias("jacameno.account-token-state")]
public sealed class AccountTokenState
{
    [Id(0)] public AccountToken? Token { get; set; }
    [Id(1)] public bool Used { get; set; }
}

/// <summary>Stored, since a link is clicked hours or days later; used once, then kept as used until it expires.</summary>
public sealed class AccountTokenGrain(
    [PersistentState("account-token", StorageNames.Grains)] IPersistentState<AccountTokenState> state,
    TimeProvider clock) : Grain, IAccountTokenGrain
{
    public async Task IssueAsync(AccountToken token)
    {
        if (state.RecordExists)
        {
            throw new DomainException(DomainErrorKind.Conflict, "The token was already issued.");
        }

        state.State = new AccountTokenState { Token = token };
        await state.WriteStateAsync();
    }

    public Task<AccountToken?> FindAsync(AccountTokenPurpose purpose) =>
        Task.FromResult(state.RecordExists && !state.State.Used && state.State.Token is { } token && token.Purpose == purpose && clock.GetUtcNow() < token.ExpiresAt
            ? token : null);

    public async Task<AccountToken?> RedeemAsync(AccountTokenPurpose purpose)
    {
        if (!state.RecordExists || state.State.Used || state.State.Token is not { } token || token.Purpose != purpose)
        {
            return null;
        }

        if (clock.GetUtcNow() >= token.ExpiresAt)
        {
            await state.ClearStateAsync();
            return null;
        }

        state.State.Used = true;
        await state.WriteStateAsync();
        return token;
    }
}
