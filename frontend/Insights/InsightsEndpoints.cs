using System.Security.Claims;
using GraphQL;
using GraphQL.Types;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.GraphQL;
using Jacameno.Insights;

namespace Jacameno.Frontend.Insights;

public static class InsightsEndpoints
{
    public static IEndpointRouteBuilder MapInsightsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/insights", async (int? days, ClaimsPrincipal user, InsightsService insights) =>
                TypedResults.Ok(await insights.GetAsync(user.UserId(), days)))
            .RequireAuthorization(Policies.Authenticated).WithTags("Insights")
            .WithSummary("The caller's numbers as an artist over 28, 90 or 365 days (UTC day buckets): plays, listeners, likes, reposts, downloads, sales; top releases, countries, play sources and revenue.");
        return app;
    }
}

public sealed class InsightsDayGraphType : ObjectGraphType<InsightsDay>
{
    public InsightsDayGraphType()
    {
        Name = "InsightsDay";
        Field<NonNullGraphType<StringGraphType>>("day").Description("UTC date, yyyy-MM-dd.").Resolve(c => c.Source.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Field(d => d.Plays);
        Field(d => d.Listeners).Description("Distinct listeners that day.");
        Field(d => d.Likes).Description("Likes gained less likes taken back.");
        Field(d => d.Reposts);
        Field(d => d.Downloads);
        Field(d => d.Sales);
    }
}

public sealed class InsightsCountGraphType : ObjectGraphType<InsightsCount>
{
    public InsightsCountGraphType()
    {
        Name = "InsightsCount";
        Field(c => c.Key);
        Field(c => c.Count);
    }
}

public sealed class TopReleaseGraphType : ObjectGraphType<TopRelease>
{
    public TopReleaseGraphType()
    {
        Name = "TopRelease";
        Field(r => r.ReleaseId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(r => r.Title);
        Field(r => r.Plays);
    }
}

public sealed class InsightsGraphType : ObjectGraphType<InsightsResponse>
{
    public InsightsGraphType()
    {
        Name = "Insights";
        Field(i => i.Days);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<InsightsDayGraphType>>>>("series").Resolve(c => c.Source.Series);
        Field<NonNullGraphType<InsightsDayGraphType>>("totals").Resolve(c => c.Source.Totals);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TopReleaseGraphType>>>>("topReleases").Resolve(c => c.Source.TopReleases);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<InsightsCountGraphType>>>>("topCountries").Resolve(c => c.Source.TopCountries);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<InsightsCountGraphType>>>>("sources").Resolve(c => c.Source.Sources);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<InsightsCountGraphType>>>>("revenue").Description("Earnings by currency, in minor units.").Resolve(c => c.Source.Revenue);
    }
}

public sealed class InsightsQueryFields : IQueryFields
{
    public void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<InsightsGraphType>>("insights")
            .Description("The caller's numbers as an artist over 28, 90 or 365 days.")
            .Argument<IntGraphType>("days")
            .ResolveAsync(async c => await c.Service<InsightsService>().GetAsync(c.UserId(), c.GetArgument<int?>("days")));
}
