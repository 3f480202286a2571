using System.Text.Json;
using Jacameno.Common;
using Jacameno.Moderation;
using Jacameno.Storage.Blobs;
using Jacameno.Streaming;
using Jacameno.Users;

namespace Jacameno.Marketplace;

[GenerateSerializer, Alias("jacameno.listing-state")]
public sealed class ListingState : IMusicDetails
{
    [Id(0)] public Guid SellerId { get; set; }
    [Id(1)] public string Seller { get; set; } = "";
    [Id(2)] public ListingType Type { get; set; }
    [Id(3)] public string Title { get; set; } = "";
    [Id(4)] public string? Description { get; set; }
    [Id(5)] public string? Genre { get; set; }
    [Id(6)] public List<string> Tags { get; set; } = [];
    [Id(7)] public double? Bpm { get; set; }
    [Id(8)] public string? Key { get; set; }
    [Id(9)] public bool BpmGiven { get; set; }
    [Id(10)] public bool KeyGiven { get; set; }
    [Id(11)] public List<LicenseTier> Tiers { get; set; } = [];
    [Id(12)] public List<Preset> Presets { get; set; } = [];
    [Id(13)] public ListingStatus Status { get; set; }
    [Id(14)] public ListingFiles? Files { get; set; }
    [Id(15)] public string? Error { get; set; }
    [Id(16)] public Guid? JobId { get; set; }

    /// <summary>Unpaid orders holding a tier, until when.</summary>
    [Id(17)] public Dictionary<Guid, Hold> Holds { get; set; } = [];
    [Id(18)] public Guid? ExclusiveOrder { get; set; }
    [Id(19)] public HashSet<Guid> SoldOrders { get; set; } = [];
    [Id(20)] public long Sales { get; set; }
    [Id(21)] public long RatingSum { get; set; }
    [Id(22)] public int RatingCount { get; set; }
    [Id(23)] public DateTimeOffset CreatedAt { get; set; }
    [Id(24)] public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Set while a moderator keeps the listing off the market; why.</summary>
    [Id(25)] public string? HiddenReason { get; set; }

    /// <summary>Hidden because its seller was banned: reinstating the seller restores it.</summary>
    [Id(26)] public bool HiddenForBan { get; set; }

    /// <summary>A free sample pack in the loop library, and what it is played on.</summary>
    [Id(27)] public bool Library { get; set; }
    [Id(28)] public string? Instrument { get; set; }
}

/// <summary>An unpaid order's hold on a tier. (A record, not a tuple: grain state is stored as JSON, which drops tuple fields.)</summary>
[GenerateSerializer, Immutable, Alias("jacameno.listing-hold")]
public sealed record Hold([property: Id(0)] Guid TierId, [property: Id(1)] DateTimeOffset Until);

