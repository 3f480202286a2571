using Jacameno.Common;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Jacameno.Users;

/// <summary>Accounts, section <c>Jacameno:Accounts</c>.</summary>
public sealed class AccountOptions
{
    public const string SectionName = "Jacameno:Accounts";

    /// <summary>How long a deleted account waits before it is erased; signing in before then keeps it. Default 14 days.</summary>
    public TimeSpan DeletionGracePeriod { get; set; } = TimeSpan.FromDays(14);
}

public sealed class AccountOptionsValidator : IValidateOptions<AccountOptions>
{
    public ValidateOptionsResult Validate(string? name, AccountOptions o) => OptionChecks.Result(
        (o.DeletionGracePeriod >= TimeSpan.FromSeconds(1), "Jacameno:Accounts:DeletionGracePeriod must be at least a second."));
}

/// <summary>
/// Erases an account whose deletion came due, outside the user grain (the grains it calls call the user grain
/// back): the user's releases, listings (taken off sale), the projects they own, their uploads that nobody else's
/// project uses; then the user grain forgets the account (<see cref="IUserGrain.CompleteDeletionAsync"/>).
/// Orders and the ledger keep the user's id only, with no name or address left behind it.
/// </summary>
[Alias("jacameno.account-eraser")]
public interface IAccountEraserGrain : IGrainWithGuidKey
{
    [Alias("erase"), OneWay]
    Task EraseAsync();
}
