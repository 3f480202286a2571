using GraphQL;
using GraphQL.Types;
using Jacameno.Frontend.Auth.External;
using Jacameno.Frontend.GraphQL;
using Jacameno.Frontend.Users;

namespace Jacameno.Frontend.Auth;

public sealed class TokenPayloadGraphType : ObjectGraphType<TokenResponse>
{
    public TokenPayloadGraphType()
    {
        Name = "TokenPayload";
        Field(t => t.AccessToken);
        Field(t => t.RefreshToken);
        Field(t => t.ExpiresIn);
        Field(t => t.TokenType);
        Field<NonNullGraphType<MeGraphType>>("user").Resolve(c => c.Source.User);
    }
}

public sealed class RegistrationGraphType : ObjectGraphType<RegistrationResponse>
{
    public RegistrationGraphType()
    {
        Name = "Registration";
        Field(r => r.Email);
        Field(r => r.Message);
    }
}

public sealed class AuthMutationFields : IMutationFields
{
    public void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<RegistrationGraphType>>("register")
            .Description("Creates an account and mails a link to confirm the address; then sign in with login. The answer is the same when the address already has an account.")
            .Argument<NonNullGraphType<StringGraphType>>("email")
            .Argument<NonNullGraphType<StringGraphType>>("password")
            .Argument<NonNullGraphType<StringGraphType>>("displayName")
            .ResolveAsync(async c => await c.Service<AccountService>().RegisterAsync(
                c.GetArgument<string>("email"), c.GetArgument<string>("password"), c.GetArgument<string>("displayName")));

        mutation.Field<NonNullGraphType<TokenPayloadGraphType>>("login")
            .Argument<NonNullGraphType<StringGraphType>>("email")
            .Argument<NonNullGraphType<StringGraphType>>("password")
            .ResolveAsync(async c => await c.Service<AccountService>().LoginAsync(c.GetArgument<string>("email"), c.GetArgument<string>("password")));

        mutation.Field<NonNullGraphType<TokenPayloadGraphType>>("redeemSignInCode")
            .Description("Exchanges the one-time code from a social login (see externalProviders) for tokens.")
            .Argument<NonNullGraphType<StringGraphType>>("code")
            .ResolveAsync(async c => await c.Service<ExternalAccounts>().RedeemAsync(c.GetArgument<string>("code")));

        mutation.Field<NonNullGraphType<MeGraphType>>("verifyEmail")
            .Description("Confirms the email address with the token from the mailed link.")
            .Argument<NonNullGraphType<StringGraphType>>("token")
            .ResolveAsync(async c => MeResponse.From(await c.Service<EmailVerification>().VerifyAsync(c.GetArgument<string>("token"))));

        mutation.Field<NonNullGraphType<BooleanGraphType>>("resendVerificationEmail")
            .Description("Mails a new verification link to the signed-in user; counted as a sign-in attempt.")
            .ResolveAsync(async c =>
            {
                await c.Service<AccountService>().ResendVerificationAsync(c.UserId());
                return true;
            });

        mutation.Field<NonNullGraphType<StringGraphType>>("requestPasswordReset")
            .Description("Mails a link to choose a new password when the address has an account; the answer is the same when it has none.")
            .Argument<NonNullGraphType<StringGraphType>>("email")
            .ResolveAsync(async c => (await c.Service<AccountRecovery>().RequestPasswordResetAsync(c.GetArgument<string>("email"))).Message);

        mutation.Field<NonNullGraphType<BooleanGraphType>>("resetPassword")
            .Description("Sets a new password with the token of a reset link; every session of the account ends.")
            .Argument<NonNullGraphType<StringGraphType>>("token")
            .Argument<NonNullGraphType<StringGraphType>>("newPassword")
            .ResolveAsync(async c =>
            {
                await c.Service<AccountRecovery>().ResetPasswordAsync(c.GetArgument<string>("token"), c.GetArgument<string>("newPassword"));
                return true;
            });

        mutation.Field<NonNullGraphType<StringGraphType>>("requestEmailChange")
            .Description("Starts moving the signed-in account to a new address (a link to the new one, a notice to the old one).")
            .Argument<NonNullGraphType<StringGraphType>>("newEmail")
            .Argument<StringGraphType>("password")
            .ResolveAsync(async c => (await c.Service<AccountRecovery>().RequestEmailChangeAsync(c.UserId(),
                c.GetArgument<string>("newEmail"), c.GetArgument<string?>("password"))).Message);

        mutation.Field<NonNullGraphType<MeGraphType>>("confirmEmailChange")
            .Description("Moves the account to the address the link was mailed to.")
            .Argument<NonNullGraphType<StringGraphType>>("token")
            .ResolveAsync(async c => MeResponse.From(await c.Service<AccountRecovery>().ConfirmEmailChangeAsync(c.GetArgument<string>("token"))));

        mutation.Field<NonNullGraphType<TokenPayloadGraphType>>("refresh")
            .Argument<NonNullGraphType<StringGraphType>>("refreshToken")
            .ResolveAsync(async c => await c.Service<AccountService>().RefreshAsync(c.GetArgument<string>("refreshToken")));
    }
}

public sealed class ExternalProviderGraphType : ObjectGraphType<ExternalProviderResponse>
{
    public ExternalProviderGraphType()
    {
        Name = "ExternalProvider";
        Description = "A social login provider; send the browser to startUrl (with ?returnUrl=) to sign in.";
        Field(p => p.Name);
        Field(p => p.DisplayName);
        Field(p => p.StartUrl);
    }
}

public sealed class AuthQueryFields : IQueryFields
{
    public void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ExternalProviderGraphType>>>>("externalProviders")
            .Resolve(c => c.Service<IReadOnlyList<ExternalProvider>>().Select(ExternalLoginEndpoints.Describe));
}
