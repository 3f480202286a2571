using Jacameno.Common;
using Jacameno.Frontend.Mail;
using Jacameno.Users;

namespace Jacameno.Frontend.Auth;

public sealed record PasswordResetRequest(string? Email);

public sealed record PasswordResetConfirmRequest(string? Token, string? NewPassword);

public sealed record EmailChangeRequest(string? NewEmail, string? Password);

public sealed record EmailConfirmRequest(string? Token);

/// <summary>What a request for a mailed link answers: the same whether or not a mail went out.</summary>
public sealed record MailedLinkResponse(string Message);

/// <summary>
/// Getting back into an account and moving it to another address, by links mailed to the address (REST and GraphQL
/// call these). A reset link works for 30 minutes, once, ends every session and verifies the address; a new address
/// becomes the account's only when a link mailed to it is opened, and the old address is told. Every link dies when
/// the password or the address changes after it was mailed.
/// </summary>
public sealed class AccountRecovery(IGrainFactory grains, Mailer mailer, AccountMails mails, AccountService accounts, TimeProvider clock)
{
    private const string ResetMailed = "If an account uses this address, we mailed it a link to choose a new password; it works for 30 minutes.";

    /// <summary>
    /// Mails a reset link when the address has an account. The answer is the same either way; each request is a
    /// sign-in attempt for the rate limit, so addresses cannot be probed or mail-bombed quickly.
    /// </summary>
    public async Task<MailedLinkResponse> RequestPasswordResetAsync(string? email)
    {
        await accounts.TakeAttemptAsync();
        var normalized = EmailAddress.Normalize(email);
        if (await grains.GetGrain<IEmailIndexGrain>(normalized).GetOwnerAsync() is { } userId)
        {
            var user = await grains.GetGrain<IUserGrain>(userId).GetProfileAsync();
            var token = await AccountTokens.IssueAsync(grains, AccountTokenPurpose.ResetPassword, userId, user.Email, clock.GetUtcNow());
            await mailer.SendAsync(mails.ResetPassword(user.Email, user.DisplayName, token));
        }

        return new MailedLinkResponse(ResetMailed);
    }

    /// <summary>Sets the new password from a reset link; the link is used up only when the password is acceptable.</summary>
    public async Task ResetPasswordAsync(string? token, string? newPassword)
    {
        await accounts.TakeAttemptAsync();
        PasswordPolicy.Validate(newPassword, "newPassword");
        var redeemed = await AccountTokens.RedeemAsync(grains, token, AccountTokenPurpose.ResetPassword);
        await grains.GetGrain<IUserGrain>(redeemed.UserId).ResetPasswordAsync(newPassword!, redeemed.Email, redeemed.IssuedAt);
    }

    /// <summary>
    /// Starts moving the account to <paramref name="newEmail"/>: the password is checked (accounts without one, made
    /// by a social sign-in, skip it), a confirmation link goes to the new address and a notice to the old one. An
    /// address that already has an account gets nothing, and the answer is the same.
    /// </summary>
    public async Task<MailedLinkResponse> RequestEmailChangeAsync(Guid userId, string? newEmail, string? password)
    {
        await accounts.TakeAttemptAsync();
        var normalized = EmailAddress.Normalize(newEmail, "newEmail");
        var user = grains.GetGrain<IUserGrain>(userId);
        var profile = await user.GetProfileAsync();
        if (await user.HasPasswordAsync() && !await user.VerifyPasswordAsync(password ?? ""))
        {
            throw DomainException.Invalid("password", "The password is wrong.");
        }

        if (string.Equals(normalized, profile.Email, StringComparison.Ordinal))
        {
            throw DomainException.Invalid("newEmail", "This is already the account's address.");
        }

        if (await grains.GetGrain<IEmailIndexGrain>(normalized).GetOwnerAsync() is null)
        {
            var token = await AccountTokens.IssueAsync(grains, AccountTokenPurpose.ChangeEmail, userId, normalized, clock.GetUtcNow());
            await mailer.SendAsync(mails.ConfirmNewEmail(normalized, profile.DisplayName, token));
        }

        await mailer.SendAsync(mails.EmailChangeNotice(profile.Email, profile.DisplayName, normalized));
        return new MailedLinkResponse($"We mailed a link to {normalized}; the account moves to that address once it is opened.");
    }

    /// <summary>
    /// Moves the account to the address the link was mailed to. The new address is claimed first, so two accounts
    /// never share one; an address taken meanwhile is a conflict, and the account keeps its old one.
    /// </summary>
    public async Task<UserProfile> ConfirmEmailChangeAsync(string? token)
    {
        var redeemed = await AccountTokens.RedeemAsync(grains, token, AccountTokenPurpose.ChangeEmail);
        var index = grains.GetGrain<IEmailIndexGrain>(redeemed.Email);
        if (await index.ClaimAsync(redeemed.UserId) != redeemed.UserId)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Another account uses this address now; the account keeps its old one.");
        }

        var user = grains.GetGrain<IUserGrain>(redeemed.UserId);
        string old;
        try
        {
            old = await user.ChangeEmailAsync(redeemed.Email, redeemed.IssuedAt);
        }
        catch
        {
            await index.ReleaseAsync(redeemed.UserId);
            throw;
        }

        await grains.GetGrain<IEmailIndexGrain>(old).ReleaseAsync(redeemed.UserId);
        return await user.GetProfileAsync();
    }
}
