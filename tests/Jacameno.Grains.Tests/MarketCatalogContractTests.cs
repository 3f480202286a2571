using Jacameno.Marketplace;
using Jacameno.Storage.Catalog;
using Jacameno.Storage.Postgres;
using Jacameno.Storage.Sqlite;
using Jacameno.Tests;

namespace Jacameno.Grains.Tests;

/// <summary>One contract for the marketplace catalog on SQLite and PostgreSQL: search and its sorts, orders, licenses, reviews, the ledger.</summary>
public abstract class MarketCatalogContractTests
{
    protected abstract Task<IMarketCatalog> CatalogAsync();

    private static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static ListingSummary Listing(string title, Guid seller, int minutes, long? price, ListingType type = ListingType.Beat, string[]? tags = null,
        double? bpm = null, bool listed = true, long sales = 0) =>
        new(Guid.NewGuid(), seller, "Some Seller", type, title, null, "trap", tags ?? [], bpm, null, price is null ? null : "USD", price,
            listed ? ListingStatus.Published : ListingStatus.Draft, listed, Start.AddMinutes(minutes), sales, 0, 0);

    [Fact]
    public async Task Search_FiltersSortsAndPagesListedListingsOnly()
    {
        var catalog = await CatalogAsync();
        var word = "m" + Guid.NewGuid().ToString("N")[..8];
        var seller = Guid.NewGuid();
        var cheap = Listing($"{word} cheap", seller, 1, 1000, tags: ["dark"], bpm: 140, sales: 5);
        var dear = Listing($"{word} dear", seller, 2, 9000, bpm: 90, sales: 1);
        var pack = Listing($"{word} pack", seller, 3, 3000, ListingType.SamplePack, ["dark"], sales: 9);
        var draft = Listing($"{word} draft", seller, 4, 500, listed: false);
        foreach (var l in new[] { cheap, dear, pack, draft })
        {
            await catalog.UpsertListingAsync(l);
        }

        async Task<List<Guid>> Ids(ListingQuery query) => [.. (await catalog.SearchListingsAsync(query)).Items.Select(l => l.Id)];

        Assert.Equal([pack.Id, dear.Id, cheap.Id], await Ids(new ListingQuery(word, Sort: ListingSort.New)));
        Assert.Equal([cheap.Id, pack.Id, dear.Id], await Ids(new ListingQuery(word, Sort: ListingSort.PriceLow)));
        Assert.Equal([pack.Id, cheap.Id, dear.Id], await Ids(new ListingQuery(word, Sort: ListingSort.Top)));
        Assert.Equal([pack.Id, cheap.Id], await Ids(new ListingQuery(word, Tag: "dark", Sort: ListingSort.New)));
        Assert.Equal([pack.Id], await Ids(new ListingQuery(word, Type: ListingType.SamplePack)));
        Assert.Equal([cheap.Id], await Ids(new ListingQuery(word, BpmMin: 120, BpmMax: 150)));
        Assert.Equal([pack.Id, cheap.Id], await Ids(new ListingQuery(word, Currency: "USD", PriceMax: 3000, Sort: ListingSort.New)));
        Assert.Equal([cheap.Id], await Ids(new ListingQuery($"{word} che")));
        // The seller's own list has every state, the draft included.
        Assert.Equal(4, (await catalog.SellerListingsAsync(seller, 10, null)).Items.Count);

        foreach (var sort in Enum.GetValues<ListingSort>())
        {
            var seen = new List<Guid>();
            string? after = null;
            do
            {
                var page = await catalog.SearchListingsAsync(new ListingQuery(word, Sort: sort, First: 1, After: after));
                seen.AddRange(page.Items.Select(l => l.Id));
                after = page.NextCursor;
            }
            while (after is not null);

            Assert.Equal(3, seen.Distinct().Count());
            Assert.Equal(3, seen.Count);
        }

        // Stats change a row in place: a sold-out exclusive leaves search.
        await catalog.UpdateListingStatsAsync(dear.Id, ListingStatus.Removed, listed: false, 1, 0, 0);
        Assert.DoesNotContain(dear.Id, await Ids(new ListingQuery(word)));
    }

