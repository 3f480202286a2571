using System.Security.Claims;
using Jacameno.Common;
using Jacameno.Users;
using Microsoft.Extensions.Options;

namespace Jacameno.Frontend.Auth.External;

/// <summary>
/// Turns an identity confirmed by a provider into a Jacameno account: the account already linked to it, else
/// the account with the same email when the provider vouches for that email, else a new account.
/// </summary>
public sealed class ExternalAccounts(IGrainFactory grains, AccountService accounts, IOptions<ExternalLoginOptions> options, TimeProvider clock)
{
    public async Task<UserProfile> ResolveAsync(ExternalProvider provider, ClaimsPrincipal identity)
    {
        var subject = identity.FindFirst(ClaimTypes.NameIdentifier)?.Value
            ?? throw new DomainException(DomainErrorKind.Unauthorized, $"{provider.DisplayName} did not say who you are.");
        var login = new ExternalLogin(provider.Name, subject);
        var loginIndex = grains.GetGrain<IExternalLoginIndexGrain>($"{login.Provider}:{login.Subject}");
        if (await loginIndex.GetOwnerAsync() is { } linked)
        {
            return await grains.GetGrain<IUserGrain>(linked).GetProfileAsync();
        }

        if (identity.FindFirst(ClaimTypes.Email)?.Value is not { Length: > 0 } rawEmail)
        {
            throw DomainException.Invalid("email", $"{provider.DisplayName} did not share an email address; allow it, or sign up with email and password.");
        }

        var email = EmailAddress.Normalize(rawEmail);
        var emailIndex = grains.GetGrain<IEmailIndexGrain>(email);
        var userId = Guid.NewGuid();
        var owner = await emailIndex.ClaimAsync(userId);
        if (owner != userId)
        {
            if (!provider.EmailIsVerified(identity))
            {
                throw new DomainException(DomainErrorKind.Conflict,
                    $"An account with {email} exists, and {provider.DisplayName} did not confirm that the address is yours. Sign in with your password.", "email");
            }

            // Whoever registered the address first may not own it: until that account proves it reads the mail, a
            // social sign-in never joins it (the victim's sign-in would land in an account the attacker holds).
            if (!(await grains.GetGrain<IUserGrain>(owner).GetProfileAsync()).EmailVerified)
            {
                throw new DomainException(DomainErrorKind.Conflict,
                    $"An account with {email} exists, but its address is not verified yet. Sign in with its password and confirm the address first.", "email");
            }

            await loginIndex.ClaimAsync(owner);
            return await grains.GetGrain<IUserGrain>(owner).LinkExternalLoginAsync(login);
        }

        UserProfile created;
        try
        {
            created = await grains.GetGrain<IUserGrain>(userId).CreateAsync(new CreateUserCommand(email, DisplayNameOf(identity, email), null, login,
                EmailVerified: provider.EmailIsVerified(identity)));
        }
        catch
        {
            await emailIndex.ReleaseAsync(userId);
            throw;
        }

        // Two first sign-ins racing: the first claim wins and the other account stays without this login.
        var winner = await loginIndex.ClaimAsync(userId);
        return winner == userId ? created : await grains.GetGrain<IUserGrain>(winner).GetProfileAsync();
    }

    /// <summary>
    /// Where a signed-in user's browser goes to link a provider's identity to their account: the provider's start,
    /// carrying a single-use token (10 minutes) that stands for the user, since a browser navigation sends no bearer token.
    /// </summary>
    public async Task<string> StartLinkAsync(Guid userId, ExternalProvider provider, string? returnUrl)
    {
        var target = ValidateReturnUrl(returnUrl ?? "/settings") ?? throw DomainException.Invalid("returnUrl", "Return to a path on this site or to an app URL the server allows.");
        var user = await grains.GetGrain<IUserGrain>(userId).GetProfileAsync();
        var token = await AccountTokens.IssueAsync(grains, AccountTokenPurpose.LinkLogin, userId, user.Email, clock.GetUtcNow());
        return $"/api/auth/external/{provider.Name}/start?returnUrl={Uri.EscapeDataString(target)}&link={Uri.EscapeDataString(token)}";
    }

