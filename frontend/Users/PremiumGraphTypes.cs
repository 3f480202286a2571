using GraphQL;
using GraphQL.Types;
using Jacameno.Frontend.GraphQL;

namespace Jacameno.Frontend.Users;

public sealed class PremiumFeatureGraphType : ObjectGraphType<PremiumFeature>
{
    public PremiumFeatureGraphType()
    {
        Name = "PremiumFeature";
        Field(f => f.Key);
        Field(f => f.Name);
        Field(f => f.User).Description("What a User has.");
        Field(f => f.Premium).Description("What Premium has.");
    }
}

public sealed class PremiumStatusGraphType : ObjectGraphType<PremiumStatusResponse>
{
    public PremiumStatusGraphType()
    {
        Name = "PremiumStatus";
        Field(s => s.Active);
        Field(s => s.Source).Description("none, manual or stripe.");
        Field(s => s.Until, nullable: true);
        Field(s => s.Plan, nullable: true);
        Field(s => s.SubscriptionState, nullable: true).Description("Stripe's state of the subscription (active, past_due, canceled…).");
        Field(s => s.Renews);
        Field(s => s.GraceUntil, nullable: true).Description("Set while a renewal's payment failed: Premium stays on until then.");
    }
}

public sealed class PremiumGraphType : ObjectGraphType<PremiumResponse>
{
    public PremiumGraphType()
    {
        Name = "Premium";
        Field(p => p.Provider);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("plans").Resolve(c => c.Source.Plans);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PremiumFeatureGraphType>>>>("features").Resolve(c => c.Source.Features);
        Field<PremiumStatusGraphType>("status").Description("The caller's own Premium; null when anonymous.").Resolve(c => c.Source.Status);
    }
}

public sealed class PremiumQueryFields : IQueryFields
{
    public void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<PremiumGraphType>>("premium")
            .Description("What Premium unlocks, its plans, and the caller's own Premium when signed in.")
            .ResolveAsync(async c => await c.Service<PremiumService>().OverviewAsync(c.OptionalUserId()));
}

public sealed class PremiumMutationFields : IMutationFields
{
    public void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<StringGraphType>>("startPremiumCheckout")
            .Description("Starts a Stripe Checkout for the monthly or yearly plan; returns the URL to send the browser to.")
            .Argument<NonNullGraphType<StringGraphType>>("plan")
            .ResolveAsync(async c => (await c.Service<PremiumService>().CheckoutAsync(c.UserId(), c.GetArgument<string>("plan"))).Url);
        mutation.Field<NonNullGraphType<StringGraphType>>("openPremiumPortal")
            .Description("Stripe's customer portal for the caller's subscription.")
            .ResolveAsync(async c => (await c.Service<PremiumService>().PortalAsync(c.UserId())).Url);
        mutation.Field<NonNullGraphType<PremiumStatusGraphType>>("grantPremium")
            .Description("Admins: grants Premium until a date (the manual provider), or ends it with until = null.")
            .Argument<NonNullGraphType<IdGraphType>>("userId")
            .Argument<DateTimeOffsetGraphType>("until")
            .ResolveAsync(async c => await c.Service<PremiumService>().GrantAsync(
                c.AdminOnly().GuidArgument("userId", "a user id"), c.GetArgument<DateTimeOffset?>("until")));
    }
}
