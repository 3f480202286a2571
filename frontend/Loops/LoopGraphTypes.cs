using GraphQL;
using GraphQL.Types;
using Jacameno.Frontend.Assets;
using Jacameno.Frontend.GraphQL;
using Jacameno.Marketplace;

namespace Jacameno.Frontend.Loops;

public sealed class LoopGraphType : ObjectGraphType<LoopSummary>
{
    public LoopGraphType()
    {
        Name = "Loop";
        Description = "A file of the loop library: a loop (tempo and beats) or a one-shot.";
        Field(l => l.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(l => l.ListingId, type: typeof(NonNullGraphType<IdGraphType>)).Description("The library pack it comes from.");
        Field(l => l.Name);
        Field(l => l.Pack);
        Field(l => l.Seller);
        Field(l => l.Instrument);
        Field(l => l.Kind).Description("loop or one-shot.");
        Field(l => l.Bpm, nullable: true).Description("A loop's tempo: its length holds beats beats at it.");
        Field(l => l.Beats, nullable: true);
        Field(l => l.Key, nullable: true);
        Field(l => l.DurationSeconds);
        Field<NonNullGraphType<StringGraphType>>("audioUrl").Description("Where to hear it (GET).").Resolve(c => $"/api/loops/{c.Source.Id}/audio");
    }
}

public sealed class LoopConnectionGraphType() : ConnectionGraphType<LoopGraphType, LoopSummary>("Loop");

public sealed class LoopTakenGraphType : ObjectGraphType<LoopTaken>
{
    public LoopTakenGraphType()
    {
        Name = "LoopTaken";
        Field<NonNullGraphType<AssetGraphType>>("asset").Resolve(c => c.Source.Asset);
        Field<NonNullGraphType<LoopGraphType>>("loop").Resolve(c => c.Source.Loop);
    }
}

public sealed class LoopQueryFields : IQueryFields
{
    public void AddTo(ObjectGraphType query)
    {
        query.Field<LoopGraphType>("loop")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await c.Service<LoopService>().GetAsync(c.GuidArgument("id", "a loop id"), c.OptionalUserId()));

        query.Field<NonNullGraphType<LoopConnectionGraphType>>("loops")
            .Description("The loop library: q (name or pack), instrument, kind loop|one-shot, key, bpmMin/bpmMax; newest packs first.")
            .Argument<StringGraphType>("q")
            .Argument<StringGraphType>("instrument")
            .Argument<StringGraphType>("kind")
            .Argument<StringGraphType>("key")
            .Argument<FloatGraphType>("bpmMin")
            .Argument<FloatGraphType>("bpmMax")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => await c.Service<LoopService>().SearchAsync(c.GetArgument<string?>("q"), c.GetArgument<string?>("instrument"),
                c.GetArgument<string?>("kind"), c.GetArgument<string?>("key"), c.GetArgument<double?>("bpmMin"), c.GetArgument<double?>("bpmMax"),
                c.GetArgument("first", 20), c.GetArgument<string?>("after")));
    }
}

public sealed class LoopMutationFields : IMutationFields
{
    public void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<LoopTakenGraphType>>("takeLoop")
            .Description("Takes a library loop into the caller's audio (a free order of its pack, once); again returns the same asset.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await c.Service<LoopService>().TakeAsync(c.GuidArgument("id", "a loop id"), c.UserId(), c.Role()));
    }
}
