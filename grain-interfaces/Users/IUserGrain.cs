namespace Jacameno.Users;

/// <summary>One user: profile, role, password hash, linked logins and sign-in sessions. Keyed by user id.</summary>
[Alias("jacameno.user")]
public interface IUserGrain : IGrainWithGuidKey
{
    /// <summary>Creates the user once; a second call fails with a conflict.</summary>
    [Alias("create")]
    Task<UserProfile> CreateAsync(CreateUserCommand command);

    /// <summary>The profile; throws not-found when the user does not exist.</summary>
    [Alias("get")]
    Task<UserProfile> GetProfileAsync();

    /// <summary>Whether the password matches. Never reveals whether the user exists: a missing user is false.</summary>
    [Alias("verify-password")]
    Task<bool> VerifyPasswordAsync(string password);

    /// <summary>Whether the account has a password (one made by a social sign-in may not).</summary>
    [Alias("has-password")]
    Task<bool> HasPasswordAsync();

    /// <summary>Changes the password after checking the current one, and ends every other session.</summary>
    [Alias("change-password")]
    Task ChangePasswordAsync(string currentPassword, string newPassword);

    [Alias("update-profile")]
    Task<UserProfile> UpdateProfileAsync(UpdateProfileCommand command);

    /// <summary>Sets the role. The caller (an admin) is authorized at the edge and here by <paramref name="actorRole"/>.</summary>
    [Alias("set-role")]
    Task<UserProfile> SetRoleAsync(UserRole role, UserRole actorRole);

    /// <summary>
    /// Marks the email verified when <paramref name="email"/> is still the account's address (a link mailed to an
    /// old address verifies nothing); returns the profile either way.
    /// </summary>
    [Alias("verify-email")]
    Task<UserProfile> MarkEmailVerifiedAsync(string email);

    /// <summary>
    /// Sets a new password by a reset link mailed to <paramref name="email"/> at <paramref name="issuedAt"/>, verifies
    /// the address (the link proved it is read) and ends every session. Refused when the address or the
    /// credentials changed after the link was mailed.
    /// </summary>
    [Alias("reset-password")]
    Task ResetPasswordAsync(string newPassword, string email, DateTimeOffset issuedAt);

    /// <summary>
    /// Makes <paramref name="newEmail"/>, confirmed by a link mailed to it at <paramref name="issuedAt"/>, the
    /// account's verified address; returns the old one. Refused when the credentials changed after the link was
    /// mailed. The caller holds the new address's index entry.
    /// </summary>
    [Alias("change-email")]
    Task<string> ChangeEmailAsync(string newEmail, DateTimeOffset issuedAt);

    /// <summary>The user's Premium: on or not, from where, until when.</summary>
    [Alias("premium")]
    Task<PremiumStatus> GetPremiumAsync();

    /// <summary>The user's Stripe customer, once a subscription made one.</summary>
    [Alias("billing-customer")]
    Task<string?> GetBillingCustomerAsync();

    /// <summary>Grants Premium until <paramref name="until"/> (the manual provider, by an admin); null ends it.</summary>
    [Alias("grant-premium")]
    Task<PremiumStatus> GrantPremiumAsync(DateTimeOffset? until);

    /// <summary>Applies what Stripe says about the user's subscription; a failed renewal keeps Premium for <paramref name="grace"/>.</summary>
    [Alias("apply-subscription")]
    Task<PremiumStatus> ApplySubscriptionAsync(SubscriptionUpdate update, TimeSpan grace);

    /// <summary>Why the account may not write now (banned, or suspended until a date); null when it may.</summary>
    [Alias("restriction")]
    Task<Jacameno.Moderation.AccountRestriction?> GetRestrictionAsync();

    /// <summary>Bans or suspends the account (a ban ends every session), or lifts it (null). Moderators only, checked at the edge.</summary>
    [Alias("restrict")]
    Task RestrictAsync(Jacameno.Moderation.AccountRestriction? restriction);

    /// <summary>Counts a moderator's warning; returns how many the account has had.</summary>
    [Alias("warn")]
    Task<int> WarnAsync();

    /// <summary>Whether this user blocked <paramref name="userId"/>.</summary>
    [Alias("is-blocking")]
    Task<bool> IsBlockingAsync(Guid userId);

    /// <summary>Blocks or unblocks <paramref name="userId"/>; returns the block list.</summary>
    [Alias("block")]
    Task<IReadOnlyList<Guid>> BlockAsync(Guid userId, bool block);

    /// <summary>
    /// Schedules the account's erasure after <paramref name="grace"/> and ends every session; signing in before then
    /// cancels it (<see cref="CancelDeletionAsync"/>). Returns when it is due.
    /// </summary>
    [Alias("request-deletion")]
    Task<DateTimeOffset> RequestDeletionAsync(TimeSpan grace);

    /// <summary>Cancels a scheduled deletion; true when one was scheduled.</summary>
    [Alias("cancel-deletion")]
    Task<bool> CancelDeletionAsync();

    /// <summary>The eraser is done: frees the address and logins and forgets the account.</summary>
    [Alias("complete-deletion")]
    Task CompleteDeletionAsync();

    /// <summary>
    /// Unlinks every identity of <paramref name="provider"/> and returns their index keys (<c>provider:subject</c>);
    /// refused when it would leave the account without a way in (no password, no other provider).
    /// </summary>
    [Alias("unlink-login")]
    Task<IReadOnlyList<string>> UnlinkExternalLoginAsync(string provider);

    /// <summary>Links an external login; idempotent.</summary>
    [Alias("link-login")]
    Task<UserProfile> LinkExternalLoginAsync(ExternalLogin login);

    /// <summary>Starts a sign-in session (a refresh-token family) and returns its first refresh token.</summary>
    [Alias("start-session")]
    Task<RefreshRotation> StartSessionAsync();

    /// <summary>Ends every session of the user: all refresh-token families are revoked.</summary>
    [Alias("end-sessions")]
    Task EndAllSessionsAsync();

    /// <summary>
    /// Counts <paramref name="bytes"/> of stored audio against the user's quota (<paramref name="quotaBytes"/>,
    /// null for none); refuses with a reason when it would not fit. Returns the bytes now in use.
    /// </summary>
    [Alias("reserve-storage")]
    Task<long> ReserveStorageAsync(long bytes, long? quotaBytes);

    /// <summary>The bytes of stored audio counted against the user's quota.</summary>
    [Alias("storage-used")]
    Task<long> GetStorageUsedAsync();

    /// <summary>Gives back storage of a deleted or failed upload.</summary>
    [Alias("release-storage")]
    Task ReleaseStorageAsync(long bytes);

    /// <summary>
    /// Counts a new job against the user's jobs per UTC day (refused, too many requests, when they are used)
    /// and gives it one of the slots of jobs at once, or a place in the user's line when they are all taken.
    /// Null: it may start now; otherwise its place (1 = next). Idempotent per job id: asked again, it answers
    /// the job's present standing. When a slot frees, the first in line is started (<see cref="Jacameno.Jobs.IJobGrain.SlotFreedAsync"/>)
    /// and the others are told their new places.
    /// </summary>
    [Alias("queue-job")]
    Task<int?> QueueJobAsync(Guid jobId, Jacameno.Jobs.JobLimits limits);

    /// <summary>The job finished or was cancelled: it gives back its slot or its place in line.</summary>
    [Alias("release-job")]
    Task ReleaseJobAsync(Guid jobId);
}