/// <summary>One listing; see <see cref="IListingGrain"/>. Its catalog row is rewritten on every change.</summary>
public sealed class ListingGrain(
    [PersistentState("listing", StorageNames.Grains)] IPersistentState<ListingState> state,
    IMarketCatalog catalog,
    IBlobStore blobs,
    TimeProvider clock) : Grain, IListingGrain
{
    private ListingState S => state.State;

    private Guid Id => this.GetPrimaryKey();

    public async Task<ListingInfo> CreateAsync(Guid sellerId, ListingType type, ListingDetails details, Guid jobId)
    {
        if (state.RecordExists)
        {
            throw new DomainException(DomainErrorKind.Conflict, "The listing already exists.");
        }

        var now = clock.GetUtcNow();
        state.State = new ListingState
        {
            SellerId = sellerId, Type = ReleaseRules.Defined(type, "type"), Title = ReleaseRules.Title(details.Title ?? ""), CreatedAt = now, JobId = jobId,
        };
        Apply(details, await PluginsAsync(details));
        if (type == ListingType.PresetPack)
        {
            await WritePresetsAsync();
        }

        await SaveAsync();
        return Info(sellerId);
    }

    public Task<ListingInfo> GetAsync(Guid? viewerId)
    {
        CheckVisible(viewerId);
        return Task.FromResult(Info(viewerId));
    }

    public async Task<ListingInfo> UpdateAsync(Guid userId, ListingDetails details)
    {
        Authorize(userId);
        if (S.Status is ListingStatus.SoldExclusively or ListingStatus.Removed)
        {
            throw new DomainException(DomainErrorKind.Conflict, $"The listing is {Name(S.Status)}; it cannot change.");
        }

        Apply(details, await PluginsAsync(details));
        if (S.Type == ListingType.PresetPack && details.Presets is not null)
        {
            await WritePresetsAsync();
        }

        await SaveAsync();
        return Info(userId);
    }

    public async Task<ListingInfo> SetStatusAsync(Guid userId, ListingStatus status)
    {
        Authorize(userId);
        if (status == ListingStatus.Published && S.HiddenReason is { } reason)
        {
            throw new DomainException(DomainErrorKind.Forbidden, $"A moderator hid this listing: {reason}");
        }

        var allowed = (S.Status, status) switch
        {
            (_, ListingStatus.SoldExclusively) => "A listing is sold exclusively by a sale, not by its seller.",
            (ListingStatus.Removed, _) or (ListingStatus.SoldExclusively, not ListingStatus.Removed) => $"The listing is {Name(S.Status)}.",
            (_, ListingStatus.Published) when S.Files is null => S.Error is null ? "The listing's files are still being prepared." : $"The listing's files could not be prepared: {S.Error}",
            (_, ListingStatus.Published) when S.Tiers.Count == 0 => "A listing needs at least one license tier to be published.",
            _ => null,
        };
        if (allowed is not null)
        {
            throw new DomainException(DomainErrorKind.Conflict, allowed);
        }

        S.Status = status;
        await SaveAsync();
        return Info(userId);
    }

    public async Task FilesReadyAsync(ListingFiles files)
    {
        if (!state.RecordExists)
        {
            return;
        }

        S.Files = files;
        S.Error = null;
        S.JobId = null;
        ReleaseRules.Analyzed(S, files.Bpm, files.Key);

        await SaveAsync();
    }

    public async Task FilesFailedAsync(string reason)
    {
        if (state.RecordExists && S.Files is null)
        {
            (S.Error, S.JobId) = (reason, null);
            await SaveAsync();
        }
    }

    public Task<string> GetPreviewKeyAsync(Guid? viewerId)
    {
        CheckVisible(viewerId);
        return Task.FromResult(S.Files?.PreviewKey ?? throw DomainException.NotFound("The preview"));
    }

    public async Task<Reservation> ReserveAsync(Guid orderId, Guid buyerId, Guid tierId, DateTimeOffset holdUntil)
    {
        CheckVisible(buyerId);
        if (buyerId == S.SellerId)
        {
            throw DomainException.Invalid("listingId", "You cannot buy your own listing.");
        }

        if (S.Status != ListingStatus.Published)
        {
            throw new DomainException(DomainErrorKind.Conflict, $"The listing is {Name(S.Status)}; it is not for sale.");
        }

        var tier = S.Tiers.FirstOrDefault(t => t.Id == tierId) ?? throw DomainException.Invalid("tierId", "The listing has no such tier.");
        var now = clock.GetUtcNow();
        foreach (var expired in S.Holds.Where(h => h.Value.Until <= now).Select(h => h.Key).ToList())
        {
            S.Holds.Remove(expired);
        }

        if (!S.Holds.ContainsKey(orderId))
        {
            if (tier.Exclusive && S.Holds.Values.FirstOrDefault(h => h.TierId == tierId) is { Until: var until } && until > now)
            {
                throw new DomainException(DomainErrorKind.Conflict, $"Another buyer is paying for the exclusive; it is held until {until:u}.");
            }

            S.Holds[orderId] = new Hold(tierId, holdUntil);
            await state.WriteStateAsync();
        }

        return new Reservation(S.SellerId, S.Seller, S.Title, S.Type, tier);
    }

    public async Task ReleaseAsync(Guid orderId)
    {
        if (state.RecordExists && S.Holds.Remove(orderId))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task<(bool Granted, IReadOnlyList<Guid> Cancel)> SoldAsync(Guid orderId, Guid tierId)
    {
        if (S.SoldOrders.Contains(orderId))
        {
            return (true, []);
        }

        var tier = S.Tiers.FirstOrDefault(t => t.Id == tierId);
        // Once sold exclusively (or taken down), nothing more is sold: a payment that arrives now is paid back.
        if (!state.RecordExists || S.ExclusiveOrder is not null || S.Status == ListingStatus.Removed || tier is null)
        {
            S.Holds.Remove(orderId);
            return (false, []);
        }

        IReadOnlyList<Guid> cancel = [];
        if (tier.Exclusive)
        {
            S.ExclusiveOrder = orderId;
            S.Status = ListingStatus.SoldExclusively;
            cancel = [.. S.Holds.Keys.Where(id => id != orderId)];
            S.Holds.Clear();
        }

        S.Holds.Remove(orderId);
        S.SoldOrders.Add(orderId);
        S.Sales++;
        await SaveStatsAsync();
        return (true, cancel);
    }

    public async Task RefundedAsync(Guid orderId)
    {
        if (S.SoldOrders.Remove(orderId))
        {
            S.Sales = Math.Max(0, S.Sales - 1);
            await SaveStatsAsync();
        }
    }

    public Task<IReadOnlyList<ListingFile>> FilesForAsync(Guid tierId, IReadOnlyList<DeliveredFormat> formats) =>
        Task.FromResult<IReadOnlyList<ListingFile>>([.. (S.Files?.Files ?? []).Where(f => formats.Contains(f.Format))]);

    public Task<ListingFile> LoopFileAsync(Guid? viewerId, int index)
    {
        CheckVisible(viewerId);
        return Task.FromResult(S.Library && Listed && S.Files?.Files.ElementAtOrDefault(index) is { Loop: not null } file ? file
            : throw DomainException.NotFound("The loop"));
    }

    public async Task<Guid> OwnLoopAssetAsync(Guid sellerId, int index, long? quotaBytes)
    {
        Authorize(sellerId);
        var file = await LoopFileAsync(sellerId, index);
        return await Assets.AssetFiles.CopyOnceAsync(GrainFactory, blobs, sellerId, quotaBytes, file.BlobKey, file.Name,
            DerivedIds.Of(LoopLibrary.LoopId(Id, index).ToByteArray(), sellerId.ToByteArray()), licenseId: null);
    }

    public async Task<ListingInfo> ReviewAsync(Guid buyerId, int stars, string? text)
    {
        CheckVisible(buyerId);
        if (stars is < 1 or > 5)
        {
            throw DomainException.Invalid("stars", "stars is 1 to 5.");
        }

        if (!await catalog.HasLicenseAsync(buyerId, Id))
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only buyers with a license to this listing may review it.");
        }

        var previous = await catalog.UpsertReviewAsync(new Review(Id, buyerId, stars, ReleaseRules.Text(text, "text", 2000, multiline: true), clock.GetUtcNow()));
        S.RatingSum += stars - (previous ?? 0);
        S.RatingCount += previous is null ? 1 : 0;
        await SaveStatsAsync();
        return Info(buyerId);
    }

    /// <summary>The installed plugins, by id, when the presets name any (asked of the catalog only then).</summary>
    private async Task<Func<string, Plugins.PluginInfo?>> PluginsAsync(ListingDetails d)
    {
        if (d.Presets?.Any(p => p.Effects?.Any(e => Plugins.PluginInfo.IsPluginId(e.Type ?? "")) == true) != true)
        {
            return _ => null;
        }

        var installed = (await GrainFactory.GetGrain<Plugins.IPluginCatalogGrain>(0).ListAsync()).ToDictionary(p => p.Id);
        return id => installed.GetValueOrDefault(id);
    }

    private void Apply(ListingDetails d, Func<string, Plugins.PluginInfo?> plugins)
    {
        // Everything checked before anything changes, so a refused update leaves the listing as it was.
        var tiers = d.Tiers is null ? S.Tiers : [.. MarketRules.Tiers(d.Tiers, S.Type)];
        var presets = d.Presets is null ? S.Presets
            : S.Type == ListingType.PresetPack ? [.. MarketRules.Presets(d.Presets, plugins)]
            : throw DomainException.Invalid("presets", "Only preset packs have presets.");
        var (library, instrument) = (d.Library ?? S.Library, d.Instrument is null ? S.Instrument : LoopLibrary.Instrument(d.Instrument));
        MarketRules.Library(S.Type, library, tiers);
        ReleaseRules.Apply(S, d.Title, d.Description, d.Genre, d.Tags, d.Bpm, d.Key);
        (S.Tiers, S.Presets, S.Library, S.Instrument) = (tiers, presets, library, instrument);
    }

    /// <summary>The library's rows of this listing: each analysed file, while it is a listed library pack.</summary>
    private List<LoopSummary> Loops()
    {
        if (!S.Library || !Listed || S.Files is null)
        {
            return [];
        }

        var instrument = S.Instrument ?? "other";
        return [.. S.Files.Files.Select((f, i) => (f, i)).Where(x => x.f.Loop is not null).Select(x => new LoopSummary(
            LoopLibrary.LoopId(Id, x.i), Id, x.i, Path.GetFileNameWithoutExtension(x.f.Name), S.Title, S.Seller, instrument, x.f.Loop!.Bpm, x.f.Loop.Beats,
            LoopLibrary.Unpitched(instrument) ? null : x.f.Loop.Key, x.f.Loop.DurationSeconds, S.CreatedAt))];
    }

    /// <summary>A preset pack delivers its presets as one JSON file, rewritten when they change.</summary>
    private async Task WritePresetsAsync()
    {
        if (S.Presets.Count == 0)
        {
            S.Files = null;
            S.Error = "A preset pack needs presets.";
            return;
        }

        var key = $"listings/{Id:N}/presets-{Guid.NewGuid():N}.json";
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new { format = "jacameno-effect-presets", version = 1, presets = S.Presets }, JsonSerializerOptions.Web);
        await blobs.PutAsync(key, new MemoryStream(bytes), "application/json");
        var old = S.Files?.Files.Select(f => f.BlobKey).ToList() ?? [];
        S.Files = new ListingFiles([new ListingFile(DeliveredFormat.Wav, $"{Safe(S.Title)} presets.json", key, "application/json", bytes.Length)], null, null, null, null);
        S.Error = null;
        // Buyers of earlier versions get the current presets; the old file is not needed.
        foreach (var stale in old)
        {
            await blobs.DeleteAsync(stale);
        }
    }

    internal static string Safe(string name) => Rendering.RenderJob.Safe(name);

    private static string Name(ListingStatus status) => status switch
    {
        ListingStatus.SoldExclusively => "sold exclusively",
        _ => status.ToString().ToLowerInvariant(),
    };

    public async Task<Guid> ModerateAsync(ModerationAction action, string reason, bool forBan)
    {
        if (!state.RecordExists)
        {
            throw DomainException.NotFound("The listing");
        }

        switch (action)
        {
            case ModerationAction.Hide:
                (S.HiddenReason, S.HiddenForBan) = (reason, forBan);
                break;
            case ModerationAction.Restore when !forBan || S.HiddenForBan:
                (S.HiddenReason, S.HiddenForBan) = (null, false);
                break;
            case ModerationAction.Remove:
                S.Status = ListingStatus.Removed;
                break;
            default:
                return S.SellerId;
        }

        await SaveAsync();
        return S.SellerId;
    }

    private void CheckVisible(Guid? viewerId)
    {
        if (!state.RecordExists || ((S.Status is ListingStatus.Draft or ListingStatus.Removed || S.HiddenReason is not null) && viewerId != S.SellerId))
        {
            throw DomainException.NotFound("The listing");
        }
    }

    private void Authorize(Guid userId)
    {
        CheckVisible(userId);
        if (userId != S.SellerId)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only the listing's seller may change it.");
        }
    }

    private bool Listed => (S.Status is ListingStatus.Published or ListingStatus.SoldExclusively) && S.HiddenReason is null;

    private double Rating => S.RatingCount == 0 ? 0 : (double)S.RatingSum / S.RatingCount;

    /// <summary>Sales, refunds and reviews: the state and the row's counters only (the checkout's path).</summary>
    private async Task SaveStatsAsync()
    {
        S.UpdatedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
        await catalog.UpdateListingStatsAsync(Id, S.Status, Listed, S.Sales, Rating, S.RatingCount);
    }

    private ListingInfo Info(Guid? viewerId) => new(
        Id, S.SellerId, S.Seller, S.Type, S.Title, S.Description, S.Genre, S.Tags, S.Bpm, S.Key, S.Tiers, S.Presets, S.Status, S.Files is not null,
        viewerId == S.SellerId ? S.Error : null, S.Files?.PreviewKey is not null,
        [.. (S.Files?.Files ?? []).Select(f => new FileEntry(f.Format, f.Name, f.Size, f.Loop))],
        Math.Round(Rating, 2), S.RatingCount, S.Sales, S.CreatedAt, S.UpdatedAt, S.Library, S.Instrument);

    private async Task SaveAsync()
    {
        S.UpdatedAt = clock.GetUtcNow();
        S.Seller = (await GrainFactory.GetGrain<IUserGrain>(S.SellerId).GetProfileAsync()).DisplayName;
        await state.WriteStateAsync();
        var cheapest = S.Tiers.OrderBy(t => t.Price).FirstOrDefault();
        await catalog.UpsertListingAsync(new ListingSummary(Id, S.SellerId, S.Seller, S.Type, S.Title, S.Description, S.Genre, S.Tags, S.Bpm, S.Key,
            cheapest?.Currency, cheapest?.Price, S.Status, Listed, S.CreatedAt, S.Sales, Rating, S.RatingCount));
        await catalog.SetLoopsAsync(Id, Loops());
    }
}
