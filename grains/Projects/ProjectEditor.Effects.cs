namespace Jacameno.Projects;

// The effect ops of the editor (ProjectEditor.cs has the dispatch and the shared checks).
public sealed partial class ProjectEditor
{
    private EffectAdd AddEffect(EffectAdd op)
    {
        var chain = op.TrackId is { } trackId ? TrackOf(trackId).Effects : Document.Master.Effects;
        if (chain.Count >= ProjectLimits.MaxEffectsPerChain)
        {
            throw new OpRejectedException($"An effect chain holds at most {ProjectLimits.MaxEffectsPerChain} effects.");
        }

        if (op.Type.Length is 0 or > 200 || !EffectType().IsMatch(op.Type))
        {
            throw new OpRejectedException("type must be a built-in effect name, 'vst2:<plugin path>' or 'lv2:<plugin uri>'.");
        }

        CheckParameters(op.Type, op.Parameters ?? new Dictionary<string, double>(), adding: true);
        if (Jacameno.Audio.Effects.EffectCatalog.IsInstrument(op.Type) && (op.TrackId is not { } id || TrackOf(id).Kind != TrackKind.Midi))
        {
            throw new OpRejectedException($"A {op.Type} is an instrument: it goes on a MIDI track, first in its chain.");
        }

        var effect = new Effect { Id = NewId(op.EffectId, "effectId"), Type = op.Type, Bypass = op.Bypass };
        SetParameters(effect, op.Parameters ?? new Dictionary<string, double>());
        var index = Math.Clamp(op.Index ?? chain.Count, 0, chain.Count);
        chain.Insert(index, effect);
        chains[effect.Id] = chain;
        Undo("effect.remove", new EffectRef(effect.Id));
        Check($"effect:{effect.Id}");
        return op with { EffectId = effect.Id, Index = index };
    }

    private EffectRef RemoveEffect(EffectRef op)
    {
        var (chain, effect) = EffectOf(op.EffectId);
        Undo("effect.restore", new EffectRestore(Copy(effect), chain.IndexOf(effect), OwnerOf(chain)));
        Check($"effect:{effect.Id}");
        chain.Remove(effect);
        chains.Remove(effect.Id);
        return op;
    }

    private EffectReorder ReorderEffect(EffectReorder op)
    {
        var (chain, effect) = EffectOf(op.EffectId);
        if (op.Index < 0 || op.Index >= chain.Count)
        {
            throw new OpRejectedException($"index must be between 0 and {chain.Count - 1}.");
        }

        Undo("effect.reorder", new EffectReorder(effect.Id, chain.IndexOf(effect)));
        Check($"effect:{effect.Id}:index");
        chain.Remove(effect);
        chain.Insert(op.Index, effect);
        return op;
    }

    private EffectBypass BypassEffect(EffectBypass op)
    {
        var effect = EffectOf(op.EffectId).Effect;
        Undo("effect.bypass", new EffectBypass(effect.Id, effect.Bypass));
        Check($"effect:{effect.Id}:bypass");
        effect.Bypass = op.Bypass;
        return op;
    }

    private EffectSet SetEffect(EffectSet op)
    {
        var effect = EffectOf(op.EffectId).Effect;
        var unset = op.Unset ?? [];
        var before = op.Parameters.Keys.Where(effect.Parameters.ContainsKey).ToDictionary(k => k, k => effect.Parameters[k]);
        var restoreUnset = unset.Where(effect.Parameters.ContainsKey).ToDictionary(k => k, k => effect.Parameters[k]);
        CheckParameters(effect.Type, effect.Parameters.Where(kv => !unset.Contains(kv.Key)).Concat(op.Parameters)
            .GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value), adding: false);
        SetParameters(effect, op.Parameters);
        foreach (var name in unset)
        {
            effect.Parameters.Remove(name);
        }

