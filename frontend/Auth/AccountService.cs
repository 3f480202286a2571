using Jacameno.Common;
using Jacameno.Frontend.Mail;
using Jacameno.Storage.Catalog;
using Jacameno.Storage.Credentials;
using Jacameno.Users;
using Microsoft.Extensions.Options;

namespace Jacameno.Frontend.Auth;

/// <summary>When a deleted account is erased, unless its owner signs in before then.</summary>
public sealed record DeletionResponse(DateTimeOffset DeletionDueAt, string Message);

public sealed record DeleteAccountRequest(string? Password);

/// <summary>
/// Sign-up, sign-in and session flows over the user grains; REST and GraphQL both call these, so both
/// surfaces behave the same.
/// </summary>
public sealed class AccountService(IGrainFactory grains, TokenIssuer tokens, AuthThrottle throttle, IHttpContextAccessor http, EmailVerification verification,
    IOptions<AuthOptions> options, IOptions<AccountOptions> accountOptions, ICatalog catalog, Mailer mailer, AccountMails mails)
{
    private const string WrongCredentials = "Wrong email or password.";

    /// <summary>
    /// Creates an account and mails a verification link; the caller then signs in. The answer is the same whether
    /// or not the address already has an account (the owner of an existing one is mailed about the attempt
    /// instead), and both paths spend one password hash, so neither the answer nor its timing tells.
    /// </summary>
    public async Task<RegistrationResponse> RegisterAsync(string? email, string? password, string? displayName)
    {
        await TakeAttemptAsync();
        var normalized = EmailAddress.Normalize(email);
        PasswordPolicy.Validate(password);
        var name = DisplayName.Validate(displayName);
        var accepted = new RegistrationResponse(normalized, "Check your inbox: we sent a link to confirm the address. You can sign in now.");

        var userId = Guid.NewGuid();
        var index = grains.GetGrain<IEmailIndexGrain>(normalized);
        if (await index.ClaimAsync(userId) is var owner && owner != userId)
        {
            PasswordHashes.VerifyAgainstDummy(password!);
            try
            {
                await verification.SignUpAttemptAsync(await grains.GetGrain<IUserGrain>(owner).GetProfileAsync());
            }
            catch (DomainException e) when (e.Kind == DomainErrorKind.NotFound)
            {
                // A concurrent sign-up with this address claimed it a moment ago and is still creating the account;
                // its owner gets that account's verification mail.
            }

            return accepted;
        }

        UserProfile profile;
        try
        {
            profile = await grains.GetGrain<IUserGrain>(userId).CreateAsync(new CreateUserCommand(normalized, name, password, null));
        }
        catch
        {
            await index.ReleaseAsync(userId);
            throw;
        }

        await verification.SendAsync(profile);
        return accepted;
    }

    /// <summary>Mails a new verification link to the caller (each request is a sign-in attempt for the rate limit).</summary>
    public async Task ResendVerificationAsync(Guid userId)
    {
        await TakeAttemptAsync();
        var profile = await grains.GetGrain<IUserGrain>(userId).GetProfileAsync();
        if (profile.EmailVerified)
        {
            throw new DomainException(DomainErrorKind.Conflict, "The email address is already verified.");
        }

        await verification.SendAsync(profile);
    }

    public async Task<TokenResponse> LoginAsync(string? email, string? password)
    {
        await TakeAttemptAsync();
        if (string.IsNullOrEmpty(email) || string.IsNullOrEmpty(password) || password.Length > PasswordPolicy.MaxLength)
        {
            throw Unauthorized();
        }

        string normalized;
        try
        {
            normalized = EmailAddress.Normalize(email);
        }
        catch (DomainException)
        {
            PasswordHashes.VerifyAgainstDummy(password);
            throw Unauthorized();
        }

        // An unknown email costs one hash too, so timing does not tell which emails have accounts.
        if (await grains.GetGrain<IEmailIndexGrain>(normalized).GetOwnerAsync() is not { } userId)
        {
            PasswordHashes.VerifyAgainstDummy(password);
            throw Unauthorized();
        }

        var user = grains.GetGrain<IUserGrain>(userId);
        if (!await user.VerifyPasswordAsync(password))
        {
            throw Unauthorized();
        }

        return await SignInAsync(await PromoteConfiguredAdminAsync(await user.GetProfileAsync()));
    }

    public async Task<TokenResponse> RefreshAsync(string? refreshToken)
    {
        await TakeAttemptAsync();
        if (RefreshTokens.FamilyOf(refreshToken) is not { } family)
        {
            throw new DomainException(DomainErrorKind.Unauthorized, "The refresh token is invalid, expired or was already used.");
        }

        var rotation = await grains.GetGrain<IRefreshTokenFamilyGrain>(family).RotateAsync(refreshToken!);
        var profile = await grains.GetGrain<IUserGrain>(rotation.UserId).GetProfileAsync();
        return tokens.Issue(profile, rotation);
    }

    /// <summary>Ends the session the token belongs to; unknown tokens are ignored (logout is idempotent).</summary>
    public async Task LogoutAsync(string? refreshToken)
    {
        if (RefreshTokens.FamilyOf(refreshToken) is { } family)
        {
            await grains.GetGrain<IRefreshTokenFamilyGrain>(family).RevokeWithTokenAsync(refreshToken!);
        }
    }

    public Task LogoutEverywhereAsync(Guid userId) => grains.GetGrain<IUserGrain>(userId).EndAllSessionsAsync();

    /// <summary>Changes the password, ends every session and starts a new one for the caller.</summary>
    public async Task<TokenResponse> ChangePasswordAsync(Guid userId, string? currentPassword, string? newPassword)
    {
        await TakeAttemptAsync();
        var user = grains.GetGrain<IUserGrain>(userId);
        await user.ChangePasswordAsync(currentPassword ?? "", newPassword ?? "");
        return await SignInAsync(await user.GetProfileAsync());
    }

    /// <summary>Starts a session for every way in (password, social sign-in, a new password); a banned account gets none.</summary>
    public async Task<TokenResponse> SignInAsync(UserProfile profile)
    {
        var user = grains.GetGrain<IUserGrain>(profile.Id);
        if (await user.GetRestrictionAsync() is { Banned: true } ban)
        {
            throw new DomainException(DomainErrorKind.Forbidden, ban.Message);
        }

        // Signing in is how a deletion is called off during its grace period.
        if (await user.CancelDeletionAsync())
        {
            profile = await user.GetProfileAsync();
        }

        return tokens.Issue(profile, await user.StartSessionAsync());
    }

    /// <summary>
    /// Schedules the caller's account for erasure after the grace period (the password is required when the account
    /// has one) and ends every session; the collaborators of the projects they own are mailed, so they can fork first.
    /// </summary>
    public async Task<DeletionResponse> RequestDeletionAsync(Guid userId, string? password)
    {
        await TakeAttemptAsync();
        var user = grains.GetGrain<IUserGrain>(userId);
        if (await user.HasPasswordAsync() && !await user.VerifyPasswordAsync(password ?? ""))
        {
            throw DomainException.Invalid("password", "The password is wrong.");
        }

        var profile = await user.GetProfileAsync();
        var due = await user.RequestDeletionAsync(accountOptions.Value.DeletionGracePeriod);
        await mailer.SendAsync(mails.DeletionScheduled(profile.Email, profile.DisplayName, due));
        string? after = null;
        do
        {
            var page = await catalog.ListProjectsAsync(userId, owned: true, 100, after);
            foreach (var project in page.Items)
            {
                var document = await grains.GetGrain<Jacameno.Projects.IProjectGrain>(project.Id).GetAsync(userId);
                foreach (var collaborator in document.Collaborators.Where(c => c.UserId != userId))
                {
                    var member = await grains.GetGrain<IUserGrain>(collaborator.UserId).GetProfileAsync();
                    await mailer.SendAsync(mails.ProjectClosing(member.Email, member.DisplayName, profile.DisplayName, project.Name, due));
                }
            }

            after = page.NextCursor;
        }
        while (after is not null);

        return new DeletionResponse(due, $"Your account and everything you made will be deleted on {due:u}. Sign in before then to keep it.");
    }

    private async Task<UserProfile> PromoteConfiguredAdminAsync(UserProfile profile) =>
        profile.Role != UserRole.Admin && options.Value.AdminEmails.Any(e => string.Equals(e.Trim(), profile.Email, StringComparison.OrdinalIgnoreCase))
            ? await grains.GetGrain<IUserGrain>(profile.Id).SetRoleAsync(UserRole.Admin, UserRole.Admin)
            : profile;

    /// <summary>One attempt from the caller's address (see <see cref="AuthThrottle"/>); every credential check takes one.</summary>
    public ValueTask TakeAttemptAsync() => throttle.TakeAsync(http.HttpContext);

    private static DomainException Unauthorized() => new(DomainErrorKind.Unauthorized, WrongCredentials);
}
