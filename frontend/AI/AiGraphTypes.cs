using GraphQL;
using GraphQL.Types;
using Jacameno.AI.Lyrics;
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
                c.OptionalGuidArgument("assetId"), c.OptionalGuidArgument("projectId"), c.GetArgument<long?>("version"),
                new MasteringTargetRequest(c.GetArgument<double?>("lufs"), c.GetArgument<double?>("truePeakDbtp")),
                c.EnumArgument<MasteringStyle>("style"), c.GetArgument<double?>("intensity"), c.OptionalGuidArgument("referenceAssetId"))));

        mutation.Field<NonNullGraphType<JobGraphType>>("autoMix")
            .Description("Proposes (apply: true makes) a starting mix for a project, as a job; the proposal is in reportJson.")
            .Argument<NonNullGraphType<IdGraphType>>("projectId")
            .Argument<LongGraphType>("version")
            .Argument<BooleanGraphType>("apply")
            .ResolveAsync(async c => await c.Service<AiService>().MixAsync(c.UserId(), c.Role(), new MixRequest(
                c.GuidArgument("projectId", "a project id"), c.GetArgument<long?>("version"), c.GetArgument<bool?>("apply"))));

        mutation.Field<NonNullGraphType<JobGraphType>>("writeLyrics")
            .Description("Writes lyrics as a job; the sections arrive in the job's reportJson.")
            .Argument<NonNullGraphType<StringGraphType>>("theme")
            .Argument<StringGraphType>("genre")
            .Argument<StringGraphType>("mood")
            .Argument<StringGraphType>("structure")
            .Argument<StringGraphType>("rhymeScheme")
            .Argument<IntGraphType>("syllablesPerLine")
            .Argument<StringGraphType>("language")
            .Argument<IntGraphType>("seed")
            .Argument<StringGraphType>("provider")
            .ResolveAsync(async c => await c.Service<AiService>().WriteLyricsAsync(c.UserId(), c.Role(), new LyricsRequest(
                c.GetArgument<string>("theme"), c.GetArgument<string?>("genre"), c.GetArgument<string?>("mood"), c.GetArgument<string?>("structure"),
                c.GetArgument<string?>("rhymeScheme"), c.GetArgument<int?>("syllablesPerLine"), c.GetArgument<string?>("language"),
                c.GetArgument<int?>("seed"), c.GetArgument<string?>("provider"))));
    }
}

public sealed class LyricLineGraphType : ObjectGraphType<LyricLine>
{
    public LyricLineGraphType()
    {
        Name = "LyricLine";
        Field(l => l.Text);
        Field(l => l.Syllables);
        Field(l => l.Stresses);
        Field(l => l.EndWord, nullable: true);
        Field(l => l.Rhyme, nullable: true);
        Field(l => l.Beats);
        Field(l => l.Bars);
        Field(l => l.Seconds);
    }
}

public sealed class LyricsAssistGraphType : ObjectGraphType<LyricsAssistResponse>
{
    public LyricsAssistGraphType()
    {
        Name = "LyricsAssist";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LyricLineGraphType>>>>("lines").Resolve(c => c.Source.Analysis.Lines);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("unknownWords").Resolve(c => c.Source.Analysis.UnknownWords);
        Field<NonNullGraphType<FloatGraphType>>("tempo").Resolve(c => c.Source.Analysis.Tempo);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("rhymes").Resolve(c => c.Source.Rhymes);
    }
}

public sealed class AiQueryFields : IQueryFields
{
    public void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<LyricsAssistGraphType>>("lyricsAssist")
            .Description("Syllables, stress, rhyme groups and meter of lyrics (against a tempo or a project's), and rhymes for a word.")
            .Argument<NonNullGraphType<StringGraphType>>("text")
            .Argument<IdGraphType>("projectId")
            .Argument<FloatGraphType>("tempo")
            .Argument<IntGraphType>("beatsPerBar")
            .Argument<StringGraphType>("word")
            .ResolveAsync(async c => await c.Service<AiService>().AssistAsync(c.UserId(), new LyricsAssistRequest(
                c.GetArgument<string>("text"), c.OptionalGuidArgument("projectId"), c.GetArgument<double?>("tempo"),
                c.GetArgument<int?>("beatsPerBar"), null, c.GetArgument<string?>("word"))));
}