    /// <summary>Links the identity the provider confirmed to the user the link token stands for; one identity, one account.</summary>
    public async Task LinkAsync(ExternalProvider provider, ClaimsPrincipal identity, string? linkToken)
    {
        var userId = (await AccountTokens.RedeemAsync(grains, linkToken, AccountTokenPurpose.LinkLogin)).UserId;
        var subject = identity.FindFirst(ClaimTypes.NameIdentifier)?.Value
            ?? throw new DomainException(DomainErrorKind.Unauthorized, $"{provider.DisplayName} did not say who you are.");
        var login = new ExternalLogin(provider.Name, subject);
        if (await grains.GetGrain<IExternalLoginIndexGrain>($"{login.Provider}:{login.Subject}").ClaimAsync(userId) != userId)
        {
            throw new DomainException(DomainErrorKind.Conflict, $"This {provider.DisplayName} account already signs in to another Jacameno account.");
        }

        await grains.GetGrain<IUserGrain>(userId).LinkExternalLoginAsync(login);
    }

    /// <summary>Unlinks the provider from the account (never its last way in) and frees its identities for other accounts.</summary>
    public async Task<UserProfile> UnlinkAsync(Guid userId, string provider)
    {
        var user = grains.GetGrain<IUserGrain>(userId);
        foreach (var key in await user.UnlinkExternalLoginAsync(provider.ToLowerInvariant()))
        {
            await grains.GetGrain<IExternalLoginIndexGrain>(key).ReleaseAsync(userId);
        }

        return await user.GetProfileAsync();
    }

    /// <summary>A one-time code for the user, redeemed by the app through <see cref="RedeemAsync"/>.</summary>
    public async Task<string> IssueCodeAsync(Guid userId)
    {
        var code = SignInCodes.New();
        await grains.GetGrain<ISignInCodeGrain>(SignInCodes.KeyOf(code)).IssueAsync(userId, clock.GetUtcNow() + SignInCodes.Lifetime);
        return code;
    }

    public async Task<TokenResponse> RedeemAsync(string? code)
    {
        await accounts.TakeAttemptAsync();
        if (string.IsNullOrEmpty(code) || code.Length > 100
            || await grains.GetGrain<ISignInCodeGrain>(SignInCodes.KeyOf(code)).RedeemAsync() is not { } userId)
        {
            throw new DomainException(DomainErrorKind.Unauthorized, "The sign-in code is invalid, expired or was already used; sign in again.");
        }

        return await accounts.SignInAsync(await grains.GetGrain<IUserGrain>(userId).GetProfileAsync());
    }

    /// <summary>
    /// Where the browser may be sent back: a path on this site, or one of the configured app URLs exactly. Null
    /// means refused. Browsers forgive what a string check does not see (a tab or newline is dropped, a backslash
    /// is read as a slash), so a path is refused if it holds either, and must parse as a path with no host.
    /// </summary>
    public string? ValidateReturnUrl(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl))
        {
            return "/";
        }

        if (returnUrl.Length > 2000 || returnUrl.Contains('#', StringComparison.Ordinal))
        {
            return null;
        }

        if (options.Value.ReturnUrls.Contains(returnUrl, StringComparer.Ordinal))
        {
            return returnUrl;
        }

        return IsSameSitePath(returnUrl) ? returnUrl : null;
    }

    private static bool IsSameSitePath(string url) =>
        url.StartsWith('/')
        && (url.Length == 1 || url[1] is not ('/' or '\\'))
        && !url.Any(c => char.IsControl(c) || c == '\\' || char.IsWhiteSpace(c))
        && Uri.TryCreate(url, UriKind.Relative, out _)
        && new Uri(new Uri("https://site.invalid"), url).Host == "site.invalid";

    private static string DisplayNameOf(ClaimsPrincipal identity, string email)
    {
        var name = identity.FindFirst(ClaimTypes.Name)?.Value;
        try
        {
            return DisplayName.Validate(string.IsNullOrWhiteSpace(name) ? email.Split('@')[0] : name);
        }
        catch (DomainException)
        {
            return "New musician";
        }
    }
}
