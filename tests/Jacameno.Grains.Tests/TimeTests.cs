using Jacameno.Marketplace;
using Jacameno.Streaming;
using Jacameno.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Jacameno.Grains.Tests;

/// <summary>
/// Deadlines of the grains on a fake clock: each is checked a moment before it passes (nothing happens) and a
/// moment after (it does), with no real waiting.
/// </summary>
public sealed class TimeTests(FakeTimeSiloFixture silo) : IClassFixture<FakeTimeSiloFixture>
{
    [Fact]
    public async Task APlay_CountsAfterEnoughListening_OncePer30Seconds_AndAtMost20ADay()
    {
        var plays = silo.Grains.GetGrain<IReleasePlaysGrain>(Guid.NewGuid());
        const string listener = "listener";

        async Task<PlayTally> ListenAsync(double seconds)
        {
            var started = await plays.PlayAsync(listener, null, 30);
            silo.Clock.Advance(TimeSpan.FromSeconds(seconds));
            return await plays.PlayAsync(listener, started.PlayId, 30);
        }

        var early = await ListenAsync(29);
        Assert.Equal((false, 1.0), (early.Counted, Math.Round(early.CountAfterSeconds, 1)));
        silo.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await plays.PlayAsync(listener, early.PlayId, 30)).Counted);
        // Within 30 s of the counted play, the next does not count (however long it was listened to).
        var started = await plays.PlayAsync(listener, null, 1);
        silo.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False((await plays.PlayAsync(listener, started.PlayId, 1)).Counted);
        for (var i = 2; i <= IReleasePlaysGrain.MaxPerListenerPerDay; i++)
        {
            Assert.True((await ListenAsync(30)).Counted, $"play {i}");
        }

        Assert.False((await ListenAsync(30)).Counted);
        // A new UTC day starts a new count.
        silo.Clock.Advance(TimeSpan.FromDays(1));
        Assert.True((await ListenAsync(30)).Counted);
        // A play reported by another listener, or never started, is refused.
        var theirs = await plays.PlayAsync("someone else", null, 30);
        await Assert.ThrowsAsync<Common.DomainException>(() => plays.PlayAsync(listener, theirs.PlayId, 30));
    }

    [Fact]
    public async Task AnEmailedLink_WorksUntilItExpires_AndOnlyOnce()
    {
        var (used, expired) = (AccountTokens.New(), AccountTokens.New());
        foreach (var token in new[] { used, expired })
        {
            await silo.Grains.GetGrain<IAccountTokenGrain>(AccountTokens.KeyOf(token)).IssueAsync(new AccountToken(
                AccountTokenPurpose.VerifyEmail, Guid.NewGuid(), "a@example.org", silo.Clock.GetUtcNow() + AccountTokens.VerifyEmailLifetime));
        }

        silo.Clock.Advance(AccountTokens.VerifyEmailLifetime - TimeSpan.FromSeconds(1));
        var grain = silo.Grains.GetGrain<IAccountTokenGrain>(AccountTokens.KeyOf(used));
        Assert.Null(await grain.RedeemAsync(AccountTokenPurpose.ProjectInvitation));
        Assert.NotNull(await grain.RedeemAsync(AccountTokenPurpose.VerifyEmail));
        Assert.Null(await grain.RedeemAsync(AccountTokenPurpose.VerifyEmail));
        var other = silo.Grains.GetGrain<IAccountTokenGrain>(AccountTokens.KeyOf(expired));
        Assert.NotNull(await other.FindAsync(AccountTokenPurpose.VerifyEmail));
        silo.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await other.FindAsync(AccountTokenPurpose.VerifyEmail));
        Assert.Null(await other.RedeemAsync(AccountTokenPurpose.VerifyEmail));
    }

    [Fact]
    public async Task ASession_RotatesUntilItsLifetimeEnds()
    {
        var family = silo.Grains.GetGrain<IRefreshTokenFamilyGrain>(Guid.NewGuid());
        var userId = Guid.NewGuid();
        var first = await family.StartAsync(userId);
        silo.Clock.Advance(TimeSpan.FromDays(29));
        var second = await family.RotateAsync(first.RefreshToken);
        Assert.True(await family.IsActiveAsync(userId));
        // Rotation extends the session; its lifetime runs from the last rotation.
        silo.Clock.Advance(TimeSpan.FromDays(29));
        var third = await family.RotateAsync(second.RefreshToken);
        silo.Clock.Advance(TimeSpan.FromDays(30));
        await Assert.ThrowsAnyAsync<Exception>(() => family.RotateAsync(third.RefreshToken));
    }

    /// <summary>
    /// An unpaid order stays open for the hold time: the order's reminder, run a second before the hold ends, keeps
    /// it; run after, the order ends as expired (an exclusive's hold is released the same way).
    /// </summary>
    [Fact]
    public async Task AnUnpaidOrder_StaysOpenUntilTheHoldEnds()
    {
        var (seller, buyer) = (await UserAsync(), await UserAsync());
        var tier = new LicenseTier(Guid.NewGuid(), "Basic", 4999, "USD", [DeliveredFormat.Wav], new LicenseTerms());
        var listingId = Guid.NewGuid();
        var listing = silo.Grains.GetGrain<IListingGrain>(listingId);
        await listing.CreateAsync(seller, ListingType.PresetPack, new ListingDetails(Title: "Held", Tiers: [tier],
            Presets: [new Preset("Warm", [new PresetEffect("compressor", new Dictionary<string, double> { ["ratio"] = 2 })])]), Guid.NewGuid());
        await listing.SetStatusAsync(seller, ListingStatus.Published);
        var order = silo.Grains.GetGrain<IOrderGrain>(Guid.NewGuid());
        Assert.Equal(OrderStatus.Pending, (await order.CreateAsync(buyer, listingId, tier.Id)).Status);
        var tick = order.AsReference<IRemindable>();

        silo.Clock.Advance(new MarketOptions().OrderHold - TimeSpan.FromSeconds(1));
        await tick.ReceiveReminder("order", default);
        Assert.Equal(OrderStatus.Pending, (await order.GetAsync(new OrderActor(buyer, false))).Status);

        silo.Clock.Advance(TimeSpan.FromSeconds(1));
        await tick.ReceiveReminder("order", default);
        var expired = await order.GetAsync(new OrderActor(buyer, false));
        Assert.Equal((OrderStatus.Cancelled, "The order expired unpaid."), (expired.Status, expired.Reason));
    }

    /// <summary>
    /// A resumable upload lives for its lifetime after its last bytes: the sweep a second before leaves it (and a PATCH
    /// then starts the lifetime again); a second after, it and its bytes are gone.
    /// </summary>
    [Fact]
    public async Task AResumableUpload_ExpiresALifetimeAfterItsLastBytes_WithItsBytes()
    {
        var owner = await UserAsync();
        var uploads = silo.Grains.GetGrain<Uploads.IResumableUploadsGrain>(owner);
        var blobs = silo.Services.GetRequiredService<Storage.Blobs.IBlobStore>();
        var lifetime = new Uploads.UploadOptions().Lifetime;
        var upload = await uploads.CreateAsync(new Uploads.NewResumableUpload(Uploads.UploadPurpose.Asset, null, "slow.wav", 10, true, null));
        async Task<string> PatchAsync(long offset)
        {
            var patch = (await uploads.BeginPatchAsync(upload.Id, offset))!;
            // A small last part is written again with the new bytes, into the PATCH's own blob.
            await blobs.PutAsync(patch.BlobKey, new MemoryStream(new byte[(patch.Joins?.Length ?? 0) + 3]), "application/octet-stream");
            await uploads.CommitPatchAsync(upload.Id, patch, 3);
            return patch.BlobKey;
        }

        var first = await PatchAsync(0);
        var sweep = uploads.AsReference<IRemindable>();
        silo.Clock.Advance(lifetime - TimeSpan.FromSeconds(1));
        await sweep.ReceiveReminder("sweep", default);
        var key = await PatchAsync(3);
        silo.Clock.Advance(lifetime - TimeSpan.FromSeconds(1));
        await sweep.ReceiveReminder("sweep", default);
        Assert.Equal(6, (await uploads.GetAsync(upload.Id)).Offset);
        Assert.True(await blobs.ExistsAsync(key));
        Assert.False(await blobs.ExistsAsync(first));

        silo.Clock.Advance(TimeSpan.FromSeconds(1));
        await sweep.ReceiveReminder("sweep", default);
        var gone = await Assert.ThrowsAsync<Common.DomainException>(() => uploads.GetAsync(upload.Id));
        Assert.Equal(Common.DomainErrorKind.NotFound, gone.Kind);
        Assert.False(await blobs.ExistsAsync(key));
        Assert.Empty(await uploads.ListOpenAsync());
    }

    private async Task<Guid> UserAsync()
    {
        var id = Guid.NewGuid();
        await silo.Grains.GetGrain<IUserGrain>(id).CreateAsync(new CreateUserCommand($"{id:N}@example.org", "Someone", "correct horse 9", null));
        return id;
    }
}
