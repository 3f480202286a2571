using GraphQL.Types;
using Jacameno.Audio.Effects;
using Jacameno.Frontend.GraphQL;

namespace Jacameno.Frontend.Projects;

/// <summary>The built-in effects and their parameters, so a client can build its effect UI and send valid ops.</summary>
public static class EffectEndpoints
{
    public static IEndpointRouteBuilder MapEffectEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/effects", () => TypedResults.Ok(EffectCatalog.Specs))
            .WithTags("Projects")
            .WithSummary("Built-in effect and instrument types with each parameter's range, default and unit.");
        return app;
    }
}

public sealed class EffectSpecGraphType : ObjectGraphType<EffectSpec>
{
    public EffectSpecGraphType()
    {
        Name = "EffectType";
        Field(e => e.Type);
        Field(e => e.Description);
        Field(e => e.Instrument).Description("Plays a MIDI track's notes: put it first in a MIDI track's chain.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ParameterSpecGraphType>>>>("parameters").Resolve(c => c.Source.Parameters);
    }
}

public sealed class ParameterSpecGraphType : ObjectGraphType<ParameterSpec>
{
    public ParameterSpecGraphType()
    {
        Name = "EffectParameterSpec";
        Field(p => p.Name);
        Field(p => p.Min);
        Field(p => p.Max);
        Field(p => p.Default);
        Field(p => p.Unit);
        Field(p => p.Description);
    }
}

public sealed class EffectQueryFields : IQueryFields
{
    public void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<EffectSpecGraphType>>>>("effectTypes")
            .Description("Built-in effect types and their parameters.")
            .Resolve(_ => EffectCatalog.Specs);
}
