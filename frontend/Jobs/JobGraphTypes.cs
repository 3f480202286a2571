using GraphQL;
using GraphQL.Types;
using Jacameno.Assets;
using Jacameno.Frontend.GraphQL;
using Jacameno.Frontend.Http;
using Jacameno.Frontend.Projects;
using Jacameno.Jobs;

namespace Jacameno.Frontend.Jobs;

public sealed class JobGraphType : ObjectGraphType<JobInfo>
{
    public JobGraphType()
    {
        Name = "Job";
        Description = "An AI or render job; input and report are JSON documents whose shape depends on the kind (docs/jobs.md).";
        Field(j => j.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field<NonNullGraphType<StringGraphType>>("kind").Resolve(c => ApiEnums.Name(c.Source.Kind));
        Field<NonNullGraphType<StringGraphType>>("status").Resolve(c => ApiEnums.Name(c.Source.Status));
        Field(j => j.Progress);
        Field(j => j.Stage);
        Field<NonNullGraphType<StringGraphType>>("inputJson").Resolve(c => c.Source.InputJson);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<JobOutputGraphType>>>>("outputs")
            .Resolve(c => c.Source.Result?.Outputs.ToList() ?? []);
        Field<StringGraphType>("reportJson").Resolve(c => c.Source.Result?.ReportJson);
        Field(j => j.Attempts);
        Field(j => j.Error, nullable: true);
        Field(j => j.CreatedAt);
        Field(j => j.StartedAt, nullable: true);
        Field(j => j.FinishedAt, nullable: true);
        Field(j => j.QueuePosition, nullable: true).Description("While the job waits for one of its owner's slots of jobs at once: its place in line (1 = next).");
    }
}

public sealed class JobOutputGraphType : ObjectGraphType<KeyValuePair<string, Guid>>
{
    public JobOutputGraphType()
    {
        Name = "JobOutput";
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Key);
        Field<NonNullGraphType<IdGraphType>>("assetId").Resolve(c => c.Source.Value);
    }
}

public sealed class JobConnectionGraphType() : ConnectionGraphType<JobGraphType, JobInfo>("Job");

public sealed class JobQueryFields : IQueryFields
{
    public void AddTo(ObjectGraphType query)
    {
        query.Field<JobGraphType>("job")
            .Description("One of the caller's jobs.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await c.Service<JobService>().GetAsync(c.UserId(), c.GuidArgument("id", "a job id")));

        query.Field<NonNullGraphType<JobConnectionGraphType>>("jobs")
            .Description("The caller's jobs, newest first.")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => await c.Service<JobService>().ListAsync(c.UserId(), c.GetArgument("first", 20), c.GetArgument<string?>("after")));
    }
}

public sealed class JobMutationFields : IMutationFields
{
    public void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<JobGraphType>>("renderProject")
            .Description("Renders a project as a job: format wav|flac|mp3|opus|aac, sampleRate, bitDepth, stems, mp3 v0|320, version.")
            .Argument<NonNullGraphType<IdGraphType>>("projectId")
            .Argument<StringGraphType>("format")
            .Argument<IntGraphType>("sampleRate")
            .Argument<IntGraphType>("bitDepth")
            .Argument<BooleanGraphType>("stems")
            .Argument<StringGraphType>("mp3")
            .Argument<LongGraphType>("version")
            .ResolveAsync(async c => await c.Service<JobService>().RenderAsync(c.UserId(), c.Role(), ProjectQueryFields.ProjectId(c, "projectId"),
                new RenderRequest(c.EnumArgument<AudioFileFormat>("format"), c.GetArgument<int?>("sampleRate"), c.GetArgument<int?>("bitDepth"),
                    c.GetArgument<bool?>("stems"), c.GetArgument<string?>("mp3"), c.GetArgument<long?>("version"))));

        mutation.Field<NonNullGraphType<JobGraphType>>("cancelJob")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await c.Service<JobService>().CancelAsync(c.UserId(), c.GuidArgument("id", "a job id")));
    }
}
