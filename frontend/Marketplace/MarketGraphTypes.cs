using GraphQL;
using GraphQL.Types;
using Jacameno.Frontend.GraphQL;
using Jacameno.Frontend.Http;
using Jacameno.Marketplace;

namespace Jacameno.Frontend.Marketplace;

public sealed class ListingGraphType : ObjectGraphType<ListingInfo>
{
    public ListingGraphType()
    {
        Name = "Listing";
        Field(l => l.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(l => l.SellerId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(l => l.Seller);
        Field<NonNullGraphType<StringGraphType>>("type").Resolve(c => ApiEnums.Name(c.Source.Type));
        Field(l => l.Title);
        Field(l => l.Description, nullable: true);
        Field(l => l.Genre, nullable: true);
        Field(l => l.Tags);
        Field(l => l.Bpm, nullable: true);
        Field(l => l.Key, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TierGraphType>>>>("tiers").Resolve(c => c.Source.Tiers);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PresetGraphType>>>>("presets").Description("A preset pack's effect chains.").Resolve(c => c.Source.Presets);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("plugins")
            .Description("The hosted plugins (ids) a preset pack's presets need.").Resolve(c => c.Source.Plugins);
        Field<NonNullGraphType<StringGraphType>>("status").Resolve(c => ApiEnums.Name(c.Source.Status));
        Field(l => l.Library).Description("A free sample pack in the loop library (see loops).");
        Field(l => l.Instrument, nullable: true).Description("What a library pack is played on.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ListingFileGraphType>>>>("files")
            .Description("What the listing delivers (names and sizes), and for a sample pack's files what analysis found.").Resolve(c => c.Source.Files);
        Field(l => l.Prepared);
        Field(l => l.HasPreview);
        Field(l => l.RatingAverage);
        Field(l => l.RatingCount);
        Field(l => l.Sales);
        Field(l => l.CreatedAt);
    }
}

public sealed class ListingFileGraphType : ObjectGraphType<FileEntry>
{
    public ListingFileGraphType()
    {
        Name = "ListingFile";
        Field<NonNullGraphType<StringGraphType>>("format").Resolve(c => ApiEnums.Name(c.Source.Format));
        Field(f => f.Name);
        Field(f => f.Size);
        Field<FloatGraphType>("bpm").Description("A loop's tempo (null: a one-shot, or not a sample pack).").Resolve(c => c.Source.Loop?.Bpm);
        Field<IntGraphType>("beats").Resolve(c => c.Source.Loop?.Beats);
        Field<StringGraphType>("key").Resolve(c => c.Source.Loop?.Key);
        Field<FloatGraphType>("durationSeconds").Resolve(c => c.Source.Loop?.DurationSeconds);
    }
}

public sealed class TierGraphType : ObjectGraphType<LicenseTier>
{
    public TierGraphType()
    {
        Name = "LicenseTier";
        Field(t => t.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(t => t.Name);
        Field(t => t.Price).Description("In minor units (cents) of the currency.");
        Field(t => t.Currency);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("formats").Resolve(c => c.Source.Formats.Select(f => ApiEnums.Name(f)));
        Field(t => t.Exclusive);
        Field<LongGraphType>("distributionCopies").Resolve(c => c.Source.Terms.DistributionCopies);
        Field<LongGraphType>("audioStreams").Resolve(c => c.Source.Terms.AudioStreams);
        Field<IntGraphType>("musicVideos").Resolve(c => c.Source.Terms.MusicVideos);
        Field<NonNullGraphType<BooleanGraphType>>("radio").Resolve(c => c.Source.Terms.Radio);
        Field<NonNullGraphType<BooleanGraphType>>("performanceRights").Resolve(c => c.Source.Terms.PerformanceRights);
        Field<IntGraphType>("termYears").Resolve(c => c.Source.Terms.TermYears);
        Field<NonNullGraphType<StringGraphType>>("creditLine").Resolve(c => c.Source.Terms.CreditLine);
    }
}

public sealed class ListingCardGraphType : ObjectGraphType<ListingSummary>
{
    public ListingCardGraphType()
    {
        Name = "ListingCard";
        Field(l => l.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(l => l.SellerId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(l => l.Seller);
        Field<NonNullGraphType<StringGraphType>>("type").Resolve(c => ApiEnums.Name(c.Source.Type));
        Field(l => l.Title);
        Field(l => l.Genre, nullable: true);
        Field(l => l.Tags);
        Field(l => l.Bpm, nullable: true);
        Field(l => l.Key, nullable: true);
        Field(l => l.Currency, nullable: true);
        Field(l => l.MinPrice, nullable: true);
        Field<NonNullGraphType<StringGraphType>>("status").Resolve(c => ApiEnums.Name(c.Source.Status));
        Field(l => l.Sales);
        Field(l => l.Rating);
        Field(l => l.Ratings);
    }
}

public sealed class ListingConnectionGraphType() : ConnectionGraphType<ListingCardGraphType, ListingSummary>("Listing");

public sealed class OrderGraphType : ObjectGraphType<OrderInfo>
{
    public OrderGraphType()
    {
        Name = "Order";
        Field(o => o.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(o => o.BuyerId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(o => o.SellerId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(o => o.ListingId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(o => o.ListingTitle);
        Field<NonNullGraphType<TierGraphType>>("tier").Resolve(c => c.Source.Tier);
        Field<NonNullGraphType<StringGraphType>>("status").Resolve(c => ApiEnums.Name(c.Source.Status));
        Field(o => o.Provider);
        Field(o => o.CheckoutUrl, nullable: true);
        Field(o => o.Reason, nullable: true);
        Field(o => o.DownloadsLeft);
        Field(o => o.CreatedAt);
        Field(o => o.CompletedAt, nullable: true);
    }
}

public sealed class OrderConnectionGraphType() : ConnectionGraphType<OrderGraphType, OrderInfo>("Order");

public sealed class MarketQueryFields : IQueryFields
{
    public void AddTo(ObjectGraphType query)
    {
        query.Field<ListingGraphType>("listing")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await c.Service<MarketService>().GetListingAsync(c.GuidArgument("id", "a listing id"), c.OptionalUserId()));

        query.Field<NonNullGraphType<ListingConnectionGraphType>>("listings")
            .Description("Listings for sale; sort relevance|new|price|top; prices in minor units of currency.")
            .Argument<StringGraphType>("q")
            .Argument<StringGraphType>("type")
            .Argument<StringGraphType>("genre")
            .Argument<StringGraphType>("tag")
            .Argument<FloatGraphType>("bpmMin")
            .Argument<FloatGraphType>("bpmMax")
            .Argument<StringGraphType>("key")
            .Argument<StringGraphType>("currency")
            .Argument<LongGraphType>("priceMin")
            .Argument<LongGraphType>("priceMax")
            .Argument<StringGraphType>("sort")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => await c.Service<MarketService>().SearchAsync(c.GetArgument<string?>("q"), c.GetArgument<string?>("type"),
                c.GetArgument<string?>("genre"), c.GetArgument<string?>("tag"), c.GetArgument<double?>("bpmMin"), c.GetArgument<double?>("bpmMax"),
                c.GetArgument<string?>("key"), c.GetArgument<string?>("currency"), c.GetArgument<long?>("priceMin"), c.GetArgument<long?>("priceMax"),
                c.GetArgument<string?>("sort"), null, c.GetArgument("first", 20), c.GetArgument<string?>("after")));

        query.Field<OrderGraphType>("order")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await c.Service<MarketService>().GetOrderAsync(c.GuidArgument("id", "an order id"), new OrderActor(c.UserId(), c.Role() == Jacameno.Users.UserRole.Admin)));

        query.Field<NonNullGraphType<OrderConnectionGraphType>>("orders")
            .Description("My purchases, or with asSeller my sales, newest first.")
            .Argument<BooleanGraphType>("asSeller")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => await c.Service<MarketService>().OrdersAsync(c.UserId(), c.GetArgument("asSeller", false), c.GetArgument("first", 20), c.GetArgument<string?>("after")));

        query.Field<NonNullGraphType<OrderConnectionGraphType>>("adminOrders")
            .Description("Admin: everyone's orders, newest first; status \"pending\" lists the manual provider's payments to confirm.")
            .Argument<StringGraphType>("status")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => await c.Service<MarketService>().AdminOrdersAsync(c.AdminOnly().GetArgument<string?>("status"), c.GetArgument("first", 20), c.GetArgument<string?>("after")));
    }
}

public sealed class MarketMutationFields : IMutationFields
{
    public void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<OrderGraphType>>("markOrderPaid")
            .Description("Admin: marks an order of the manual provider paid (money received outside the platform).")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await c.Service<MarketService>().MarkPaidAsync(c.AdminOnly().GuidArgument("id", "an order id")));

        mutation.Field<NonNullGraphType<OrderGraphType>>("buyListing")
            .Description("Orders a tier; pay at checkoutUrl (Stripe) or wait for an admin (manual); free tiers complete at once.")
            .Argument<NonNullGraphType<IdGraphType>>("listingId")
            .Argument<NonNullGraphType<IdGraphType>>("tierId")
            .ResolveAsync(async c => await c.Service<MarketService>().OrderAsync(c.UserId(), c.GuidArgument("listingId", "a listing id"), c.GuidArgument("tierId", "a tier id")));

        mutation.Field<NonNullGraphType<ListingGraphType>>("reviewListing")
            .Argument<NonNullGraphType<IdGraphType>>("listingId")
            .Argument<NonNullGraphType<IntGraphType>>("stars")
            .Argument<StringGraphType>("text")
            .ResolveAsync(async c => await c.Service<MarketService>().ReviewAsync(c.UserId(), c.GuidArgument("listingId", "a listing id"), c.GetArgument<int>("stars"), c.GetArgument<string?>("text")));

        mutation.Field<NonNullGraphType<ListingGraphType>>("setListingStatus")
            .Description("published, paused or removed.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<StringGraphType>>("status")
            .ResolveAsync(async c => await c.Service<MarketService>().SetStatusAsync(c.UserId(), c.GuidArgument("id", "a listing id"),
                c.EnumArgument<ListingStatus>("status") ?? ListingStatus.Draft));
    }
}

public sealed class PresetGraphType : ObjectGraphType<Preset>
{
    public PresetGraphType()
    {
        Name = "ListingPreset";
        Field(p => p.Name);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PresetEffectGraphType>>>>("effects").Resolve(c => c.Source.Effects);
    }
}

public sealed class PresetEffectGraphType : ObjectGraphType<PresetEffect>
{
    public PresetEffectGraphType()
    {
        Name = "ListingPresetEffect";
        Field(e => e.Type).Description("A built-in effect, or a hosted plugin's id (vst2:..., lv2:...).");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<Projects.ParameterGraphType>>>>("parameters").Resolve(c => c.Source.Parameters.ToList());
        Field(e => e.State, nullable: true).Description("A hosted plugin's saved state (base64).");
    }
}

