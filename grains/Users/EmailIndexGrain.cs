using Jacameno.Common;

namespace Jacameno.Users;

[GenerateSerializer, Alias("jacameno.owner-index-state")]
public sealed class OwnerIndexState
{
    [Id(0)] public Guid? Owner { get; set; }
}

/// <summary>
/// A single-owner claim on a key. Orleans runs one call at a time per grain, so the first claim wins
/// even when registrations race.
/// </summary>
public abstract class OwnerIndexGrain(IPersistentState<OwnerIndexState> state) : Grain
{
    public async Task<Guid> ClaimAsync(Guid userId)
    {
        if (state.State.Owner is { } owner)
        {
            return owner;
        }

        state.State.Owner = userId;
        await state.WriteStateAsync();
        return userId;
    }

    public Task<Guid?> GetOwnerAsync() => Task.FromResult(state.State.Owner);

    public async Task ReleaseAsync(Guid userId)
    {
        if (state.State.Owner == userId)
        {
            await state.ClearStateAsync();
        }
    }
}

public sealed class EmailIndexGrain(
    [PersistentState("email", StorageNames.Grains)] IPersistentState<OwnerIndexState> state)
    : OwnerIndexGrain(state), IEmailIndexGrain;

public sealed class ExternalLoginIndexGrain(
    [PersistentState("login", StorageNames.Grains)] IPersistentState<OwnerIndexState> state)
    : OwnerIndexGrain(state), IExternalLoginIndexGrain;
