using GraphQL;
using GraphQL.Types;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.GraphQL;
using Jacameno.Storage.Catalog;
using Jacameno.Users;

namespace Jacameno.Frontend.Users;

public sealed class UserGraphType : ObjectGraphType<UserResponse>
{
    public UserGraphType()
    {
        Name = "User";
        Field(u => u.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(u => u.DisplayName);
        Field(u => u.Bio, nullable: true);
        Field(u => u.Role);
        Field(u => u.CreatedAt);
    }
}

public sealed class MeGraphType : ObjectGraphType<MeResponse>
{
    public MeGraphType()
    {
        Name = "Me";
        Field(u => u.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(u => u.Email);
        Field(u => u.DisplayName);
        Field(u => u.Bio, nullable: true);
        Field(u => u.Role);
        Field(u => u.LinkedLogins);
        Field(u => u.CreatedAt);
        Field(u => u.UpdatedAt);
        Field(u => u.EmailVerified).Description("Whether the owner confirmed the address through the mailed link.");
        Field(u => u.DeletionDueAt, nullable: true).Description("Set while a deletion of the account waits out its grace period.");
    }
}

public sealed class UserListingGraphType : ObjectGraphType<UserListing>
{
    public UserListingGraphType()
    {
        Name = "UserListing";
        Field(u => u.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(u => u.DisplayName);
        Field(u => u.Bio, nullable: true);
        Field(u => u.CreatedAt);
    }
}

public sealed class UserConnectionGraphType() : ConnectionGraphType<UserListingGraphType, UserListing>("User");

public sealed class UserQueryFields : IQueryFields
{
    public void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<StringGraphType>>("exportDownloadUrl")
            .Description("The download link (15 minutes) of a finished export of one's data (see exportMyData).")
            .Argument<NonNullGraphType<IdGraphType>>("jobId")
            .ResolveAsync(async c => (await c.Service<AccountDataExport>().DownloadAsync(c.UserId(), c.GuidArgument("jobId", "a job id"))).Url);
        query.Field<MeGraphType>("me")
            .Description("The signed-in user.")
            .ResolveAsync(async c => MeResponse.From(await c.Service<IGrainFactory>().GetGrain<IUserGrain>(c.UserId()).GetProfileAsync()));

        query.Field<UserGraphType>("user")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => UserResponse.From(await c.Service<IGrainFactory>().GetGrain<IUserGrain>(c.GuidArgument("id", "a user id")).GetProfileAsync()));

        query.Field<NonNullGraphType<UserConnectionGraphType>>("users")
            .Argument<StringGraphType>("search")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => await c.Service<ICatalog>().SearchUsersAsync(
                c.GetArgument<string?>("search"), c.GetArgument("first", 20), c.GetArgument<string?>("after"), c.CancellationToken));
    }
}

public sealed class UserMutationFields : IMutationFields
{
    public void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<DateTimeOffsetGraphType>>("deleteMyAccount")
            .Description("Deletes the account after the grace period; every session ends now; signing in before the returned time keeps it.")
            .Argument<StringGraphType>("password")
            .ResolveAsync(async c => (await c.Service<AccountService>().RequestDeletionAsync(c.UserId(), c.GetArgument<string?>("password"))).DeletionDueAt);
        mutation.Field<NonNullGraphType<StringGraphType>>("startSocialLink")
            .Description("Starts linking a social provider to the signed-in account; returns the URL to send the browser to.")
            .Argument<NonNullGraphType<StringGraphType>>("provider")
            .Argument<StringGraphType>("returnUrl")
            .ResolveAsync(async c => await c.Service<Auth.External.ExternalAccounts>().StartLinkAsync(c.UserId(),
                Auth.External.ExternalLoginEndpoints.Find(c.Service<IReadOnlyList<Auth.External.ExternalProvider>>(), c.GetArgument<string>("provider")),
                c.GetArgument<string?>("returnUrl")));
        mutation.Field<NonNullGraphType<MeGraphType>>("unlinkSocialLogin")
            .Description("Unlinks a social provider; refused when it is the account's only way in.")
            .Argument<NonNullGraphType<StringGraphType>>("provider")
            .ResolveAsync(async c => MeResponse.From(await c.Service<Auth.External.ExternalAccounts>().UnlinkAsync(c.UserId(), c.GetArgument<string>("provider"))));
        mutation.Field<NonNullGraphType<IdGraphType>>("exportMyData")
            .Description("Starts a job that zips everything the account holds; returns the job's id (follow it with job(id:), then ask exportDownloadUrl).")
            .ResolveAsync(async c => (await c.Service<Jobs.JobService>().StartAsync(c.UserId(), c.Role(), Jacameno.Jobs.JobKind.AccountExport, new AccountExportInput(c.UserId()))).Id);
        mutation.Field<NonNullGraphType<MeGraphType>>("updateMe")
            .Argument<StringGraphType>("displayName")
            .Argument<StringGraphType>("bio")
            .ResolveAsync(async c => MeResponse.From(await c.Service<IGrainFactory>().GetGrain<IUserGrain>(c.UserId())
                .UpdateProfileAsync(new UpdateProfileCommand(c.GetArgument<string?>("displayName"), c.GetArgument<string?>("bio")))));
    }
}
