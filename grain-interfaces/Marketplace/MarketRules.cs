using Jacameno.Audio.Effects;
using Jacameno.Common;
using Jacameno.Streaming;

namespace Jacameno.Marketplace;

/// <summary>What listings, tiers, prices and presets may be; checked once here for create and update.</summary>
public static class MarketRules
{
    /// <summary>The ledger account of a seller's earnings.</summary>
    public static string SellerAccount(Guid sellerId) => $"seller:{sellerId:N}";

    public const int MaxTiers = 6;
    public const long MaxPrice = 100_000_000;

    /// <summary>ISO 4217 currencies the marketplace takes (those Stripe settles in the usual markets).</summary>
    public static readonly IReadOnlySet<string> Currencies = new HashSet<string>(StringComparer.Ordinal)
    {
        "USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "JPY", "BRL", "MXN", "INR", "SGD", "HKD",
    };

    /// <summary>An amount in minor units as people read it: "49.99 USD", "5000 JPY" (the yen has no minor unit).</summary>
    public static string Format(long minor, string currency) => currency == "JPY"
        ? $"{minor.ToString(System.Globalization.CultureInfo.InvariantCulture)} {currency}"
        : $"{(minor / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)} {currency}";

    public static IReadOnlyList<LicenseTier> Tiers(IReadOnlyList<LicenseTier> tiers, ListingType type)
    {
        if (tiers.Count > MaxTiers)
        {
            throw DomainException.Invalid("tiers", $"A listing has at most {MaxTiers} license tiers.");
        }

        var clean = tiers.Select(t =>
        {
            var name = ReleaseRules.Text(t.Name, "tiers.name", 60) ?? throw DomainException.Invalid("tiers.name", "Each tier needs a name.");
            if (t.Price is < 0 or > MaxPrice)
            {
                throw DomainException.Invalid("tiers.price", $"A price is 0 (free) to {MaxPrice} in minor units (cents).");
            }

            var currency = (t.Currency ?? "").ToUpperInvariant();
            if (!Currencies.Contains(currency))
            {
                throw DomainException.Invalid("tiers.currency", $"\"{t.Currency}\" is not a currency the marketplace takes ({string.Join(", ", Currencies.Order())}).");
            }

            var formats = (t.Formats ?? []).Distinct().ToList();
            if (formats.Count == 0 || formats.Any(f => !Enum.IsDefined(f)))
            {
                throw DomainException.Invalid("tiers.formats", "Each tier delivers at least one of taggedMp3, mp3, wav, stems.");
            }

            if (type == ListingType.PresetPack && formats.Any(f => f != DeliveredFormat.Wav))
            {
                throw DomainException.Invalid("tiers.formats", "A preset pack delivers its presets file; give formats [\"wav\"] (the pack's files).");
            }

            if (t.Exclusive && type is ListingType.SamplePack or ListingType.PresetPack)
            {
                throw DomainException.Invalid("tiers.exclusive", "Sample and preset packs are royalty-free; only beats and stems sell exclusively.");
            }

            var terms = t.Terms ?? new LicenseTerms();
            if (terms.DistributionCopies < 0 || terms.AudioStreams < 0 || terms.MusicVideos < 0 || terms.TermYears is < 1 or > 99)
            {
                throw DomainException.Invalid("tiers.terms", "Limits are positive (or null for unlimited); termYears is 1 to 99 (or null for perpetual).");
            }

            terms = terms with { CreditLine = ReleaseRules.Text(terms.CreditLine, "tiers.terms.creditLine", 200) ?? "" };
            return new LicenseTier(t.Id == Guid.Empty ? Guid.NewGuid() : t.Id, name, t.Price, currency, formats, terms, t.Exclusive);
        }).ToList();
        if (clean.Select(t => t.Currency).Distinct().Count() > 1)
        {
            throw DomainException.Invalid("tiers.currency", "The tiers of a listing share one currency.");
        }

        if (clean.Count(t => t.Exclusive) > 1)
        {
            throw DomainException.Invalid("tiers.exclusive", "A listing has at most one exclusive tier.");
        }

        return clean.Select(t => t.Id).Distinct().Count() == clean.Count ? clean : throw DomainException.Invalid("tiers.id", "Tier ids must differ.");
    }

