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

public sealed class AppGraphType : ObjectGraphType<AppResponse>
{
    public AppGraphType()
    {
        Name = "App";
        Field(a => a.ClientId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(a => a.Name);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("redirectUris").Resolve(c => c.Source.RedirectUris);
        Field(a => a.Confidential).Description("Has a client secret; a public app uses PKCE alone.");
        Field(a => a.CreatedAt);
    }
}

public sealed class RegisteredAppGraphType : ObjectGraphType<RegisteredAppResponse>
{
    public RegisteredAppGraphType()
    {
        Name = "RegisteredApp";
        Field<NonNullGraphType<AppGraphType>>("app").Resolve(c => c.Source.App);
        Field(a => a.ClientSecret, nullable: true).Description("A confidential app's secret, shown this once.");
    }
}

public sealed class AppGrantGraphType : ObjectGraphType<AppGrantResponse>
{
    public AppGrantGraphType()
    {
        Name = "AppGrant";
        Field(g => g.ClientId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(g => g.AppName);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("scopes").Resolve(c => c.Source.Scopes);
        Field(g => g.GrantedAt);
    }
}

public sealed class AppQueryFields : IQueryFields
{
    public void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PersonalTokenGraphType>>>>("personalTokens")
            .Description("The caller's personal access tokens.")
            .ResolveAsync(async c => await c.Service<PersonalTokenService>().ListAsync(c.UserId()));
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AppGraphType>>>>("myApps")
            .Description("The OAuth apps the caller registered.")
            .ResolveAsync(async c => await c.Service<AppService>().MineAsync(c.UserId()));
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AppGrantGraphType>>>>("authorizedApps")
            .Description("The apps the caller allowed to act for them.")
            .ResolveAsync(async c => await c.Service<AppService>().GrantsAsync(c.UserId()));
    }
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
        mutation.Field<NonNullGraphType<RegisteredAppGraphType>>("registerApp")
            .Description("Registers an OAuth app with its exact redirect URIs; confidential apps get a client secret.")
            .Argument<NonNullGraphType<StringGraphType>>("name")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("redirectUris")
            .Argument<BooleanGraphType>("confidential")
            .ResolveAsync(async c => await c.Service<AppService>().RegisterAsync(c.UserId(),
                new RegisterAppRequest(c.GetArgument<string>("name"), c.GetArgument<List<string?>>("redirectUris"), c.GetArgument<bool?>("confidential"))));
        mutation.Field<NonNullGraphType<BooleanGraphType>>("deleteApp")
            .Argument<NonNullGraphType<IdGraphType>>("clientId")
            .ResolveAsync(async c =>
            {
                await c.Service<AppService>().DeleteAsync(c.UserId(), c.GuidArgument("clientId", "a client id"));
                return true;
            });
        mutation.Field<NonNullGraphType<BooleanGraphType>>("revokeAppAccess")
            .Description("Ends an app's access to the caller's account at once.")
            .Argument<NonNullGraphType<IdGraphType>>("clientId")
            .ResolveAsync(async c =>
            {
                await c.Service<AppService>().RevokeGrantAsync(c.UserId(), c.GuidArgument("clientId", "a client id"));
                return true;
            });
        mutation.Field<NonNullGraphType<BooleanGraphType>>("revokePersonalToken")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c =>
            {
                await c.Service<PersonalTokenService>().RevokeAsync(c.UserId(), c.GuidArgument("id", "a token id"));
                return true;
            });
    }
}