        Undo("effect.set", new EffectSet(effect.Id, before.Concat(restoreUnset).ToDictionary(),
            [.. op.Parameters.Keys.Where(k => !before.ContainsKey(k))]));
        Check([.. op.Parameters.Keys.Concat(unset).Select(k => $"effect:{effect.Id}:p:{k}")]);
        return op;
    }

    private EffectSidechain SetSidechain(EffectSidechain op)
    {
        var (chain, effect) = EffectOf(op.EffectId);
        if (effect.Type != "compressor")
        {
            throw new OpRejectedException("Only a compressor takes a sidechain.");
        }

        if (op.TrackId is { } key && (!tracks.TryGetValue(key, out var source) || ReferenceEquals(source.Effects, chain)))
        {
            throw new OpRejectedException(tracks.ContainsKey(key) ? "A compressor cannot be keyed by its own track." : "The sidechain track no longer exists in this project.");
        }

        Undo("effect.sidechain", new EffectSidechain(effect.Id, effect.SidechainTrackId));
        effect.SidechainTrackId = op.TrackId;
        Check($"effect:{effect.Id}:sidechain");
        return op;
    }

    private EffectState SetState(EffectState op)
    {
        var effect = EffectOf(op.EffectId).Effect;
        if (!Jacameno.Plugins.PluginInfo.IsPluginId(effect.Type))
        {
            throw new OpRejectedException("Only a hosted plugin keeps a saved state; built-in effects are their parameters.");
        }

        if (op.State is { } state && (state.Length > ProjectLimits.MaxPluginStateChars || !Convert.TryFromBase64String(state, new byte[state.Length], out _)))
        {
            throw new OpRejectedException($"state must be base64 of at most {ProjectLimits.MaxPluginStateChars} characters.");
        }

        Undo("effect.state", new EffectState(effect.Id, effect.State));
        effect.State = op.State;
        Check($"effect:{effect.Id}:state");
        return op;
    }

    private EffectZones SetZones(EffectZones op)
    {
        var effect = EffectOf(op.EffectId).Effect;
        if (!Jacameno.Audio.Effects.EffectCatalog.IsInstrument(effect.Type))
        {
            throw new OpRejectedException("Only a sampler or drums instrument plays zones.");
        }

        var zones = op.Zones ?? [];
        if (zones.Count > ProjectLimits.MaxZones)
        {
            throw new OpRejectedException($"An instrument holds at most {ProjectLimits.MaxZones} zones.");
        }

        foreach (var zone in zones)
        {
            if (zone.AssetId == Guid.Empty || zone.Root is < 0 or > 127 || zone.Low is < 0 or > 127 || zone.High < zone.Low || zone.High > 127
                || zone.LowVelocity is < 1 or > 127 || zone.HighVelocity < zone.LowVelocity || zone.HighVelocity > 127)
            {
                throw new OpRejectedException("Each zone needs an assetId, root 0-127, keys 0 ≤ low ≤ high ≤ 127 and velocities 1 ≤ lowVelocity ≤ highVelocity ≤ 127.");
            }
        }

        Undo("effect.zones", new EffectZones(effect.Id, [.. effect.Zones.Select(z => new ZoneValue(z.AssetId, z.Root, z.Low, z.High, z.LowVelocity, z.HighVelocity))]));
        effect.Zones = [.. zones.Select(z => new SampleZone { AssetId = z.AssetId, Root = z.Root, Low = z.Low, High = z.High, LowVelocity = z.LowVelocity, HighVelocity = z.HighVelocity })];
        Check($"effect:{effect.Id}:zones");
        return op;
    }

    private EffectSoundFont SetSoundFont(EffectSoundFont op)
    {
        var effect = EffectOf(op.EffectId).Effect;
        if (effect.Type != "soundfont")
        {
            throw new OpRejectedException("Only a soundfont instrument plays a SoundFont.");
        }

        if (op.SoundFont is { } id && (!Jacameno.Audio.Instruments.SoundFontLibrary.IsValidId(id) || (!replaying && !SoundFontInstalled(id))))
        {
            throw new OpRejectedException($"No SoundFont '{Truncate(id)}' is installed; GET /api/soundfonts lists those that are.");
        }

        Undo("effect.soundfont", new EffectSoundFont(effect.Id, effect.SoundFont));
        effect.SoundFont = op.SoundFont;
        Check($"effect:{effect.Id}:soundfont");
        return op;
    }

    /// <summary>
    /// Built-in effects take only their own parameters, in range (audio's EffectCatalog). A plugin must be installed
    /// and runnable here to be added, and takes its own parameters in its own ranges; ops replayed from the log
    /// are not checked against plugins (the plugin may have been removed since, and the project must still load).
    /// </summary>
    private void CheckParameters(string type, IReadOnlyDictionary<string, double> parameters, bool adding)
    {
        if (Jacameno.Plugins.PluginInfo.IsPluginId(type))
        {
            if (replaying)
            {
                return;
            }

            var plugin = Plugins(type);
            if (plugin is null)
            {
                if (adding)
                {
                    throw new OpRejectedException($"No plugin '{Truncate(type)}' is installed; GET /api/plugins lists those that are.");
                }

                return; // a project keeps plugins this server lacks; they are bypassed when it renders
            }

            if (adding && plugin.Unsupported is { } reason)
            {
                throw new OpRejectedException($"{plugin.Name} cannot run here: {reason}");
            }

            foreach (var (name, value) in parameters)
            {
                var spec = plugin.Parameters.FirstOrDefault(p => p.Id == name)
                    ?? throw new OpRejectedException($"{plugin.Name} has no parameter '{Truncate(name)}'.");
                if (!double.IsFinite(value) || value < spec.Min || value > spec.Max)
                {
                    throw new OpRejectedException($"{plugin.Name}: {name} ({spec.Name}) must be between {spec.Min:G6} and {spec.Max:G6}{(spec.Unit.Length > 0 ? " " + spec.Unit : "")}.");
                }
            }

            return;
        }

        try
        {
            Jacameno.Audio.Effects.EffectCatalog.Validate(type, parameters);
        }
        catch (Jacameno.Audio.Effects.EffectParameterException e)
        {
            throw new OpRejectedException(e.Message);
        }
    }

    private static void SetParameters(Effect effect, IReadOnlyDictionary<string, double> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            if (name.Length is 0 or > 64 || !double.IsFinite(value))
            {
                throw new OpRejectedException($"Parameter '{Truncate(name)}' needs a name of 1-64 characters and a finite value.");
            }
        }

        if (effect.Parameters.Keys.Union(parameters.Keys).Count() > ProjectLimits.MaxParameters)
        {
            throw new OpRejectedException($"An effect holds at most {ProjectLimits.MaxParameters} parameters.");
        }

        foreach (var (name, value) in parameters)
        {
            effect.Parameters[name] = value;
        }
    }
}
