using GraphQL;
using GraphQL.Types;
using Jacameno.Frontend.GraphQL;
using Jacameno.Frontend.Projects;
using Jacameno.Plugins;

namespace Jacameno.Frontend.Plugins;

public sealed class PluginParameterGraphType : ObjectGraphType<PluginParameter>
{
    public PluginParameterGraphType()
    {
        Name = "PluginParameter";
        Field(p => p.Id).Description("The LV2 port symbol or the VST2 parameter number: the name effect.set takes.");
        Field(p => p.Name);
        Field(p => p.Min);
        Field(p => p.Max);
        Field(p => p.Default);
        Field(p => p.Unit);
        Field(p => p.Toggle).Description("On (max) or off (min) only.");
        Field(p => p.Integer).Description("Whole numbers only (often a choice from a list).");
    }
}

public sealed class PluginPresetGraphType : ObjectGraphType<PluginPreset>
{
    public PluginPresetGraphType()
    {
        Name = "PluginFactoryPreset";
        Field(p => p.Id);
        Field(p => p.Name);
    }
}

public sealed class PluginGraphType : ObjectGraphType<PluginInfo>
{
    public PluginGraphType()
    {
        Name = "Plugin";
        Field(p => p.Id).Description("vst2:<path> or lv2:<uri>: the type effect.add takes.");
        Field(p => p.Name);
        Field(p => p.Vendor);
        Field(p => p.Category);
        Field(p => p.IsInstrument).Description("Plays MIDI: put it first in a MIDI track's chain.");
        Field(p => p.AudioInputs);
        Field(p => p.AudioOutputs);
        Field(p => p.Unsupported, nullable: true).Description("Why this server cannot run it (a feature it requires); null when it can.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PluginParameterGraphType>>>>("parameters").Resolve(c => c.Source.Parameters);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PluginPresetGraphType>>>>("presets").Resolve(c => c.Source.Presets);
    }
}

public sealed class PluginStateGraphType : ObjectGraphType<PluginState>
{
    public PluginStateGraphType()
    {
        Name = "PluginState";
        Field(s => s.PluginId);
        Field(s => s.State).Description("Base64; set it on an effect with the effect.state op.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ParameterGraphType>>>>("parameters").Resolve(c => c.Source.Parameters.ToList());
    }
}

public sealed class PluginUserPresetGraphType : ObjectGraphType<PluginUserPreset>
{
    public PluginUserPresetGraphType()
    {
        Name = "PluginPreset";
        Field(p => p.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(p => p.PluginId);
        Field(p => p.Name);
        Field(p => p.State);
        Field(p => p.CreatedAt);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ParameterGraphType>>>>("parameters").Resolve(c => c.Source.Parameters.ToList());
    }
}

public sealed class PluginParameterInputGraphType : InputObjectGraphType<KeyValuePair<string, double>>
{
    public PluginParameterInputGraphType()
    {
        Name = "PluginParameterInput";
        Field<NonNullGraphType<StringGraphType>>("name");
        Field<NonNullGraphType<FloatGraphType>>("value");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) =>
        KeyValuePair.Create((string)value["name"]!, Convert.ToDouble(value["value"], System.Globalization.CultureInfo.InvariantCulture));
}

public sealed class PluginQueryFields : IQueryFields
{
    public void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PluginGraphType>>>>("plugins")
            .Description("Installed plugins (VST2 and LV2), by name; search matches name, vendor and id; kind is effect or instrument.")
            .Argument<StringGraphType>("search")
            .Argument<StringGraphType>("category")
            .Argument<StringGraphType>("kind")
            .ResolveAsync(async c => await c.Service<PluginService>().FindAsync(c.GetArgument<string?>("search"), c.GetArgument<string?>("category"), c.GetArgument<string?>("kind")));
        query.Field<NonNullGraphType<PluginGraphType>>("plugin")
            .Description("One plugin by id.")
            .Argument<NonNullGraphType<StringGraphType>>("id")
            .ResolveAsync(async c => await c.Service<PluginService>().GetAsync(c.GetArgument<string>("id")));
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PluginUserPresetGraphType>>>>("pluginPresets")
            .Description("The caller's own plugin presets, newest first.")
            .Argument<StringGraphType>("pluginId")
            .ResolveAsync(async c => await c.Service<PluginService>().PresetsAsync(c.UserId(), c.GetArgument<string?>("pluginId")));
    }
}

public sealed class PluginMutationFields : IMutationFields
{
    public void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<PluginStateGraphType>>("capturePluginState")
            .Description("Runs the plugin with a saved state, a factory preset and parameters (in that order) and returns its state and parameters.")
            .Argument<NonNullGraphType<StringGraphType>>("pluginId")
            .Argument<StringGraphType>("state")
            .Argument<StringGraphType>("presetId")
            .Argument<ListGraphType<NonNullGraphType<PluginParameterInputGraphType>>>("parameters")
            .ResolveAsync(async c => await c.Service<PluginService>().CaptureAsync(c.UserId(), new PluginStateRequest(
                c.GetArgument<string>("pluginId"), c.GetArgument<string?>("state"), c.GetArgument<string?>("presetId"), Parameters(c)), c.CancellationToken));
        mutation.Field<NonNullGraphType<PluginUserPresetGraphType>>("savePluginPreset")
            .Description("Saves a preset: the plugin's state after the given state, factory preset and parameters.")
            .Argument<NonNullGraphType<StringGraphType>>("pluginId")
            .Argument<NonNullGraphType<StringGraphType>>("name")
            .Argument<StringGraphType>("state")
            .Argument<StringGraphType>("presetId")
            .Argument<ListGraphType<NonNullGraphType<PluginParameterInputGraphType>>>("parameters")
            .ResolveAsync(async c => await c.Service<PluginService>().SavePresetAsync(c.UserId(), new PluginPresetRequest(
                c.GetArgument<string>("pluginId"), c.GetArgument<string>("name"), c.GetArgument<string?>("state"), c.GetArgument<string?>("presetId"), Parameters(c)),
                c.CancellationToken));
        mutation.Field<NonNullGraphType<BooleanGraphType>>("deletePluginPreset")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c =>
            {
                await c.Service<PluginService>().DeletePresetAsync(c.UserId(), c.GuidArgument("id", "a preset id"));
                return true;
            });
    }

    private static Dictionary<string, double> Parameters(IResolveFieldContext c) =>
        (c.GetArgument<List<KeyValuePair<string, double>>?>("parameters") ?? []).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);
}