    [Fact]
    public async Task Orders_Licenses_AndReviews()
    {
        var catalog = await CatalogAsync();
        var (buyer, seller, listing) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var first = new OrderSummary(Guid.NewGuid(), buyer, seller, listing, OrderStatus.Completed, Start, "pi_1");
        var second = new OrderSummary(Guid.NewGuid(), buyer, seller, listing, OrderStatus.Pending, Start.AddMinutes(1));
        await catalog.UpsertOrderAsync(first);
        await catalog.UpsertOrderAsync(second);
        Assert.Equal([second.Id, first.Id], (await catalog.OrdersAsync(buyer, asSeller: false, null, 10, null)).Items.Select(o => o.Id));
        Assert.Equal([first.Id], (await catalog.OrdersAsync(seller, asSeller: true, OrderStatus.Completed, 10, null)).Items.Select(o => o.Id));
        Assert.Empty((await catalog.OrdersAsync(seller, asSeller: false, null, 10, null)).Items);
        Assert.Equal(first.Id, await catalog.OrderOfPaymentAsync("pi_1"));
        Assert.Null(await catalog.OrderOfPaymentAsync("pi_unknown"));

        Assert.False(await catalog.HasLicenseAsync(buyer, listing));
        await catalog.SetLicenseAsync(first.Id, buyer, listing, active: true);
        Assert.True(await catalog.HasLicenseAsync(buyer, listing));
        await catalog.SetLicenseAsync(first.Id, buyer, listing, active: false);
        Assert.False(await catalog.HasLicenseAsync(buyer, listing));

        Assert.Null(await catalog.UpsertReviewAsync(new Review(listing, buyer, 4, "Good", Start)));
        Assert.Equal(4, await catalog.UpsertReviewAsync(new Review(listing, buyer, 5, "Better", Start.AddMinutes(1))));
        await catalog.UpsertReviewAsync(new Review(listing, Guid.NewGuid(), 2, null, Start.AddMinutes(2)));
        var reviews = (await catalog.ReviewsAsync(listing, 10, null)).Items;
        Assert.Equal([2, 5], reviews.Select(r => r.Stars));
        Assert.Equal("Better", reviews[1].Text);
    }

    [Fact]
    public async Task TheLedger_PostsEachMovementOnce_AndClearsWithTime()
    {
        var catalog = await CatalogAsync();
        var seller = $"seller:{Guid.NewGuid():N}";
        var (sale, later, refund) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        LedgerEntry[] Sale(Guid reference, long price, DateTimeOffset at) =>
        [
            new(reference, "sale", "payments", -price, "USD", at),
            new(reference, "sale", "platform", price / 10, "USD", at),
            new(reference, "sale", seller, price - (price / 10), "USD", at),
        ];

        Assert.True(await catalog.PostAsync(Sale(sale, 1000, Start)));
        Assert.False(await catalog.PostAsync(Sale(sale, 1000, Start)));
        Assert.True(await catalog.PostAsync(Sale(later, 2000, Start.AddDays(5))));
        await Assert.ThrowsAsync<InvalidOperationException>(() => catalog.PostAsync([new(Guid.NewGuid(), "sale", seller, 5, "USD", Start)]));

        // Cleared: what is older than the cut-off; the rest is still clearing.
        Assert.Equal([new Balance("USD", 900, 1800)], await catalog.BalancesAsync(seller, Start.AddDays(1)));
        Assert.Equal([new Balance("USD", 2700, 0)], await catalog.BalancesAsync(seller, Start.AddDays(6)));
        // After a refund the account holds what is left, and never more is clearing than it holds.
        await catalog.PostAsync([new(refund, "refund", seller, -1800, "USD", Start.AddDays(5)), new(refund, "refund", "payments", 1800, "USD", Start.AddDays(5))]);
        var refunded = Assert.Single(await catalog.BalancesAsync(seller, Start.AddDays(1)));
        Assert.Equal(900, refunded.Available + refunded.Clearing);
        Assert.InRange(refunded.Clearing, 0, 900);
        Assert.Equal(3, (await catalog.EntriesAsync(sale)).Count);

        var eventId = "evt_" + Guid.NewGuid().ToString("N");
        Assert.True(await catalog.FirstTimeAsync(eventId, Start));
        Assert.False(await catalog.FirstTimeAsync(eventId, Start.AddMinutes(1)));
    }
}

public sealed class SqliteMarketCatalogTests : MarketCatalogContractTests
{
    private readonly MarketCatalog catalog = new(new SqliteDialect(new SqliteDatabase(Path.Combine(TestServices.TempDirectory(), "market.db"))));

    protected override Task<IMarketCatalog> CatalogAsync() => Task.FromResult<IMarketCatalog>(catalog);
}

public sealed class PostgresMarketCatalogTests : MarketCatalogContractTests
{
    private static readonly Lazy<Task<IMarketCatalog>> Shared = new(async () =>
        new MarketCatalog(new PostgresDialect(PostgresDatabase.Create(await TestServices.CreatePostgresDatabaseAsync()))));

    protected override Task<IMarketCatalog> CatalogAsync() => Shared.Value;
}
