using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Jacameno.Storage.Catalog;
using static Jacameno.Storage.Catalog.SqlDialect;

namespace Jacameno.Marketplace;

/// <summary>The marketplace's read model and its money record (docs/marketplace.md), in SQL both databases share.</summary>
public sealed class MarketCatalog(SqlDialect db) : IMarketCatalog
{
    private const string Columns = "r.id, r.seller_id, r.seller, r.type, r.title, r.description, r.genre, r.tags, r.bpm, r.musical_key, r.currency, " +
        "r.min_price, r.status, r.listed, r.created_at, r.sales, r.rating, r.ratings";

    private static readonly double[] TextWeights = [10, 5, 3, 1];

    public async Task UpsertListingAsync(ListingSummary listing, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, """
            INSERT INTO market_listings (id, seller_id, seller, type, title, description, genre, tags, bpm, musical_key, currency, min_price,
                status, listed, created_at, sales, rating, ratings)
            VALUES (@id, @seller_id, @seller, @type, @title, @description, @genre, @tags, @bpm, @key, @currency, @min_price,
                @status, @listed, @created_at, @sales, @rating, @ratings)
            ON CONFLICT (id) DO UPDATE SET seller = excluded.seller, title = excluded.title, description = excluded.description,
                genre = excluded.genre, tags = excluded.tags, bpm = excluded.bpm, musical_key = excluded.musical_key, currency = excluded.currency,
                min_price = excluded.min_price, status = excluded.status, listed = excluded.listed, sales = excluded.sales,
                rating = excluded.rating, ratings = excluded.ratings;
            DELETE FROM market_listing_tags WHERE listing_id = @id;
            """, cancellationToken, c =>
        {
            Add(c, "id", db.IdValue(listing.Id));
            Add(c, "seller_id", db.IdValue(listing.SellerId));
            Add(c, "seller", listing.Seller);
            Add(c, "type", listing.Type.ToString());
            Add(c, "title", listing.Title);
            Add(c, "description", listing.Description);
            Add(c, "genre", listing.Genre);
            Add(c, "tags", JsonSerializer.Serialize(listing.Tags));
            Add(c, "bpm", listing.Bpm);
            Add(c, "key", listing.Key);
            Add(c, "currency", listing.Currency);
            Add(c, "min_price", listing.MinPrice);
            Add(c, "status", listing.Status.ToString());
            Add(c, "listed", listing.Listed ? 1 : 0);
            Add(c, "created_at", listing.CreatedAt.UtcTicks);
            Add(c, "sales", listing.Sales);
            Add(c, "rating", listing.Rating);
            Add(c, "ratings", listing.Ratings);
        });
        foreach (var tag in listing.Tags)
        {
            await ExecuteAsync(connection, transaction, "INSERT INTO market_listing_tags (tag, listing_id) VALUES (@tag, @id) ON CONFLICT DO NOTHING",
                cancellationToken, c =>
                {
                    Add(c, "tag", tag);
                    Add(c, "id", db.IdValue(listing.Id));
                });
        }

        await db.IndexTextAsync(connection, transaction, "market_listings", listing.Id,
            [("title", listing.Title), ("seller", listing.Seller), ("tags", string.Join(' ', listing.Tags)), ("description", listing.Description ?? "")], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task UpdateListingStatsAsync(Guid listingId, ListingStatus status, bool listed, long sales, double rating, int ratings,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null,
            "UPDATE market_listings SET status = @status, listed = @listed, sales = @sales, rating = @rating, ratings = @ratings WHERE id = @id",
            cancellationToken, c =>
            {
                Add(c, "id", db.IdValue(listingId));
                Add(c, "status", status.ToString());
                Add(c, "listed", listed ? 1 : 0);
                Add(c, "sales", sales);
                Add(c, "rating", rating);
                Add(c, "ratings", ratings);
            });
    }

