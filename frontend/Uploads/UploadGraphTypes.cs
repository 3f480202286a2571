using GraphQL;
using GraphQL.Types;
using Jacameno.Frontend.GraphQL;
using Jacameno.Frontend.Http;
using Jacameno.Uploads;

namespace Jacameno.Frontend.Uploads;

public sealed class UploadResourceGraphType : ObjectGraphType<UploadResourceResponse>
{
    public UploadResourceGraphType()
    {
        Name = "UploadResource";
        Description = "What a finished upload became.";
        Field(r => r.Kind).Description("asset, project or release.");
        Field(r => r.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(r => r.Href).Description("Where the REST API serves it.");
    }
}

public sealed class ResumableUploadGraphType : ObjectGraphType<UploadResponse>
{
    public ResumableUploadGraphType()
    {
        Name = "ResumableUpload";
        Description = "A resumable (tus) upload of the caller; its bytes go to PATCH /api/uploads/{id}.";
        Field(u => u.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field<NonNullGraphType<StringGraphType>>("purpose").Resolve(c => ApiEnums.Name(c.Source.Purpose));
        Field(u => u.FileName);
        Field(u => u.ReleaseId, type: typeof(IdGraphType));
        Field(u => u.Length, nullable: true).Description("The file's size in bytes; null until an upload opened without one (a recording) declares it.");
        Field(u => u.Offset).Description("The bytes received so far; the next PATCH starts here.");
        Field<NonNullGraphType<StringGraphType>>("status").Resolve(c => ApiEnums.Name(c.Source.Status));
        Field(u => u.CreatedAt);
        Field(u => u.ExpiresAt);
        Field(u => u.Error, nullable: true);
        Field(u => u.Resource, type: typeof(UploadResourceGraphType));
    }
}

public sealed class UploadQueryFields : IQueryFields
{
    public void AddTo(ObjectGraphType query)
    {
        query.Field<ResumableUploadGraphType>("upload")
            .Description("One of the caller's resumable uploads, open or recently finished.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => UploadResponse.From(await Uploads(c).GetAsync(c.GuidArgument("id", "an upload id"))));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ResumableUploadGraphType>>>>("uploads")
            .Description("The caller's resumable uploads still receiving or processing, oldest first (a short list: Jacameno:Uploads:MaxOpenPerUser at most).")
            .ResolveAsync(async c => (await Uploads(c).ListOpenAsync()).Select(UploadResponse.From).ToList());
    }

    internal static IResumableUploadsGrain Uploads(IResolveFieldContext context) =>
        context.Service<IGrainFactory>().GetGrain<IResumableUploadsGrain>(context.UserId());
}

public sealed class UploadMutationFields : IMutationFields
{
    public void AddTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<BooleanGraphType>>("cancelUpload")
            .Description("Terminates a resumable upload and deletes the bytes received so far (as the tus DELETE does).")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c =>
            {
                await UploadQueryFields.Uploads(c).TerminateAsync(c.GuidArgument("id", "an upload id"));
                return true;
            });
}
