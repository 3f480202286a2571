using System.Net;
using Jacameno.Common;
using Jacameno.Frontend.Mail;
using Jacameno.Hosting;
using Jacameno.Users;

namespace Jacameno.Frontend.Auth;

/// <summary>
/// Proves that an account's owner reads its email: a single-use link mailed to the address, good for two days. Only a
/// verified address lets a social sign-in link into the account (a pre-registered account cannot capture a victim's
/// later social sign-in).
/// </summary>
public sealed class EmailVerification(IGrainFactory grains, Mailer mailer, IConfiguration configuration, TimeProvider clock)
{
    private readonly Uri publicUrl = configuration.GetJacamenoOptions().PublicUrl;

    public async Task SendAsync(UserProfile user, CancellationToken cancellationToken = default)
    {
        if (user.EmailVerified)
        {
            return;
        }

        var token = AccountTokens.New();
        await grains.GetGrain<IAccountTokenGrain>(AccountTokens.KeyOf(token))
            .IssueAsync(new AccountToken(AccountTokenPurpose.VerifyEmail, user.Id, user.Email, clock.GetUtcNow() + AccountTokens.VerifyEmailLifetime));
        var link = new Uri(publicUrl, $"/verify-email?token={token}").ToString();
        var name = WebUtility.HtmlEncode(user.DisplayName);
        await mailer.SendAsync(new MailMessage(user.Email, "Confirm your email for Jacameno",
            $"Hi {user.DisplayName},\n\nConfirm that this is your email address by opening this link within two days:\n\n{link}\n\nIf you did not sign up for Jacameno, ignore this mail.\n",
            $"<p>Hi {name},</p><p>Confirm that this is your email address by opening this link within two days:</p><p><a href=\"{WebUtility.HtmlEncode(link)}\">Confirm my email</a></p><p>If you did not sign up for Jacameno, ignore this mail.</p>"),
            cancellationToken);
    }

    /// <summary>Tells the owner of an address that someone tried to sign up with it (the sign-up's answer does not say so).</summary>
    public Task SignUpAttemptAsync(UserProfile owner, CancellationToken cancellationToken = default)
    {
        var signIn = new Uri(publicUrl, "/signin").ToString();
        return mailer.SendAsync(new MailMessage(owner.Email, "Someone tried to sign up with your address",
            $"Hi {owner.DisplayName},\n\nSomeone tried to create a Jacameno account with this address, which already has one. If it was you, sign in instead:\n\n{signIn}\n\nIf it was not you, you need not do anything; your account is unchanged.\n",
            $"<p>Hi {WebUtility.HtmlEncode(owner.DisplayName)},</p><p>Someone tried to create a Jacameno account with this address, which already has one. If it was you, <a href=\"{WebUtility.HtmlEncode(signIn)}\">sign in</a> instead.</p><p>If it was not you, you need not do anything; your account is unchanged.</p>"),
            cancellationToken);
    }

    public async Task<UserProfile> VerifyAsync(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100
            || await grains.GetGrain<IAccountTokenGrain>(AccountTokens.KeyOf(token)).RedeemAsync(AccountTokenPurpose.VerifyEmail) is not { } redeemed)
        {
            throw DomainException.Invalid("token", "The link is invalid, has expired or was already used; ask for a new one.");
        }

        return await grains.GetGrain<IUserGrain>(redeemed.UserId).MarkEmailVerifiedAsync(redeemed.Email);
    }
}