    public async Task<CatalogPage<ListingSummary>> SearchListingsAsync(ListingQuery query, CancellationToken cancellationToken = default)
    {
        var size = CatalogCursor.PageSize(query.First);
        var cursor = CatalogCursor.Decode(query.After);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var words = CatalogCursor.Words(query.Text);
        var (from, filters) = ("market_listings r", new List<string> { "r.listed = 1" });
        var sort = query.Sort == ListingSort.Relevance && words.Count == 0 ? ListingSort.New : query.Sort;
        // Every sort is descending on one value, then by id; cheapest first is the negated price.
        var value = sort switch { ListingSort.PriceLow => "(0 - r.min_price)", ListingSort.Top => "r.sales", _ => "r.created_at" };
        if (words.Count > 0)
        {
            var (textFrom, textWhere, rank) = db.TextSearch(command, "market_listings", words, TextWeights);
            (from, value) = (textFrom, sort == ListingSort.Relevance ? rank : value);
            filters.Add(textWhere);
        }

        void Filter(string condition, string name, object? parameter)
        {
            filters.Add(condition);
            Add(command, name, parameter);
        }

        if (query.Type is { } type)
        {
            Filter("r.type = @type", "type", type.ToString());
        }

        if (query.Genre is not null)
        {
            Filter("r.genre = @genre", "genre", query.Genre);
        }

        if (query.Tag is not null)
        {
            Filter("r.id IN (SELECT listing_id FROM market_listing_tags WHERE tag = @tag)", "tag", query.Tag);
        }

        if (query.BpmMin is { } bpmMin)
        {
            Filter("r.bpm >= @bpmMin", "bpmMin", bpmMin);
        }

        if (query.BpmMax is { } bpmMax)
        {
            Filter("r.bpm <= @bpmMax", "bpmMax", bpmMax);
        }

        if (query.Key is not null)
        {
            Filter("r.musical_key = @key", "key", query.Key);
        }

        if (query.Currency is not null)
        {
            Filter("r.currency = @currency", "currency", query.Currency);
        }

        if (query.PriceMin is { } priceMin)
        {
            Filter("r.min_price >= @priceMin", "priceMin", priceMin);
        }

        if (query.PriceMax is { } priceMax)
        {
            Filter("r.min_price <= @priceMax", "priceMax", priceMax);
        }

        if (query.SellerId is { } seller)
        {
            Filter("r.seller_id = @sellerId", "sellerId", db.IdValue(seller));
        }

        db.AddAfter(command, filters, value, cursor, fractional: sort == ListingSort.Relevance);
        Add(command, "limit", size + 1);
        command.CommandText = $"""
            SELECT {Columns}, {value} FROM {from}
            WHERE {string.Join(" AND ", filters)}
            ORDER BY {value} DESC, r.id LIMIT @limit
            """;
        var rows = new List<(ListingSummary, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((ReadListing(reader), SortKey(reader.GetValue(18))));
        }

        return CatalogCursor.Page(rows, size, l => l.Id);
    }

