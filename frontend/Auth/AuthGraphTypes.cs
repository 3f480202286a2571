using GraphQL;
using GraphQL.Types;
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

public sealed class AuthMutationFields : IMutationFields
{
    public void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<TokenPayloadGraphType>>("register")
            .Argument<NonNullGraphType<StringGraphType>>("email")
            .Argument<NonNullGraphType<StringGraphType>>("password")
            .Argument<NonNullGraphType<StringGraphType>>("displayName")
            .ResolveAsync(async c => await c.Service<AccountService>().RegisterAsync(
                c.GetArgument<string>("email"), c.GetArgument<string>("password"), c.GetArgument<string>("displayName")));

        mutation.Field<NonNullGraphType<TokenPayloadGraphType>>("login")
            .Argument<NonNullGraphType<StringGraphType>>("email")
            .Argument<NonNullGraphType<StringGraphType>>("password")
            .ResolveAsync(async c => await c.Service<AccountService>().LoginAsync(c.GetArgument<string>("email"), c.GetArgument<string>("password")));

        mutation.Field<NonNullGraphType<TokenPayloadGraphType>>("refresh")
            .Argument<NonNullGraphType<StringGraphType>>("refreshToken")
            .ResolveAsync(async c => await c.Service<AccountService>().RefreshAsync(c.GetArgument<string>("refreshToken")));
    }
}
