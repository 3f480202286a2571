using System.Net;
using System.Net.Http.Json;

namespace Jacameno.Frontend.Tests;

/// <summary>Password reset and change of address, by the links the SMTP sink received, over REST and GraphQL.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class AccountRecoveryTests(SharedPlatform platform)
{
    private const string Password = "correct horse 9";

    private static string NewEmail(string prefix) => $"{prefix}-{Guid.NewGuid():N}@example.org";

    [Fact]
    public async Task PasswordReset_ByTheMailedLink_SetsThePassword_EndsEverySession_AndWorksOnce()
    {
        var email = NewEmail("forgot");
        var tokens = await platform.RegisterAsync(email);
        using var anonymous = platform.CreateClient();
        var asked = await anonymous.PostAsJsonAsync("/api/auth/password-reset", new { email = email.ToUpperInvariant() });
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var token = await platform.MailedTokenAsync(email, "reset-password");

        // A password the policy refuses leaves the link usable.
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.PostAsJsonAsync("/api/auth/password-reset/confirm", new { token, newPassword = "short" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.PostAsJsonAsync("/api/auth/password-reset/confirm", new { token, newPassword = "a brand new horse 7" })).StatusCode);

        var reused = await anonymous.PostAsJsonAsync("/api/auth/password-reset/confirm", new { token, newPassword = "yet another horse 8" });
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Contains("invalid, has expired or was already used", await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The old session is over, the old password too; the new one signs in, and the address counts as verified.
        using var old = platform.CreateClient(tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetAsync("/api/users/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/refresh", new { tokens.RefreshToken })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = Password })).StatusCode);
        var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = "a brand new horse 7" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.True((await login.BodyAsync()).GetProperty("user").GetProperty("emailVerified").GetBoolean());
    }

    [Fact]
    public async Task PasswordReset_ForAnUnknownAddress_AnswersTheSame_AndMailsNothing()
    {
        var known = NewEmail("known");
        await platform.RegisterAsync(known);
        var unknown = NewEmail("unknown");
        using var client = platform.CreateClient();
        var forKnown = await client.PostAsJsonAsync("/api/auth/password-reset", new { email = known });
        var forUnknown = await client.PostAsJsonAsync("/api/auth/password-reset", new { email = unknown });
        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (forKnown.StatusCode, forUnknown.StatusCode));
        Assert.Equal(await forKnown.Content.ReadAsStringAsync(), await forUnknown.Content.ReadAsStringAsync());

        await platform.MailedTokenAsync(known, "reset-password");
        Assert.Empty(SmtpSink.Shared.MessagesTo(unknown));
        var malformed = await client.PostAsJsonAsync("/api/auth/password-reset", new { email = "not an address" });
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public async Task Links_ForgedOfAnotherPurposeOrOutdated_Are400_AndChangeNothing()
    {
        var email = NewEmail("links");
        await platform.RegisterAsync(email, verified: false);
        using var client = platform.CreateClient();
        var verify = await platform.MailedVerificationTokenAsync(email);

        foreach (var token in new[] { "forged", "", new string('a', 5000), verify })
        {
            var response = await client.PostAsJsonAsync("/api/auth/password-reset/confirm", new { token, newPassword = "a brand new horse 7" });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/auth/email/confirm", new { token })).StatusCode);
        }

        // A reset link mailed before the password changed no longer works.
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/auth/password-reset", new { email })).StatusCode);
        var early = await platform.MailedTokenAsync(email, "reset-password");
        var session = await LoginAsync(client, email, Password) ?? throw new InvalidOperationException("no sign-in");
        using var signedIn = platform.CreateClient(session);
        Assert.Equal(HttpStatusCode.OK, (await signedIn.PostAsJsonAsync("/api/auth/password", new { currentPassword = Password, newPassword = "changed horse 5" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/auth/password-reset/confirm", new { token = early, newPassword = "a brand new horse 7" })).StatusCode);
        Assert.NotNull(await LoginAsync(client, email, "changed horse 5"));

        // The verification link was not used up by being tried as a reset token.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/auth/verify-email", new { token = verify })).StatusCode);
    }

    [Fact]
    public async Task ChangeOfAddress_IsConfirmedByTheNewAddress_TheOldIsTold_AndSignInFollows()
    {
        var (oldEmail, newEmail) = (NewEmail("old"), NewEmail("new"));
        var tokens = await platform.RegisterAsync(oldEmail);
        using var client = platform.CreateClient(tokens.AccessToken);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/auth/email", new { newEmail, password = "wrong" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/auth/email", new { newEmail = oldEmail, password = Password })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/auth/email", new { newEmail, password = Password })).StatusCode);

        var token = await platform.MailedTokenAsync(newEmail, "confirm-email");
        await SmtpSink.Shared.WaitForAsync(oldEmail, m => (m.TextBody ?? "").Contains(newEmail, StringComparison.Ordinal));
        // Nothing changes until the new address confirms.
        Assert.NotNull(await LoginAsync(client, oldEmail, Password));

        using var anonymous = platform.CreateClient();
        var confirmed = await anonymous.PostAsJsonAsync("/api/auth/email/confirm", new { token });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var me = await confirmed.BodyAsync();
        Assert.Equal((newEmail, true), (me.GetProperty("email").GetString(), me.GetProperty("emailVerified").GetBoolean()));
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.PostAsJsonAsync("/api/auth/email/confirm", new { token })).StatusCode);

        Assert.Null(await LoginAsync(anonymous, oldEmail, Password));
        Assert.NotNull(await LoginAsync(anonymous, newEmail, Password));
        // The old address is free for a new account.
        await platform.RegisterAsync(oldEmail);
    }

    [Fact]
    public async Task ChangeOfAddress_ToATakenAddress_MailsNothingThere_AndALateConfirmationIs409()
    {
        var (mine, theirs, contested) = (NewEmail("mine"), NewEmail("theirs"), NewEmail("contested"));
        var me = await platform.RegisterAsync(mine);
        await platform.RegisterAsync(theirs);
        using var client = platform.CreateClient(me.AccessToken);

        // Asking for an address that has an account answers as for a free one, and mails nothing to it.
        var taken = await client.PostAsJsonAsync("/api/auth/email", new { newEmail = theirs, password = Password });
        Assert.Equal(HttpStatusCode.Accepted, taken.StatusCode);
        await SmtpSink.Shared.WaitForAsync(mine, m => (m.TextBody ?? "").Contains(theirs, StringComparison.Ordinal));
        Assert.DoesNotContain(SmtpSink.Shared.MessagesTo(theirs), m => SmtpSink.LinkToken(m, "confirm-email") is not null);

        // An address someone signs up with between the mail and the click stays theirs.
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/auth/email", new { newEmail = contested, password = Password })).StatusCode);
        var token = await platform.MailedTokenAsync(contested, "confirm-email");
        await platform.RegisterAsync(contested);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/api/auth/email/confirm", new { token })).StatusCode);
        Assert.Equal(mine, (await (await client.GetAsync("/api/users/me")).BodyAsync()).GetProperty("email").GetString());
    }

    [Fact]
    public async Task GraphQL_ResetsAPasswordAndMovesAnAccount_AsRestDoes()
    {
        var (email, moved) = (NewEmail("gql"), NewEmail("gql-moved"));
        await platform.RegisterAsync(email);
        using var anonymous = platform.CreateClient();
        var asked = await GraphQLApiTests.QueryAsync(anonymous, "mutation($e: String!) { requestPasswordReset(email: $e) }", new { e = email });
        Assert.Contains("30 minutes", asked.GetProperty("data").GetProperty("requestPasswordReset").GetString(), StringComparison.Ordinal);
        var token = await platform.MailedTokenAsync(email, "reset-password");
        var forged = await GraphQLApiTests.QueryAsync(anonymous, "mutation { resetPassword(token: \"forged\", newPassword: \"gql horse 12345\") }");
        Assert.Equal("BAD_USER_INPUT", forged.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        var reset = await GraphQLApiTests.QueryAsync(anonymous, "mutation($t: String!) { resetPassword(token: $t, newPassword: \"gql horse 12345\") }", new { t = token });
        Assert.True(reset.GetProperty("data").GetProperty("resetPassword").GetBoolean());

        using var signedIn = platform.CreateClient(await LoginAsync(anonymous, email, "gql horse 12345") ?? throw new InvalidOperationException("no sign-in"));
        var change = await GraphQLApiTests.QueryAsync(signedIn, "mutation($n: String!) { requestEmailChange(newEmail: $n, password: \"gql horse 12345\") }", new { n = moved });
        Assert.True(change.TryGetProperty("data", out _), change.ToString());
        var confirm = await GraphQLApiTests.QueryAsync(anonymous, "mutation($t: String!) { confirmEmailChange(token: $t) { email emailVerified } }",
            new { t = await platform.MailedTokenAsync(moved, "confirm-email") });
        Assert.Equal(moved, confirm.GetProperty("data").GetProperty("confirmEmailChange").GetProperty("email").GetString());
    }

    /// <summary>An account whose address nobody confirmed signs in, but cannot publish or sell, on any surface; once confirmed, it can.</summary>
    [Fact]
    public async Task AnUnconfirmedAccount_CannotPublishOrSell_UntilItConfirms()
    {
        var email = NewEmail("unconfirmed");
        var tokens = await platform.RegisterAsync(email, verified: false);
        using var client = platform.CreateClient(tokens.AccessToken);
        var (asset, listing) = (Guid.NewGuid(), Guid.NewGuid());
        foreach (var refused in new[]
        {
            await client.PostAsJsonAsync("/api/releases", new { assetId = asset, title = "Too early" }),
            await client.PostAsync($"/api/releases/{Guid.NewGuid()}/publish", null),
            await client.PostAsync($"/api/listings/{listing}/publish", null),
        })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("Confirm your email address first", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var graph = await GraphQLApiTests.QueryAsync(client, "mutation($a: ID) { publishRelease(assetId: $a, title: \"Too early\") { jobId } }", new { a = asset });
        Assert.Equal("FORBIDDEN", graph.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());

        // Confirmed, the same requests get past the check (and are refused for what they are: no such upload or listing).
        await platform.VerifyEmailAsync(email);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/releases", new { assetId = asset, title = "Now" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/api/listings/{listing}/publish", null)).StatusCode);
    }

    private static async Task<string?> LoginAsync(HttpClient client, string email, string password)
    {
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        return response.StatusCode == HttpStatusCode.OK ? (await response.BodyAsync()).GetProperty("accessToken").GetString() : null;
    }
}
