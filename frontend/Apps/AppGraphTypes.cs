using GraphQL;
using GraphQL.Types;
using Jacameno.Frontend.GraphQL;

namespace Jacameno.Frontend.Apps;

public sealed class PersonalTokenGraphType : ObjectGraphType<PersonalTokenResponse>
{
    public PersonalTokenGraphType()
    {
        Name = "PersonalToken";
        Field(t => t.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(t => t.Name);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("scopes").Resolve(c => c.Source.Scopes);
        Field(t => t.CreatedAt);
        Field(t => t.ExpiresAt);
        Field(t => t.LastUsedAt, nullable: true).Description("Updated on use, stored at most hourly.");
    }
}

public sealed class CreatedTokenGraphType : ObjectGraphType<CreatedTokenResponse>
{
    public CreatedTokenGraphType()
    {
        Name = "CreatedToken";
        Field<NonNullGraphType<PersonalTokenGraphType>>("token").Resolve(c => c.Source.Token);
        Field(t => t.Secret).Description("Send as 'Authorization: Bearer <secret>'. Shown this once.");
    }
}

public sealed class AppQueryFields : IQueryFields
{
    public void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PersonalTokenGraphType>>>>("personalTokens")
            .Description("The caller's personal access tokens.")
            .ResolveAsync(async c => await c.Service<PersonalTokenService>().ListAsync(c.UserId()));
}

public sealed class AppMutationFields : IMutationFields
{
    public void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<CreatedTokenGraphType>>("createPersonalToken")
            .Description("Makes a personal access token (scopes: profile, releases:read|write, projects:read|write, marketplace:read|write).")
            .Argument<NonNullGraphType<StringGraphType>>("name")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("scopes")
            .Argument<IntGraphType>("expiresInDays")
            .ResolveAsync(async c => await c.Service<PersonalTokenService>().CreateAsync(c.UserId(),
                new CreateTokenRequest(c.GetArgument<string>("name"), c.GetArgument<List<string?>>("scopes"), c.GetArgument<int?>("expiresInDays"))));
        mutation.Field<NonNullGraphType<BooleanGraphType>>("revokePersonalToken")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c =>
            {
                await c.Service<PersonalTokenService>().RevokeAsync(c.UserId(), c.GuidArgument("id", "a token id"));
                return true;
            });
    }
}
