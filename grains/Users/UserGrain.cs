using Jacameno.Common;
using Jacameno.Jobs;
using Jacameno.Moderation;
using Jacameno.Storage.Catalog;
using Jacameno.Storage.Credentials;
using Jacameno.Storage.Push;
using Microsoft.Extensions.Logging;

namespace Jacameno.Users;

[GenerateSerializer, Alias("jacameno.user-state")]
public sealed class UserState
{
    [Id(0)] public string Email { get; set; } = "";
    [Id(1)] public string DisplayName { get; set; } = "";
    [Id(2)] public string? Bio { get; set; }
    [Id(3)] public UserRole Role { get; set; }
    [Id(4)] public string? PasswordHash { get; set; }
    [Id(5)] public DateTimeOffset CreatedAt { get; set; }
    [Id(6)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(7)] public List<string> Logins { get; set; } = [];
    [Id(8)] public List<Guid> SessionFamilies { get; set; } = [];
    [Id(9)] public long StorageBytes { get; set; }
    [Id(10)] public List<Guid> RunningJobs { get; set; } = [];
    [Id(11)] public DateOnly JobsDay { get; set; }
    [Id(12)] public int JobsThatDay { get; set; }
    [Id(13)] public bool EmailVerified { get; set; }

    /// <summary>When the password or the address last changed: links mailed before then no longer work.</summary>
    [Id(14)] public DateTimeOffset CredentialsChangedAt { get; set; }

    [Id(15)] public PremiumSource PremiumSource { get; set; }

    /// <summary>The end of the paid (or granted) Premium period.</summary>
    [Id(16)] public DateTimeOffset? PremiumUntil { get; set; }

    /// <summary>Set while a renewal's payment failed: Premium stays on until then.</summary>
    [Id(17)] public DateTimeOffset? PremiumGraceUntil { get; set; }

    [Id(18)] public string? PremiumPlan { get; set; }

    [Id(19)] public string? StripeCustomerId { get; set; }

    [Id(20)] public string? StripeSubscriptionId { get; set; }

    [Id(21)] public string? SubscriptionState { get; set; }

    [Id(22)] public bool SubscriptionRenews { get; set; }

    /// <summary>When Stripe made the last subscription event applied; older ones arrive late or again and are ignored.</summary>
    [Id(23)] public DateTimeOffset SubscriptionEventAt { get; set; }

    [Id(24)] public bool Banned { get; set; }

    [Id(25)] public DateTimeOffset? SuspendedUntil { get; set; }

    [Id(26)] public string? RestrictionReason { get; set; }

    [Id(27)] public int Warnings { get; set; }

    /// <summary>Users this one blocked: they cannot comment on its releases, follow it, or join its projects.</summary>
    [Id(28)] public List<Guid> Blocked { get; set; } = [];

    /// <summary>Set while the owner's deletion of the account waits out its grace period.</summary>
    [Id(29)] public DateTimeOffset? DeletionDueAt { get; set; }

    /// <summary>Jobs accepted while all of the user's slots were taken, first in line first.</summary>
    [Id(30)] public List<Guid> WaitingJobs { get; set; } = [];

    /// <summary>The jobs-at-once limit the last job came with (null: unlimited); a freed slot goes to the line up to it.</summary>
    [Id(31)] public int? JobsAtOnce { get; set; }
}

