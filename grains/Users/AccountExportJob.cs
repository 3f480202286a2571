using System.IO.Compression;
using System.Text.Json;
using Jacameno.Assets;
using Jacameno.Jobs;
using Jacameno.Marketplace;
using Jacameno.Projects;
using Jacameno.Projects.Interchange;
using Jacameno.Rendering;
using Jacameno.Storage.Catalog;
using Jacameno.Streaming;

namespace Jacameno.Users;

/// <summary>
/// Everything an account holds, as one zip its owner downloads: <c>profile.json</c>, each project they own as a
/// DAWproject with its audio (<c>projects/</c>), their uploads as uploaded (<c>uploads/</c>), <c>releases.json</c>,
/// <c>comments.json</c>, <c>orders.json</c> (bought and sold) and the license of each purchase (<c>licenses/</c>).
/// The zip is stored under <see cref="AccountExport.KeyOf"/>; the report names it.
/// </summary>
public sealed class AccountExportJob(ICatalog catalog, IStreamingCatalog streaming, IMarketCatalog market, IDawProjectInterchange interchange) : IJobHandler
{
    private static readonly JsonSerializerOptions Pretty = new(JobInputs.Json) { WriteIndented = true };

    public JobKind Kind => JobKind.AccountExport;

    public async Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var userId = context.Input<AccountExportInput>().UserId;
        if (userId != context.OwnerId)
        {
            throw new JobRejectedException("An account exports only itself.");
        }

        var path = Path.Combine(context.Scratch, "export.zip");
        await using (var file = File.Create(path))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
        {
            context.Report(5, "profile");
            var user = context.Grains.GetGrain<IUserGrain>(userId);
            await WriteJsonAsync(zip, "profile.json", new { profile = await user.GetProfileAsync(), premium = await user.GetPremiumAsync() }, cancellationToken);

            context.Report(10, "projects");
            await foreach (var project in AllAsync((after, ct) => catalog.ListProjectsAsync(userId, owned: true, 100, after, ct), cancellationToken))
            {
                var document = await context.Grains.GetGrain<IProjectGrain>(project.Id).GetAsync(userId);
                await using var entry = zip.CreateEntry($"projects/{RenderJob.Safe(project.Name)}-{project.Id:N}.dawproject", CompressionLevel.NoCompression).Open();
                await interchange.ExportAsync(document, entry, cancellationToken);
            }

            context.Report(40, "uploads");
            await foreach (var assetId in AllAsync((after, ct) => catalog.ListOwnedAsync(OwnedList.Assets, userId, 100, after, ct), cancellationToken))
            {
                var (info, blobKey) = await context.Grains.GetGrain<IAssetGrain>(assetId).GetSourceAsync();
                if (await context.Blobs.GetAsync(blobKey, cancellationToken: cancellationToken) is { } content)
                {
                    await using (content)
                    await using (var entry = zip.CreateEntry($"uploads/{assetId:N}-{RenderJob.Safe(info.FileName)}", CompressionLevel.NoCompression).Open())
                    {
                        await content.Stream.CopyToAsync(entry, cancellationToken);
                    }
                }
            }

            context.Report(70, "releases, comments, orders");
            await WriteJsonAsync(zip, "releases.json", await ToListAsync(AllAsync((after, ct) => streaming.ListOwnReleasesAsync(userId, 100, after, ct), cancellationToken)), cancellationToken);
            await WriteJsonAsync(zip, "comments.json", await streaming.CommentsByAuthorAsync(userId, 100_000, cancellationToken), cancellationToken);
            var bought = await ToListAsync(AllAsync((after, ct) => market.OrdersAsync(userId, asSeller: false, null, 100, after, ct), cancellationToken));
            var sold = await ToListAsync(AllAsync((after, ct) => market.OrdersAsync(userId, asSeller: true, null, 100, after, ct), cancellationToken));
            await WriteJsonAsync(zip, "orders.json", new { bought, sold }, cancellationToken);
            foreach (var order in bought.Where(o => o.Status == OrderStatus.Completed))
            {
                var license = await context.Grains.GetGrain<IOrderGrain>(order.Id).LicenseAsync(new OrderActor(userId, false));
                await using var entry = new StreamWriter(zip.CreateEntry($"licenses/{order.Id:N}.txt").Open());
                await entry.WriteAsync(license.AsMemory(), cancellationToken);
            }
        }

        context.Report(95, "storing");
        var key = AccountExport.KeyOf(userId, context.Work.JobId);
        await using (var zipFile = File.OpenRead(path))
        {
            await context.Blobs.PutAsync(key, zipFile, "application/zip", cancellationToken);
        }

        return new JobResult(new Dictionary<string, Guid>(), JsonSerializer.Serialize(new { export = key, size = new FileInfo(path).Length }, JobInputs.Json));
    }

    private static async Task WriteJsonAsync(ZipArchive zip, string name, object value, CancellationToken cancellationToken)
    {
        await using var entry = zip.CreateEntry(name).Open();
        await JsonSerializer.SerializeAsync(entry, value, Pretty, cancellationToken);
    }

    /// <summary>Every item of a paged catalog list.</summary>
    private static async IAsyncEnumerable<T> AllAsync<T>(Func<string?, CancellationToken, Task<CatalogPage<T>>> page,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? after = null;
        do
        {
            var next = await page(after, cancellationToken);
            foreach (var item in next.Items)
            {
                yield return item;
            }

            after = next.NextCursor;
        }
        while (after is not null);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
