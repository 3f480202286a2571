using GraphQL.Types;
using Jacameno.Audio.Effects;
using Jacameno.Audio.Instruments;
using Jacameno.Common;
using Jacameno.Frontend.GraphQL;

namespace Jacameno.Frontend.Projects;

/// <summary>A SoundFont in the list: its presets come with it, its file from <c>GET /api/soundfonts/{id}</c>.</summary>
public sealed record SoundFontSummary(string Id, string Name, long Size, IReadOnlyList<SoundFontPreset> Presets)
{
    public static SoundFontSummary From(SoundFont font) => new(font.Id, font.Name, font.Size, font.Presets);
}

/// <summary>
/// The built-in effects and instruments and their parameters, so a client can build its effect UI and send valid ops;
/// and the installed SoundFonts, which the studio downloads to play what the server's soundfont instrument renders.
/// </summary>
public static class EffectEndpoints
{
    public static IEndpointRouteBuilder MapEffectEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/effects", () => TypedResults.Ok(EffectCatalog.Specs))
            .WithTags("Projects")
            .WithSummary("Built-in effect and instrument types with each parameter's range, default and unit.");
        app.MapGet("/api/soundfonts", (SoundFontLibrary library) => TypedResults.Ok(library.All.Select(SoundFontSummary.From).ToList()))
            .WithTags("Projects")
            .WithSummary("The SoundFonts this server plays (installed by its operator), each with its presets (bank, program, name).");
        app.MapGet("/api/soundfonts/{id}", (string id, SoundFontLibrary library) =>
            {
                var font = (SoundFontLibrary.IsValidId(id) ? library.Find(id) : null) ?? throw DomainException.NotFound($"The SoundFont '{id[..Math.Min(id.Length, 100)]}'");
                var modified = File.GetLastWriteTimeUtc(font.Path);
                // The file changes only when the operator replaces it: cached for a day, revalidated by its size and date.
                var tag = new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{font.Size:x}-{modified.Ticks:x}\"");
                return TypedResults.PhysicalFile(font.Path, "audio/x-soundfont", $"{font.Id}.sf2", modified, tag, enableRangeProcessing: true);
            })
            .WithTags("Projects")
            .WithSummary("A SoundFont's file (SF2), for the studio's player.")
            .AddEndpointFilter(async (context, next) =>
            {
                context.HttpContext.Response.Headers.CacheControl = "public, max-age=86400";
                return await next(context);
            });
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

public sealed class SoundFontGraphType : ObjectGraphType<SoundFontSummary>
{
    public SoundFontGraphType()
    {
        Name = "SoundFont";
        Description = "A SoundFont this server plays; its file is at /api/soundfonts/{id}.";
        Field(f => f.Id);
        Field(f => f.Name);
        Field(f => f.Size).Description("Bytes of its file.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SoundFontPresetGraphType>>>>("presets").Resolve(c => c.Source.Presets);
    }
}

public sealed class SoundFontPresetGraphType : ObjectGraphType<SoundFontPreset>
{
    public SoundFontPresetGraphType()
    {
        Name = "SoundFontPreset";
        Description = "A preset: set bank and program on a soundfont instrument with effect.set.";
        Field(p => p.Bank);
        Field(p => p.Program);
        Field(p => p.Name);
    }
}

public sealed class EffectQueryFields(SoundFontLibrary soundFonts) : IQueryFields
{
    public void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<EffectSpecGraphType>>>>("effectTypes")
            .Description("Built-in effect and instrument types and their parameters.")
            .Resolve(_ => EffectCatalog.Specs);
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<SoundFontGraphType>>>>("soundFonts")
            .Description("The SoundFonts this server plays, with their presets.")
            .Resolve(_ => soundFonts.All.Select(SoundFontSummary.From).ToList());
    }
}
