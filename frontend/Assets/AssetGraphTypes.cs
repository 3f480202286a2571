using GraphQL;
using GraphQL.Types;
using Jacameno.Assets;
using Jacameno.Frontend.GraphQL;
using Jacameno.Frontend.Http;

namespace Jacameno.Frontend.Assets;

public sealed class AssetGraphType : ObjectGraphType<AssetInfo>
{
    public AssetGraphType()
    {
        Name = "Asset";
        Field(a => a.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(a => a.FileName);
        Field(a => a.Size);
        Field<NonNullGraphType<StringGraphType>>("status").Resolve(c => ApiEnums.Name(c.Source.Status));
        Field(a => a.Error, nullable: true);
        Field(a => a.Format, nullable: true);
        Field(a => a.Codec, nullable: true);
        Field(a => a.DurationSeconds, nullable: true);
        Field(a => a.SampleRate, nullable: true);
        Field(a => a.Channels, nullable: true);
        Field(a => a.BitDepth, nullable: true);
        Field<FloatGraphType>("integratedLufs").Resolve(c => c.Source.Loudness?.IntegratedLufs);
        Field<FloatGraphType>("loudnessRangeLu").Resolve(c => c.Source.Loudness?.LoudnessRangeLu);
        Field<FloatGraphType>("truePeakDbtp").Resolve(c => c.Source.Loudness?.TruePeakDbtp);
        Field(a => a.CreatedAt);
    }
}

public sealed class AssetConnectionGraphType() : ConnectionGraphType<AssetGraphType, AssetInfo>("Asset");

public sealed class AssetQueryFields : IQueryFields
{
    public void AddTo(ObjectGraphType query)
    {
        query.Field<AssetGraphType>("asset")
            .Description("An uploaded audio file of the caller (upload with POST /api/assets).")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await c.Service<IGrainFactory>().GetGrain<IAssetGrain>(c.GuidArgument("id", "an asset id")).GetAsync(c.UserId()));

        query.Field<NonNullGraphType<AssetConnectionGraphType>>("assets")
            .Description("The caller's audio files (uploads, renders, purchases kept in the library), newest first.")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => await c.Service<AssetLibrary>().ListAsync(c.UserId(), c.GetArgument("first", 20), c.GetArgument<string?>("after")));
    }
}
