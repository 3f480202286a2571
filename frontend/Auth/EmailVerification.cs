using Jacameno.Frontend.Mail;
using Jacameno.Users;

namespace Jacameno.Frontend.Auth;

/// <summary>
/// Proves that an account's owner reads its email: a single-use link mailed to the address, good for two days. Only a
/// verified address lets a social sign-in link into the account (a pre-registered account cannot capture a victim's
/// later social sign-in).
/// </summary>
public sealed class EmailVerification(IGrainFactory grains, Mailer mailer, AccountMails mails, TimeProvider clock)
{
    public async Task SendAsync(UserProfile user, CancellationToken cancellationToken = default)
    {
        if (user.EmailVerified)
        {
            return;
        }

        var token = await AccountTokens.IssueAsync(grains, AccountTokenPurpose.VerifyEmail, user.Id, user.Email, clock.GetUtcNow());
        await mailer.SendAsync(mails.VerifyEmail(user.Email, user.DisplayName, token), cancellationToken);
    }

    /// <summary>Tells the owner of an address that someone tried to sign up with it (the sign-up's answer does not say so).</summary>
    public Task SignUpAttemptAsync(UserProfile owner, CancellationToken cancellationToken = default) =>
        mailer.SendAsync(mails.SignUpAttempt(owner.Email, owner.DisplayName), cancellationToken);

    public async Task<UserProfile> VerifyAsync(string? token)
    {
        var redeemed = await AccountTokens.RedeemAsync(grains, token, AccountTokenPurpose.VerifyEmail);
        return await grains.GetGrain<IUserGrain>(redeemed.UserId).MarkEmailVerifiedAsync(redeemed.Email);
    }
}
