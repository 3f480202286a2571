using System.Security.Claims;

namespace Jacameno.Frontend.Auth;

public sealed record RegisterRequest(string? Email, string? Password, string? DisplayName);

public sealed record LoginRequest(string? Email, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record VerifyEmailRequest(string? Token);

/// <summary>A sign-up's answer: the same whether or not the address already had an account.</summary>
public sealed record RegistrationResponse(string Email, string Message);

public static class AuthEndpoints
{
    /// <summary>The per-IP limit on social sign-in flows (start, callback). Credential checks draw from <see cref="AuthThrottle"/>.</summary>
    public const string RateLimitPolicy = "auth";

    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Auth");

        auth.MapPost("/register", async (RegisterRequest request, AccountService accounts) =>
                TypedResults.Accepted("/api/auth/login", await accounts.RegisterAsync(request.Email, request.Password, request.DisplayName)))
            .WithSummary("Creates an account and mails a link to confirm its address; then sign in. The answer (202) is the same when the address already has an account: its owner is mailed instead.");

        auth.MapPost("/login", async (LoginRequest request, AccountService accounts) =>
                TypedResults.Ok(await accounts.LoginAsync(request.Email, request.Password)))
            .WithSummary("Signs in with email and password.");

        auth.MapPost("/refresh", async (RefreshRequest request, AccountService accounts) =>
                TypedResults.Ok(await accounts.RefreshAsync(request.RefreshToken)))
            .WithSummary("Exchanges a refresh token for a new token pair; a reused refresh token ends its session.");

        auth.MapPost("/logout", async (RefreshRequest request, AccountService accounts) =>
            {
                await accounts.LogoutAsync(request.RefreshToken);
                return TypedResults.NoContent();
            })
            .WithSummary("Ends the session of the given refresh token.");

        auth.MapPost("/logout-all", async (ClaimsPrincipal user, AccountService accounts) =>
            {
                await accounts.LogoutEverywhereAsync(user.UserId());
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Ends every session of the signed-in user.");

        auth.MapPost("/password", async (ChangePasswordRequest request, ClaimsPrincipal user, AccountService accounts) =>
                TypedResults.Ok(await accounts.ChangePasswordAsync(user.UserId(), request.CurrentPassword, request.NewPassword)))
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Changes the password; every other session ends and a new token pair is returned.");

        auth.MapPost("/verify-email", async (VerifyEmailRequest request, EmailVerification verification) =>
                TypedResults.Ok(MeResponse.From(await verification.VerifyAsync(request.Token))))
            .WithSummary("Confirms the email address with the token from the mailed link (single use, two days).");

        auth.MapPost("/verify-email/resend", async (ClaimsPrincipal user, AccountService accounts) =>
            {
                await accounts.ResendVerificationAsync(user.UserId());
                return TypedResults.Accepted((string?)null);
            })
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Mails a new verification link to the signed-in user's address; counted as a sign-in attempt.");

        auth.MapPost("/password-reset", async (PasswordResetRequest request, AccountRecovery recovery) =>
                TypedResults.Accepted((string?)null, await recovery.RequestPasswordResetAsync(request.Email)))
            .WithSummary("Mails a link to choose a new password (30 minutes, single use) when the address has an account; the answer (202) is the same when it has none. Counted as a sign-in attempt.");

        auth.MapPost("/password-reset/confirm", async (PasswordResetConfirmRequest request, AccountRecovery recovery) =>
            {
                await recovery.ResetPasswordAsync(request.Token, request.NewPassword);
                return TypedResults.NoContent();
            })
            .WithSummary("Sets a new password with the token of a reset link; every session of the account ends, then sign in.");

        auth.MapPost("/email", async (EmailChangeRequest request, ClaimsPrincipal user, AccountRecovery recovery) =>
                TypedResults.Accepted((string?)null, await recovery.RequestEmailChangeAsync(user.UserId(), request.NewEmail, request.Password)))
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Starts moving the account to a new address: a link goes to the new address, a notice to the old one. The password is required when the account has one.");

        auth.MapPost("/email/confirm", async (EmailConfirmRequest request, AccountRecovery recovery) =>
                TypedResults.Ok(MeResponse.From(await recovery.ConfirmEmailChangeAsync(request.Token))))
            .WithSummary("Moves the account to the address the link was mailed to (verified); 409 when another account took it meanwhile.");

        return app;
    }
}