    public async Task<CatalogPage<ListingSummary>> SellerListingsAsync(Guid sellerId, int first, string? after, CancellationToken cancellationToken = default)
    {
        var size = CatalogCursor.PageSize(first);
        var cursor = CatalogCursor.Decode(after);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM market_listings r WHERE r.seller_id = @seller
            {(cursor is null ? "" : "AND (r.created_at < @afterValue OR (r.created_at = @afterValue AND r.id > @afterId))")}
            ORDER BY r.created_at DESC, r.id LIMIT @limit
            """;
        Add(command, "seller", db.IdValue(sellerId));
        db.AddWholeAfter(command, cursor);
        Add(command, "limit", size + 1);
        var rows = new List<(ListingSummary, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var listing = ReadListing(reader);
            rows.Add((listing, listing.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)));
        }

        return CatalogCursor.Page(rows, size, l => l.Id);
    }

    private const string LoopColumns = "r.id, r.listing_id, r.file_index, r.name, r.pack, r.seller, r.instrument, r.bpm, r.beats, r.musical_key, r.duration, r.created_at";

    public async Task SetLoopsAsync(Guid listingId, IReadOnlyList<LoopSummary> loops, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, "DELETE FROM market_loops WHERE listing_id = @listing", cancellationToken,
            c => Add(c, "listing", db.IdValue(listingId)));
        foreach (var loop in loops)
        {
            await ExecuteAsync(connection, transaction, """
                INSERT INTO market_loops (id, listing_id, file_index, name, pack, seller, instrument, is_loop, bpm, beats, musical_key, duration, search, created_at)
                VALUES (@id, @listing, @index, @name, @pack, @seller, @instrument, @isLoop, @bpm, @beats, @key, @duration, @search, @createdAt)
                """, cancellationToken, c =>
            {
                Add(c, "id", db.IdValue(loop.Id));
                Add(c, "listing", db.IdValue(listingId));
                Add(c, "index", loop.Index);
                Add(c, "name", loop.Name);
                Add(c, "pack", loop.Pack);
                Add(c, "seller", loop.Seller);
                Add(c, "instrument", loop.Instrument);
                Add(c, "isLoop", loop.Bpm is null ? 0 : 1);
                Add(c, "bpm", loop.Bpm);
                Add(c, "beats", loop.Beats);
                Add(c, "key", loop.Key);
                Add(c, "duration", loop.DurationSeconds);
                Add(c, "search", $"{loop.Name} {loop.Pack}".ToLowerInvariant());
                Add(c, "createdAt", loop.CreatedAt.UtcTicks);
            });
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<CatalogPage<LoopSummary>> SearchLoopsAsync(LoopQuery query, CancellationToken cancellationToken = default)
    {
        var size = CatalogCursor.PageSize(query.First);
        var cursor = CatalogCursor.Decode(query.After);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var filters = new List<string> { "1 = 1" };
        void Filter(string condition, string name, object? parameter)
        {
            filters.Add(condition);
            Add(command, name, parameter);
        }

        // Each word is a substring of the name or the pack's title; LIKE's wildcards in it are literal.
        foreach (var (word, i) in (query.Text ?? "").ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(8).Select((w, i) => (w, i)))
        {
            Filter($@"r.search LIKE @word{i} ESCAPE '\'", $"word{i}", "%" + word.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%");
        }

        if (query.Instrument is not null)
        {
            Filter("r.instrument = @instrument", "instrument", query.Instrument);
        }

        if (query.IsLoop is { } isLoop)
        {
            Filter("r.is_loop = @isLoop", "isLoop", isLoop ? 1 : 0);
        }

        if (query.Key is not null)
        {
            Filter("r.musical_key = @key", "key", query.Key);
        }

        if (query.BpmMin is { } bpmMin)
        {
            Filter("r.bpm >= @bpmMin", "bpmMin", bpmMin);
        }

        if (query.BpmMax is { } bpmMax)
        {
            Filter("r.bpm <= @bpmMax", "bpmMax", bpmMax);
        }

        if (cursor is not null)
        {
            filters.Add("(r.created_at < @afterValue OR (r.created_at = @afterValue AND r.id > @afterId))");
            db.AddWholeAfter(command, cursor);
        }

        Add(command, "limit", size + 1);
        command.CommandText = $"SELECT {LoopColumns} FROM market_loops r WHERE {string.Join(" AND ", filters)} ORDER BY r.created_at DESC, r.id LIMIT @limit";
        var rows = new List<(LoopSummary, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var loop = ReadLoop(reader);
            rows.Add((loop, loop.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)));
        }

        return CatalogCursor.Page(rows, size, l => l.Id);
    }

    public async Task<LoopSummary?> LoopAsync(Guid loopId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {LoopColumns} FROM market_loops r WHERE r.id = @id";
        Add(command, "id", db.IdValue(loopId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadLoop(reader) : null;
    }

    private LoopSummary ReadLoop(DbDataReader r) => new(
        db.ReadId(r, 0), db.ReadId(r, 1), Convert.ToInt32(r.GetValue(2), CultureInfo.InvariantCulture), r.GetString(3), r.GetString(4), r.GetString(5),
        r.GetString(6), r.IsDBNull(7) ? null : r.GetDouble(7), r.IsDBNull(8) ? null : Convert.ToInt32(r.GetValue(8), CultureInfo.InvariantCulture),
        r.IsDBNull(9) ? null : r.GetString(9), r.GetDouble(10), Ticks(r.GetInt64(11)));

    public async Task UpsertOrderAsync(OrderSummary order, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            INSERT INTO market_orders (id, buyer_id, seller_id, listing_id, status, payment, created_at) VALUES (@id, @buyer, @seller, @listing, @status, @payment, @at)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, payment = excluded.payment
            """, cancellationToken, c =>
        {
            Add(c, "id", db.IdValue(order.Id));
            Add(c, "buyer", db.IdValue(order.BuyerId));
            Add(c, "seller", db.IdValue(order.SellerId));
            Add(c, "listing", db.IdValue(order.ListingId));
            Add(c, "status", order.Status.ToString());
            Add(c, "payment", order.Payment);
            Add(c, "at", order.CreatedAt.UtcTicks);
        });
    }

    public async Task<CatalogPage<OrderSummary>> OrdersAsync(Guid? userId, bool asSeller, OrderStatus? status, int first, string? after, CancellationToken cancellationToken = default)
    {
        var size = CatalogCursor.PageSize(first);
        var cursor = CatalogCursor.Decode(after);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT id, buyer_id, seller_id, listing_id, status, created_at FROM market_orders r WHERE 1 = 1
            {(userId is null ? "" : $"AND {(asSeller ? "seller_id" : "buyer_id")} = @user")}
            {(status is null ? "" : "AND status = @status")}
            {(cursor is null ? "" : "AND (r.created_at < @afterValue OR (r.created_at = @afterValue AND r.id > @afterId))")}
            ORDER BY r.created_at DESC, r.id LIMIT @limit
            """;
        if (userId is { } user)
        {
            Add(command, "user", db.IdValue(user));
        }

        if (status is { } wanted)
        {
            Add(command, "status", wanted.ToString());
        }

        db.AddWholeAfter(command, cursor);
        Add(command, "limit", size + 1);
        var rows = new List<(OrderSummary, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var order = new OrderSummary(db.ReadId(reader, 0), db.ReadId(reader, 1), db.ReadId(reader, 2), db.ReadId(reader, 3),
                Enum.Parse<OrderStatus>(reader.GetString(4)), Ticks(reader.GetInt64(5)));
            rows.Add((order, order.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)));
        }

        return CatalogCursor.Page(rows, size, o => o.Id);
    }

    public async Task<Guid?> OrderOfPaymentAsync(string reference, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM market_orders WHERE payment = @payment";
        Add(command, "payment", reference);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? db.ReadId(reader, 0) : null;
    }

    public async Task SetLicenseAsync(Guid orderId, Guid buyerId, Guid listingId, bool active, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            INSERT INTO market_licenses (order_id, buyer_id, listing_id, active) VALUES (@order, @buyer, @listing, @active)
            ON CONFLICT (order_id) DO UPDATE SET active = excluded.active
            """, cancellationToken, c =>
        {
            Add(c, "order", db.IdValue(orderId));
            Add(c, "buyer", db.IdValue(buyerId));
            Add(c, "listing", db.IdValue(listingId));
            Add(c, "active", active ? 1 : 0);
        });
    }

    public async Task<bool> HasLicenseAsync(Guid buyerId, Guid listingId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM market_licenses WHERE buyer_id = @buyer AND listing_id = @listing AND active = 1";
        Add(command, "buyer", db.IdValue(buyerId));
        Add(command, "listing", db.IdValue(listingId));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0;
    }

    public async Task<int?> UpsertReviewAsync(Review review, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        int? previous = null;
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT stars FROM market_reviews WHERE listing_id = @listing AND buyer_id = @buyer";
            Add(read, "listing", db.IdValue(review.ListingId));
            Add(read, "buyer", db.IdValue(review.BuyerId));
            if (await read.ExecuteScalarAsync(cancellationToken) is { } stars and not DBNull)
            {
                previous = Convert.ToInt32(stars, CultureInfo.InvariantCulture);
            }
        }

        await ExecuteAsync(connection, transaction, """
            INSERT INTO market_reviews (listing_id, buyer_id, stars, body, updated_at) VALUES (@listing, @buyer, @stars, @body, @at)
            ON CONFLICT (listing_id, buyer_id) DO UPDATE SET stars = excluded.stars, body = excluded.body, updated_at = excluded.updated_at
            """, cancellationToken, c =>
        {
            Add(c, "listing", db.IdValue(review.ListingId));
            Add(c, "buyer", db.IdValue(review.BuyerId));
            Add(c, "stars", review.Stars);
            Add(c, "body", review.Text);
            Add(c, "at", review.UpdatedAt.UtcTicks);
        });
        await transaction.CommitAsync(cancellationToken);
        return previous;
    }

    public async Task<CatalogPage<Review>> ReviewsAsync(Guid listingId, int first, string? after, CancellationToken cancellationToken = default)
    {
        var size = CatalogCursor.PageSize(first);
        var cursor = CatalogCursor.Decode(after);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT listing_id, buyer_id, stars, body, updated_at FROM market_reviews r WHERE listing_id = @listing
            {(cursor is null ? "" : "AND (r.updated_at < @afterValue OR (r.updated_at = @afterValue AND r.buyer_id > @afterId))")}
            ORDER BY r.updated_at DESC, r.buyer_id LIMIT @limit
            """;
        Add(command, "listing", db.IdValue(listingId));
        db.AddWholeAfter(command, cursor);
        Add(command, "limit", size + 1);
        var rows = new List<(Review, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var review = new Review(db.ReadId(reader, 0), db.ReadId(reader, 1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3), Ticks(reader.GetInt64(4)));
            rows.Add((review, review.UpdatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)));
        }

        return CatalogCursor.Page(rows, size, r => r.BuyerId);
    }

    public async Task<bool> PostAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken = default)
    {
        if (entries.GroupBy(e => e.Currency).Any(g => g.Sum(e => e.Amount) != 0))
        {
            throw new InvalidOperationException("The legs of a ledger movement must sum to zero.");
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var posted = 0;
        foreach (var entry in entries)
        {
            posted += await ExecuteAsync(connection, transaction, """
                INSERT INTO market_ledger (id, reference, kind, account, amount, currency, at) VALUES (@id, @reference, @kind, @account, @amount, @currency, @at)
                ON CONFLICT (reference, kind, account) DO NOTHING
                """, cancellationToken, c =>
            {
                Add(c, "id", db.IdValue(Guid.NewGuid()));
                Add(c, "reference", db.IdValue(entry.Reference));
                Add(c, "kind", entry.Kind);
                Add(c, "account", entry.Account);
                Add(c, "amount", entry.Amount);
                Add(c, "currency", entry.Currency);
                Add(c, "at", entry.At.UtcTicks);
            });
        }

        await transaction.CommitAsync(cancellationToken);
        return posted > 0;
    }

    public async Task<IReadOnlyList<Balance>> BalancesAsync(string account, DateTimeOffset clearedBefore, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT currency, SUM(amount), SUM(CASE WHEN amount > 0 AND at > @cleared THEN amount ELSE 0 END)
            FROM market_ledger WHERE account = @account GROUP BY currency ORDER BY currency
            """;
        Add(command, "account", account);
        Add(command, "cleared", clearedBefore.UtcTicks);
        var balances = new List<Balance>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var total = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
            var clearing = Math.Min(Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture), Math.Max(total, 0));
            balances.Add(new Balance(reader.GetString(0), total - clearing, clearing));
        }

        return balances;
    }

    public async Task<IReadOnlyList<LedgerEntry>> EntriesAsync(Guid reference, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT reference, kind, account, amount, currency, at FROM market_ledger WHERE reference = @reference ORDER BY at, kind, account";
        Add(command, "reference", db.IdValue(reference));
        var entries = new List<LedgerEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new LedgerEntry(db.ReadId(reader, 0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4), Ticks(reader.GetInt64(5))));
        }

        return entries;
    }

    public async Task<bool> FirstTimeAsync(string eventId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, null, "INSERT INTO market_payment_events (id, at) VALUES (@id, @at) ON CONFLICT DO NOTHING", cancellationToken, c =>
        {
            Add(c, "id", eventId);
            Add(c, "at", at.UtcTicks);
        }) > 0;
    }

    private ListingSummary ReadListing(DbDataReader reader)
    {
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        return new ListingSummary(db.ReadId(reader, 0), db.ReadId(reader, 1), reader.GetString(2), Enum.Parse<ListingType>(reader.GetString(3)),
            reader.GetString(4), Text(5), Text(6), JsonSerializer.Deserialize<string[]>(reader.GetString(7)) ?? [],
            reader.IsDBNull(8) ? null : reader.GetDouble(8), Text(9), Text(10), reader.IsDBNull(11) ? null : reader.GetInt64(11),
            Enum.Parse<ListingStatus>(reader.GetString(12)), reader.GetInt32(13) == 1, Ticks(reader.GetInt64(14)), reader.GetInt64(15),
            reader.GetDouble(16), reader.GetInt32(17));
    }
}
