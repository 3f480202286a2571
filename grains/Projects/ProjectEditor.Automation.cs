using Jacameno.Audio.Effects;

namespace Jacameno.Projects;

// The automation op of the editor: one lane (a control's course over time) replaced whole.
public sealed partial class ProjectEditor
{
    private AutomationSet SetAutomation(AutomationSet op)
    {
        var (lanes, chain) = op.TrackId is { } trackId ? (TrackOf(trackId).Automation, TrackOf(trackId).Effects) : (Document.Master.Automation, Document.Master.Effects);
        var (min, max, field) = Range(op.Target, chain, op.TrackId is null);
        if (op.Points.Count > ProjectLimits.MaxAutomationPoints)
        {
            throw new OpRejectedException($"An automation lane holds at most {ProjectLimits.MaxAutomationPoints} points.");
        }

        for (var i = 0; i < op.Points.Count; i++)
        {
            var point = op.Points[i];
            if (point.Time < 0 || point.Time > ProjectLimits.MaxSamples || (i > 0 && point.Time < op.Points[i - 1].Time))
            {
                throw new OpRejectedException("Automation points need times from 0, within 24 hours of samples, in order.");
            }

            if (!double.IsFinite(point.Value) || point.Value < min || point.Value > max)
            {
                throw new OpRejectedException($"{field} automation values must be between {min:G6} and {max:G6}.");
            }
        }

        var lane = lanes.Find(l => l.Target == op.Target);
        if (lane is null && op.Points.Count > 0 && lanes.Count >= ProjectLimits.MaxAutomationLanes)
        {
            throw new OpRejectedException($"A track or the master holds at most {ProjectLimits.MaxAutomationLanes} automation lanes.");
        }

        Undo("automation.set", new AutomationSet(op.Target, [.. (lane?.Points ?? []).Select(p => new AutomationPointValue(p.Time, p.Value, p.Curve))], op.TrackId));
        Check($"automation:{op.TrackId?.ToString() ?? "master"}:{op.Target}");
        if (op.Points.Count == 0)
        {
            lanes.Remove(lane!);
            return op;
        }

        if (lane is null)
        {
            lanes.Add(lane = new AutomationLane { Target = op.Target });
        }

        lane.Points = [.. op.Points.Select(p => new AutomationPoint { Time = p.Time, Value = p.Value, Curve = p.Curve })];
        return op;
    }

    /// <summary>What a target may take: volume in dB, pan −1..1 (tracks), or an automatable parameter of an effect on the same chain.</summary>
    private (double Min, double Max, string Field) Range(string target, List<Effect> chain, bool master)
    {
        switch (target)
        {
            case AutomationTargets.Volume:
                return (-96, 12, "volume");
            case AutomationTargets.Pan when !master:
                return (-1, 1, "pan");
        }

        var parts = target.Split(':', 3);
        if (!master && parts is ["send", var bus] && Guid.TryParse(bus, out var busId))
        {
            return Document.Tracks.Any(t => t.Effects == chain && t.Sends.Any(s => s.Bus == busId)) ? (-96, 12, "send level")
                : throw new OpRejectedException("The track has no send to that bus: add the send (track.send) before automating it.");
        }

        if (parts is not ["effect", var id, { Length: > 0 } parameter] || !Guid.TryParse(id, out var effectId))
        {
            throw new OpRejectedException($"target must be 'volume'{(master ? "" : ", 'pan', 'send:<busId>'")} or 'effect:<effectId>:<parameter>'.");
        }

        var effect = chain.Find(e => e.Id == effectId)
            ?? throw new OpRejectedException("The effect is not on this chain: automate an effect on the same track (or the master) as the lane.");
        if (Jacameno.Plugins.PluginInfo.IsPluginId(effect.Type))
        {
            if (replaying)
            {
                return (double.MinValue, double.MaxValue, parameter);
            }

            var plugin = Plugins(effect.Type) ?? throw new OpRejectedException($"No plugin '{Truncate(effect.Type)}' is installed here to automate.");
            var spec = plugin.Parameters.FirstOrDefault(p => p.Id == parameter)
                ?? throw new OpRejectedException($"{plugin.Name} has no parameter '{Truncate(parameter)}'.");
            return (spec.Min, spec.Max, $"{plugin.Name} {spec.Name}");
        }

        var builtIn = EffectCatalog.Parameter(effect.Type, parameter)
            ?? throw new OpRejectedException($"'{effect.Type}' has no parameter '{Truncate(parameter)}'.");
        return builtIn.Automatable
            ? (builtIn.Min, builtIn.Max, $"{effect.Type}.{parameter}")
            : throw new OpRejectedException($"{effect.Type}.{parameter} cannot be automated; it is fixed when playback starts.");
    }
}