public sealed partial class UserGrain(
    [PersistentState("user", StorageNames.Grains)] IPersistentState<UserState> state,
    ICatalog catalog,
    IPushDevices push,
    TimeProvider clock,
    ILogger<UserGrain> logger) : Grain, IUserGrain, IRemindable
{
    // Older sessions are revoked beyond this many, so the list (and the state) stays small.
    private const int MaxSessions = 50;

    // The block list lives in the state, read on every comment, follow and join: it stays bounded.
    private const int MaxBlocked = 1000;

    private Guid Id => this.GetPrimaryKey();

    public async Task<UserProfile> CreateAsync(CreateUserCommand command)
    {
        if (state.RecordExists)
        {
            throw new DomainException(DomainErrorKind.Conflict, "The user already exists.");
        }

        var now = clock.GetUtcNow();
        state.State = new UserState
        {
            Email = EmailAddress.Normalize(command.Email),
            DisplayName = DisplayName.Validate(command.DisplayName),
            Role = UserRole.User,
            CreatedAt = now,
            UpdatedAt = now,
            EmailVerified = command.EmailVerified,
        };
        if (command.Password is not null)
        {
            PasswordPolicy.Validate(command.Password);
            state.State.PasswordHash = PasswordHashes.Hash(command.Password);
        }

        if (command.ExternalLogin is { } login)
        {
            state.State.Logins.Add(LoginKey(login));
        }

        return await SaveAsync();
    }

    public Task<UserProfile> GetProfileAsync() => Task.FromResult(Profile());

    public async Task<UserProfile> MarkEmailVerifiedAsync(string email)
    {
        EnsureExists();
        if (state.State.EmailVerified || !string.Equals(state.State.Email, email, StringComparison.Ordinal))
        {
            return Profile();
        }

        state.State.EmailVerified = true;
        return await SaveAsync();
    }

    public async Task<bool> VerifyPasswordAsync(string password)
    {
        if (!state.RecordExists || state.State.PasswordHash is null)
        {
            PasswordHashes.VerifyAgainstDummy(password);
            return false;
        }

        if (!PasswordHashes.Verify(state.State.PasswordHash, password, out var rehash))
        {
            return false;
        }

        if (rehash is not null)
        {
            state.State.PasswordHash = rehash;
            await state.WriteStateAsync();
        }

        return true;
    }

    public Task<bool> HasPasswordAsync() => Task.FromResult(state.RecordExists && state.State.PasswordHash is not null);

    public async Task ChangePasswordAsync(string currentPassword, string newPassword)
    {
        EnsureExists();
        if (state.State.PasswordHash is not null
            && !PasswordHashes.Verify(state.State.PasswordHash, currentPassword ?? "", out _))
        {
            throw new DomainException(DomainErrorKind.Validation, "The current password is wrong.", "currentPassword");
        }

        PasswordPolicy.Validate(newPassword, "newPassword");
        state.State.PasswordHash = PasswordHashes.Hash(newPassword);
        state.State.CredentialsChangedAt = clock.GetUtcNow();
        await EndAllSessionsAsync();
    }

    public async Task ResetPasswordAsync(string newPassword, string email, DateTimeOffset issuedAt)
    {
        EnsureExists();
        EnsureLinkStillGood(issuedAt);
        if (!string.Equals(state.State.Email, email, StringComparison.Ordinal))
        {
            throw ExpiredLink();
        }

        PasswordPolicy.Validate(newPassword, "newPassword");
        state.State.PasswordHash = PasswordHashes.Hash(newPassword);
        state.State.EmailVerified = true;
        state.State.CredentialsChangedAt = clock.GetUtcNow();
        await EndAllSessionsAsync();
        await WriteThroughAsync(Profile());
    }

    public async Task<string> ChangeEmailAsync(string newEmail, DateTimeOffset issuedAt)
    {
        EnsureExists();
        EnsureLinkStillGood(issuedAt);
        var old = state.State.Email;
        state.State.Email = EmailAddress.Normalize(newEmail);
        state.State.EmailVerified = true;
        state.State.CredentialsChangedAt = clock.GetUtcNow();
        await SaveAsync();
        return old;
    }

    private void EnsureLinkStillGood(DateTimeOffset issuedAt)
    {
        if (issuedAt < state.State.CredentialsChangedAt)
        {
            throw ExpiredLink();
        }
    }

    private static DomainException ExpiredLink() => DomainException.Invalid("token", AccountTokens.InvalidLink);

    public async Task<UserProfile> UpdateProfileAsync(UpdateProfileCommand command)
    {
        EnsureExists();
        if (command.DisplayName is not null)
        {
            state.State.DisplayName = DisplayName.Validate(command.DisplayName);
        }

        if (command.Bio is not null)
        {
            state.State.Bio = DisplayName.ValidateBio(command.Bio);
        }

        return await SaveAsync();
    }

    public async Task<UserProfile> SetRoleAsync(UserRole role, UserRole actorRole)
    {
        if (actorRole != UserRole.Admin)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only an admin can change roles.");
        }

        if (!Enum.IsDefined(role))
        {
            throw DomainException.Invalid("role", "Unknown role.");
        }

        EnsureExists();
        var demoted = Rank(role) < Rank(state.State.Role);
        state.State.Role = role;
        if (demoted)
        {
            // Tokens carry the role: a demoted user's sessions end, so no token of the higher role outlives the change.
            await EndAllSessionsAsync();
        }

        return await SaveAsync();
    }

    private static int Rank(UserRole role) => role switch
    {
        UserRole.Admin => 2,
        UserRole.Premium => 1,
        _ => 0,
    };

    public async Task<UserProfile> LinkExternalLoginAsync(ExternalLogin login)
    {
        EnsureExists();
        var key = LoginKey(login);
        if (!state.State.Logins.Contains(key))
        {
            state.State.Logins.Add(key);
            return await SaveAsync();
        }

        return Profile();
    }

    public async Task<IReadOnlyList<string>> UnlinkExternalLoginAsync(string provider)
    {
        EnsureExists();
        var prefix = provider + ":";
        var removed = state.State.Logins.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        if (removed.Count == 0)
        {
            throw DomainException.NotFound($"A linked {provider} account");
        }

        if (state.State.PasswordHash is null && removed.Count == state.State.Logins.Count)
        {
            throw new DomainException(DomainErrorKind.Conflict,
                "This is the account's only way in: set a password (or link another provider) before unlinking it.");
        }

        state.State.Logins.RemoveAll(removed.Contains);
        await SaveAsync();
        return removed;
    }

    public async Task<RefreshRotation> StartSessionAsync()
    {
        EnsureExists();
        var familyId = Guid.NewGuid();
        var first = await GrainFactory.GetGrain<IRefreshTokenFamilyGrain>(familyId).StartAsync(Id);
        state.State.SessionFamilies.Add(familyId);
        var stale = state.State.SessionFamilies.Count - MaxSessions;
        if (stale > 0)
        {
            var oldest = state.State.SessionFamilies.Take(stale).ToList();
            state.State.SessionFamilies.RemoveRange(0, stale);
            await Task.WhenAll(oldest.Select(id => GrainFactory.GetGrain<IRefreshTokenFamilyGrain>(id).RevokeAsync()));
        }

        await state.WriteStateAsync();
        return first;
    }

    public async Task EndAllSessionsAsync()
    {
        EnsureExists();
        var families = state.State.SessionFamilies.ToList();
        await Task.WhenAll(families.Select(id => GrainFactory.GetGrain<IRefreshTokenFamilyGrain>(id).RevokeAsync()));
        // Whoever held access before (a stolen password, a former role) must not keep it through a token either.
        await GrainFactory.GetGrain<Apps.IAccessGrantsGrain>(Id).RevokeAllAsync();
        state.State.SessionFamilies.Clear();
        state.State.UpdatedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
    }

    public async Task<long> ReserveStorageAsync(long bytes, long? quotaBytes)
    {
        EnsureExists();
        if (quotaBytes is { } quota && state.State.StorageBytes + bytes > quota)
        {
            throw new DomainException(DomainErrorKind.Conflict,
                $"This upload needs {bytes} bytes; {state.State.StorageBytes} of your {quota} are in use. Delete files or upgrade your plan.", "file");
        }

        state.State.StorageBytes += bytes;
        await state.WriteStateAsync();
        return state.State.StorageBytes;
    }

    public Task<long> GetStorageUsedAsync() => Task.FromResult(state.State.StorageBytes);

    public async Task ReleaseStorageAsync(long bytes)
    {
        if (state.RecordExists)
        {
            state.State.StorageBytes = Math.Max(0, state.State.StorageBytes - bytes);
            await state.WriteStateAsync();
        }
    }

    public async Task<int?> QueueJobAsync(Guid jobId, JobLimits limits)
    {
        EnsureExists();
        var s = state.State;
        if (s.RunningJobs.Contains(jobId))
        {
            return null;
        }

        if (s.WaitingJobs.IndexOf(jobId) is >= 0 and var index)
        {
            return index + 1;
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (s.JobsDay != today)
        {
            (s.JobsDay, s.JobsThatDay) = (today, 0);
        }

        if (limits.PerDay is { } perDay && s.JobsThatDay >= perDay)
        {
            var tomorrow = new DateTimeOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            throw new DomainException(DomainErrorKind.TooManyRequests,
                $"Your plan allows {perDay} jobs a day; today's are used. They reset at {tomorrow:yyyy-MM-dd HH:mm} UTC, or upgrade your plan.")
            {
                RetryAfter = tomorrow - clock.GetUtcNow(),
            };
        }

        s.JobsThatDay++;
        s.JobsAtOnce = limits.Concurrent;
        int? place = null;
        if (limits.Concurrent is { } concurrent && (s.RunningJobs.Count >= concurrent || s.WaitingJobs.Count > 0))
        {
            s.WaitingJobs.Add(jobId);
            place = s.WaitingJobs.Count;
        }
        else
        {
            s.RunningJobs.Add(jobId);
        }

        await state.WriteStateAsync();
        return place;
    }

    public async Task ReleaseJobAsync(Guid jobId)
    {
        if (!state.RecordExists)
        {
            return;
        }

        var s = state.State;
        var wasWaiting = s.WaitingJobs.IndexOf(jobId);
        if (!s.RunningJobs.Remove(jobId) && wasWaiting < 0)
        {
            return;
        }

        if (wasWaiting >= 0)
        {
            s.WaitingJobs.RemoveAt(wasWaiting);
        }

        var started = new List<Guid>();
        while (s.WaitingJobs.Count > 0 && (s.JobsAtOnce is not { } atOnce || s.RunningJobs.Count < atOnce))
        {
            started.Add(s.WaitingJobs[0]);
            s.RunningJobs.Add(s.WaitingJobs[0]);
            s.WaitingJobs.RemoveAt(0);
        }

        await state.WriteStateAsync();

        // One-way calls: a job may be calling this grain at this moment (its own release), so waiting for an
        // answer could deadlock. A lost message is found again by the job's reminder, which asks its standing.
        foreach (var job in started)
        {
            GrainFactory.GetGrain<IJobGrain>(job).SlotFreedAsync().Ignore();
        }

        // Everyone behind a change moves up.
        var movedFrom = started.Count > 0 ? 0 : wasWaiting >= 0 ? wasWaiting : s.WaitingJobs.Count;
        for (var i = movedFrom; i < s.WaitingJobs.Count; i++)
        {
            GrainFactory.GetGrain<IJobGrain>(s.WaitingJobs[i]).PlaceInLineAsync(i + 1).Ignore();
        }
    }

    public Task<PremiumStatus> GetPremiumAsync()
    {
        EnsureExists();
        return Task.FromResult(Premium());
    }

    public Task<string?> GetBillingCustomerAsync()
    {
        EnsureExists();
        return Task.FromResult(state.State.StripeCustomerId);
    }

    public async Task<PremiumStatus> GrantPremiumAsync(DateTimeOffset? until)
    {
        EnsureExists();
        var s = state.State;
        (s.PremiumSource, s.PremiumUntil, s.PremiumGraceUntil, s.PremiumPlan, s.SubscriptionRenews) =
            (until is null ? PremiumSource.None : PremiumSource.Manual, until, null, until is null ? null : "manual", false);
        await SaveAsync();
        return Premium();
    }

    public async Task<PremiumStatus> ApplySubscriptionAsync(SubscriptionUpdate update, TimeSpan grace)
    {
        EnsureExists();
        var s = state.State;
        var now = clock.GetUtcNow();
        // A repeat, a late event, or one about a subscription this account replaced changes nothing.
        if (update.EventAt < s.SubscriptionEventAt
            || (s.StripeSubscriptionId is { } current && current != update.SubscriptionId && s.SubscriptionState is "active" or "trialing" or "past_due"
                && update.Status is not ("active" or "trialing")))
        {
            return Premium();
        }

        s.SubscriptionEventAt = update.EventAt;
        (s.PremiumSource, s.StripeCustomerId, s.StripeSubscriptionId, s.SubscriptionState) = (PremiumSource.Stripe, update.CustomerId, update.SubscriptionId, update.Status);
        s.PremiumPlan = update.Plan ?? s.PremiumPlan;
        switch (update.Status)
        {
            case "active" or "trialing":
                (s.PremiumUntil, s.PremiumGraceUntil, s.SubscriptionRenews) = (update.PeriodEnd, null, !update.CancelAtPeriodEnd);
                break;
            // A renewal's payment failed: the paid period stays as it was, and Premium goes on for the grace period.
            case "past_due" or "unpaid":
                var paidUntil = s.PremiumUntil is { } until && until < update.PeriodEnd ? until : now;
                s.PremiumGraceUntil ??= (paidUntil > now ? paidUntil : now) + grace;
                s.SubscriptionRenews = !update.CancelAtPeriodEnd;
                break;
            // Canceled, or never paid: Premium ends now (a cancellation at the period's end arrives when the period ends).
            default:
                (s.PremiumUntil, s.PremiumGraceUntil, s.SubscriptionRenews) = (s.PremiumUntil is { } end && end < now ? end : now, null, false);
                break;
        }

        await SaveAsync();
        return Premium();
    }

    public Task<AccountRestriction?> GetRestrictionAsync()
    {
        EnsureExists();
        var s = state.State;
        return Task.FromResult(s.Banned || s.SuspendedUntil > clock.GetUtcNow()
            ? new AccountRestriction(s.Banned, s.Banned ? null : s.SuspendedUntil, s.RestrictionReason ?? "")
            : null);
    }

    public async Task RestrictAsync(AccountRestriction? restriction)
    {
        EnsureExists();
        var s = state.State;
        (s.Banned, s.SuspendedUntil, s.RestrictionReason) = restriction is null
            ? (false, null, null)
            : (restriction.Banned, restriction.SuspendedUntil, restriction.Reason);
        if (restriction is { Banned: true })
        {
            // A ban ends every session at once: no token of the account works after this call.
            await EndAllSessionsAsync();
        }

        await SaveAsync();
    }

    public async Task<int> WarnAsync()
    {
        EnsureExists();
        state.State.Warnings++;
        await state.WriteStateAsync();
        return state.State.Warnings;
    }

    public Task<bool> IsBlockingAsync(Guid userId) => Task.FromResult(state.RecordExists && state.State.Blocked.Contains(userId));

    public async Task<IReadOnlyList<Guid>> BlockAsync(Guid userId, bool block)
    {
        EnsureExists();
        if (userId == Id)
        {
            throw DomainException.Invalid("id", "You cannot block yourself.");
        }

        var changed = block ? !state.State.Blocked.Contains(userId) : state.State.Blocked.Remove(userId);
        if (block && changed)
        {
            if (state.State.Blocked.Count >= MaxBlocked)
            {
                throw new DomainException(DomainErrorKind.Conflict, $"You can block up to {MaxBlocked} users; unblock someone first.");
            }

            state.State.Blocked.Add(userId);
        }

        if (changed)
        {
            await state.WriteStateAsync();
        }

        return [.. state.State.Blocked];
    }

    private const string DeletionReminder = "delete-account";

    public async Task<DateTimeOffset> RequestDeletionAsync(TimeSpan grace)
    {
        EnsureExists();
        var due = clock.GetUtcNow() + grace;
        state.State.DeletionDueAt = due;
        await EndAllSessionsAsync();
        // Due at the end of the grace; hourly after that until the eraser is done (it may fail part way and go again).
        await this.RegisterOrUpdateReminder(DeletionReminder, grace, TimeSpan.FromHours(1));
        return due;
    }

    public async Task<bool> CancelDeletionAsync()
    {
        if (!state.RecordExists || state.State.DeletionDueAt is null)
        {
            return false;
        }

        state.State.DeletionDueAt = null;
        await state.WriteStateAsync();
        await UnregisterDeletionAsync();
        return true;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!state.RecordExists || state.State.DeletionDueAt is not { } due)
        {
            await UnregisterDeletionAsync();
            return;
        }

        if (due <= clock.GetUtcNow())
        {
            // One-way: the eraser deletes releases and uploads whose grains call this one back.
            await GrainFactory.GetGrain<IAccountEraserGrain>(Id).EraseAsync();
        }
    }

    public async Task CompleteDeletionAsync()
    {
        if (!state.RecordExists || state.State.DeletionDueAt is null)
        {
            return;
        }

        var s = state.State;
        await Task.WhenAll(s.SessionFamilies.Select(id => GrainFactory.GetGrain<IRefreshTokenFamilyGrain>(id).RevokeAsync()));
        await GrainFactory.GetGrain<Apps.IAccessGrantsGrain>(Id).RevokeAllAsync();
        await GrainFactory.GetGrain<IEmailIndexGrain>(s.Email).ReleaseAsync(Id);
        await Task.WhenAll(s.Logins.Select(login => GrainFactory.GetGrain<IExternalLoginIndexGrain>(login).ReleaseAsync(Id)));
        await push.DeleteUserAsync(Id);
        await catalog.DeleteUserAsync(Id);
        await state.ClearStateAsync();
        await UnregisterDeletionAsync();
        LogErased(logger, Id);
        DeactivateOnIdle();
    }

    private async Task UnregisterDeletionAsync()
    {
        if (await this.GetReminder(DeletionReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {UserId} erased")]
    private static partial void LogErased(ILogger logger, Guid userId);

    private bool PremiumActive(DateTimeOffset now) =>
        state.State.PremiumUntil > now || state.State.PremiumGraceUntil > now;

    private PremiumStatus Premium()
    {
        var s = state.State;
        return new PremiumStatus(PremiumActive(clock.GetUtcNow()), s.PremiumSource, s.PremiumUntil, s.PremiumPlan, s.SubscriptionState, s.SubscriptionRenews,
            s.PremiumGraceUntil);
    }

    private static string LoginKey(ExternalLogin login) => $"{login.Provider}:{login.Subject}";

    private void EnsureExists()
    {
        if (!state.RecordExists)
        {
            throw DomainException.NotFound("The user");
        }
    }

    private UserProfile Profile()
    {
        EnsureExists();
        var s = state.State;
        // Premium is a role while its period (or grace) lasts; an admin stays an admin.
        var role = s.Role == UserRole.User && PremiumActive(clock.GetUtcNow()) ? UserRole.Premium : s.Role;
        return new UserProfile(Id, s.Email, s.DisplayName, s.Bio, role, s.CreatedAt, s.UpdatedAt,
            s.Logins.Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]).Distinct().ToList(), s.EmailVerified, s.DeletionDueAt);
    }

    private async Task<UserProfile> SaveAsync()
    {
        state.State.UpdatedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
        var profile = Profile();
        await WriteThroughAsync(profile);
        return profile;
    }

    // The grain state is the truth; the catalog is retried a few times and can be rebuilt from it.
    private async Task WriteThroughAsync(UserProfile profile)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await catalog.UpsertUserAsync(profile);
                return;
            }
            catch (Exception ex) when (attempt < 3 && ex is not DomainException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt));
            }
            catch (Exception ex) when (ex is not DomainException)
            {
                LogCatalogWriteFailed(logger, ex, Id);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog write-through failed for user {UserId}; the catalog is stale until rebuilt")]
    private static partial void LogCatalogWriteFailed(ILogger logger, Exception exception, Guid userId);
}