    /// <summary>
    /// A library pack is a sample pack given away: every tier free, and (once it has tiers) one delivering its files,
    /// since taking a loop into a project is taking that tier.
    /// </summary>
    public static void Library(ListingType type, bool library, IReadOnlyList<LicenseTier> tiers)
    {
        if (!library)
        {
            return;
        }

        if (type != ListingType.SamplePack)
        {
            throw DomainException.Invalid("library", "Only sample packs go in the loop library.");
        }

        if (tiers.Any(t => t.Price > 0))
        {
            throw DomainException.Invalid("library", "Library content is free: every tier of a library pack costs 0.");
        }

        if (tiers.Count > 0 && !tiers.Any(t => t.Formats.Contains(DeliveredFormat.Wav)))
        {
            throw DomainException.Invalid("tiers.formats", "A library pack's tier delivers its files: give formats [\"wav\"].");
        }
    }

    /// <summary>Checks a pack's presets; <paramref name="plugins"/> are the plugins installed here, by id: a pack's plugin must be one, with its parameters in range.</summary>
    public static IReadOnlyList<Preset> Presets(IReadOnlyList<Preset> presets, Func<string, Plugins.PluginInfo?> plugins)
    {
        if (presets.Count > 200)
        {
            throw DomainException.Invalid("presets", "A pack has at most 200 presets.");
        }

        return [.. presets.Select(p =>
        {
            var name = ReleaseRules.Text(p.Name, "presets.name", 100) ?? throw DomainException.Invalid("presets.name", "Each preset needs a name.");
            if (p.Effects is null || p.Effects.Count is 0 or > 16)
            {
                throw DomainException.Invalid("presets.effects", "A preset is a chain of 1 to 16 effects.");
            }

            foreach (var effect in p.Effects)
            {
                if (Plugins.PluginInfo.IsPluginId(effect.Type ?? ""))
                {
                    PluginPreset(name, effect, plugins(effect.Type!));
                    continue;
                }

                if (effect.State is not null)
                {
                    throw DomainException.Invalid("presets.effects", $"{name}: only a hosted plugin has a saved state; built-in effects are their parameters.");
                }

                try
                {
                    EffectCatalog.Validate(effect.Type ?? "", effect.Parameters ?? new Dictionary<string, double>());
                }
                catch (EffectParameterException e)
                {
                    throw DomainException.Invalid("presets.effects", $"{name}: {e.Message}");
                }
            }

            return new Preset(name, p.Effects);
        })];
    }

    private static void PluginPreset(string name, PresetEffect effect, Plugins.PluginInfo? plugin)
    {
        if (plugin is null)
        {
            throw DomainException.Invalid("presets.effects", $"{name}: no plugin '{effect.Type[..Math.Min(effect.Type.Length, 200)]}' is installed here; GET /api/plugins lists those that are.");
        }

        foreach (var (parameter, value) in effect.Parameters ?? new Dictionary<string, double>())
        {
            var spec = plugin.Parameters.FirstOrDefault(s => s.Id == parameter)
                ?? throw DomainException.Invalid("presets.effects", $"{name}: {plugin.Name} has no parameter '{parameter[..Math.Min(parameter.Length, 64)]}'.");
            if (!double.IsFinite(value) || value < spec.Min || value > spec.Max)
            {
                throw DomainException.Invalid("presets.effects", $"{name}: {plugin.Name} {spec.Name} must be between {spec.Min:G6} and {spec.Max:G6}.");
            }
        }

        if (effect.State is { } state && (state.Length > Projects.ProjectLimits.MaxPluginStateChars || !Convert.TryFromBase64String(state, new byte[state.Length], out _)))
        {
            throw DomainException.Invalid("presets.effects", $"{name}: state must be base64 of at most {Projects.ProjectLimits.MaxPluginStateChars} characters.");
        }
    }
}
