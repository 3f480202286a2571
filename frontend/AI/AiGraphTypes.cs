using GraphQL;
using GraphQL.Types;
using Jacameno.Audio.Mastering;
using Jacameno.Frontend.GraphQL;
using Jacameno.Frontend.Jobs;

namespace Jacameno.Frontend.AI;

public sealed class AiMutationFields : IMutationFields
{
    public void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<JobGraphType>>("analyzeAsset")
            .Description("Analyses an asset as a job; the report arrives in the job's reportJson (docs/ai.md).")
            .Argument<NonNullGraphType<IdGraphType>>("assetId")
            .Argument<StringGraphType>("key")
            .ResolveAsync(async c => await c.Service<AiService>().AnalyseAsync(c.UserId(), c.Role(),
                new AnalysisRequest(c.GuidArgument("assetId", "an asset id"), c.GetArgument<string?>("key"))));

        mutation.Field<NonNullGraphType<JobGraphType>>("masterAudio")
            .Description("Masters an asset or a project's mix as a job: outputs master, masterMp3, previewBefore, previewAfter.")
            .Argument<IdGraphType>("assetId")
            .Argument<IdGraphType>("projectId")
            .Argument<LongGraphType>("version")
            .Argument<FloatGraphType>("lufs")
            .Argument<FloatGraphType>("truePeakDbtp")
            .Argument<StringGraphType>("style")
            .Argument<FloatGraphType>("intensity")
            .Argument<IdGraphType>("referenceAssetId")
            .ResolveAsync(async c => await c.Service<AiService>().MasterAsync(c.UserId(), c.Role(), new MasteringRequest(
                OptionalId(c, "assetId"), OptionalId(c, "projectId"), c.GetArgument<long?>("version"),
                new MasteringTargetRequest(c.GetArgument<double?>("lufs"), c.GetArgument<double?>("truePeakDbtp")),
                c.EnumArgument<MasteringStyle>("style"), c.GetArgument<double?>("intensity"), OptionalId(c, "referenceAssetId"))));
    }

    private static Guid? OptionalId(IResolveFieldContext c, string name) =>
        c.GetArgument<string?>(name) is null ? null : c.GuidArgument(name, "an id");
}
