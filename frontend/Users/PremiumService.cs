using Jacameno.Assets;
using Jacameno.Common;
using Jacameno.Frontend.Http;
using Jacameno.Jobs;
using Jacameno.Users;
using Microsoft.Extensions.Options;

namespace Jacameno.Frontend.Users;

/// <summary>One thing Premium changes: what a User has, and what Premium has.</summary>
public sealed record PremiumFeature(string Key, string Name, string User, string Premium);

public sealed record PremiumStatusResponse(bool Active, string Source, DateTimeOffset? Until, string? Plan, string? SubscriptionState, bool Renews,
    DateTimeOffset? GraceUntil)
{
    public static PremiumStatusResponse From(PremiumStatus s) =>
        new(s.Active, ApiEnums.Name(s.Source), s.Until, s.Plan, s.SubscriptionState, s.Renews, s.GraceUntil);
}

/// <summary>How Premium is sold here (<c>manual</c> or <c>stripe</c>), its plans, what it unlocks, and the caller's own status when signed in.</summary>
public sealed record PremiumResponse(string Provider, IReadOnlyList<string> Plans, IReadOnlyList<PremiumFeature> Features, PremiumStatusResponse? Status);

public sealed record PremiumCheckoutRequest(string? Plan);

public sealed record PremiumGrantRequest(DateTimeOffset? Until);

/// <summary>Where to send the browser: Stripe's checkout or customer portal.</summary>
public sealed record RedirectResponse(string Url);

/// <summary>
/// Premium at the edge, for REST and GraphQL: what it unlocks (listed here, from the limits the server enforces),
/// buying it through Stripe Billing, managing it in Stripe's portal, and an admin's grant with an end date.
/// </summary>
public sealed class PremiumService(IGrainFactory grains, IPremiumBilling billing, IOptions<PremiumOptions> options, IOptions<AssetOptions> assets,
    IOptions<JobOptions> jobs, TimeProvider clock)
{
    /// <summary>How far ahead a release may be dated without being "scheduled" (clocks differ a little).</summary>
    public static readonly TimeSpan ScheduleSlack = TimeSpan.FromMinutes(5);

    /// <summary>Everything Premium unlocks, each enforced where it applies: quotas and job limits by role, lossless streams in the release grain, scheduling in <see cref="EnsureMaySchedule"/>.</summary>
    public IReadOnlyList<PremiumFeature> Features()
    {
        var (a, j) = (assets.Value, jobs.Value);
        return
        [
            new("storage", "Stored audio", Size(a.UserQuotaBytes), Size(a.PremiumQuotaBytes)),
            new("aiJobsPerDay", "AI jobs a day", $"{j.UserJobsPerDay}", $"{j.PremiumJobsPerDay}"),
            new("aiJobsAtOnce", "AI jobs at once", $"{j.UserConcurrentJobs}", $"{j.PremiumConcurrentJobs}"),
            new("losslessStreams", "Lossless (FLAC) streams of every release", "no", "yes"),
            new("scheduledReleases", "Releases scheduled for a later date", "no", "yes"),
        ];
    }

    public async Task<PremiumResponse> OverviewAsync(Guid? userId) =>
        new(options.Value.Provider, PremiumOptions.Plans, Features(),
            userId is { } id ? PremiumStatusResponse.From(await grains.GetGrain<IUserGrain>(id).GetPremiumAsync()) : null);

    public async Task<RedirectResponse> CheckoutAsync(Guid userId, string? plan)
    {
        if (plan is null || !PremiumOptions.Plans.Contains(plan))
        {
            throw DomainException.Invalid("plan", "plan is monthly or yearly.");
        }

        var user = grains.GetGrain<IUserGrain>(userId);
        if ((await user.GetPremiumAsync()) is { Active: true, Source: PremiumSource.Stripe, Renews: true })
        {
            throw new DomainException(DomainErrorKind.Conflict, "You already subscribe to Premium; change the plan in the billing portal.");
        }

        var profile = await user.GetProfileAsync();
        return new RedirectResponse((await billing.CheckoutAsync(userId, profile.Email, plan)).ToString());
    }

    public async Task<RedirectResponse> PortalAsync(Guid userId) =>
        await grains.GetGrain<IUserGrain>(userId).GetBillingCustomerAsync() is { } customer
            ? new RedirectResponse((await billing.PortalAsync(customer)).ToString())
            : throw new DomainException(DomainErrorKind.Conflict, "There is no subscription to manage yet.");

    /// <summary>An admin grants Premium until a date in the future, or ends it (null).</summary>
    public async Task<PremiumStatusResponse> GrantAsync(Guid userId, DateTimeOffset? until)
    {
        if (until is { } end && end <= clock.GetUtcNow())
        {
            throw DomainException.Invalid("until", "until must be in the future; send null to end Premium.");
        }

        return PremiumStatusResponse.From(await grains.GetGrain<IUserGrain>(userId).GrantPremiumAsync(until));
    }

    /// <summary>Dating a release later than now is Premium's.</summary>
    public void EnsureMaySchedule(UserRole role, DateTimeOffset? releaseAt)
    {
        if (releaseAt > clock.GetUtcNow() + ScheduleSlack && role < UserRole.Premium)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Scheduling a release for a later date is a Premium feature.");
        }
    }

    private static string Size(long bytes) => bytes >= 1L << 30 ? $"{bytes >> 30} GiB" : $"{bytes >> 20} MiB";
}
