using Jacameno.Insights;
using System.Security.Cryptography;
using Jacameno.Assets;
using Jacameno.Common;
using Jacameno.Jobs;
using Jacameno.Moderation;
using Jacameno.Storage.Blobs;
using Jacameno.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jacameno.Streaming;

[GenerateSerializer, Alias("jacameno.release-state")]
public sealed class ReleaseState : IMusicDetails
{
    [Id(0)] public Guid OwnerId { get; set; }
    [Id(1)] public string Title { get; set; } = "";
    [Id(2)] public string? Description { get; set; }
    [Id(3)] public string? Genre { get; set; }
    [Id(4)] public List<string> Tags { get; set; } = [];
    [Id(5)] public string? Mood { get; set; }
    [Id(6)] public double? Bpm { get; set; }
    [Id(7)] public string? Key { get; set; }
    [Id(8)] public List<ReleaseCredit> Credits { get; set; } = [];
    [Id(9)] public ReleaseLicense License { get; set; }
    [Id(10)] public ReleaseVisibility Visibility { get; set; }
    [Id(11)] public DateTimeOffset ReleaseAt { get; set; }
    [Id(12)] public bool Explicit { get; set; }
    [Id(13)] public bool Published { get; set; } = true;
    [Id(14)] public ReleaseStatus Status { get; set; }
    [Id(15)] public string? Error { get; set; }
    [Id(16)] public int Version { get; set; }
    [Id(17)] public RenditionSet? Renditions { get; set; }
    [Id(18)] public int PendingVersion { get; set; }
    [Id(19)] public Guid? PendingJobId { get; set; }
    [Id(20)] public string? ArtworkPrefix { get; set; }
    [Id(21)] public long Plays { get; set; }
    [Id(22)] public long Likes { get; set; }
    [Id(23)] public long Reposts { get; set; }
    [Id(24)] public long Comments { get; set; }
    [Id(25)] public double Trend { get; set; }
    [Id(26)] public string Secret { get; set; } = "";
    [Id(27)] public bool Announced { get; set; }
    [Id(28)] public bool BpmGiven { get; set; }
    [Id(29)] public bool KeyGiven { get; set; }
    [Id(30)] public long StoredBytes { get; set; }
    [Id(31)] public DateTimeOffset CreatedAt { get; set; }
    [Id(32)] public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The owner's display name when the release last changed.</summary>
    [Id(33)] public string Artist { get; set; } = "";

    /// <summary>Set while a moderator keeps the release out of public view; why.</summary>
    [Id(34)] public string? HiddenReason { get; set; }

    /// <summary>Hidden because its owner was banned: reinstating the owner restores it.</summary>
    [Id(35)] public bool HiddenForBan { get; set; }
}

/// <summary>
/// One release. Others see it only when it is published, out (its release time passed), has audio, and is
/// public (or unlisted and they hold the secret); to everyone else it does not exist. Its catalog row is
/// rewritten on every change, and its counters on every like, repost, comment and counted play.
/// </summary>
public sealed partial class ReleaseGrain(
    [PersistentState("release", StorageNames.Grains)] IPersistentState<ReleaseState> state,
    IStreamingCatalog catalog,
    IBlobStore blobs,
    IOptions<AssetOptions> assetOptions,
    TimeProvider clock,
    ILogger<ReleaseGrain> logger) : Grain, IReleaseGrain, IRemindable
{
    private const string AnnounceReminder = "announce";

    private Guid Id => this.GetPrimaryKey();

    private ReleaseState S => state.State;

    public async Task<ReleaseInfo> CreateAsync(Guid ownerId, ReleaseDetails details, Guid jobId)
    {
        if (state.RecordExists)
        {
            throw new DomainException(DomainErrorKind.Conflict, "The release already exists.");
        }

        var now = clock.GetUtcNow();
        state.State = new ReleaseState
        {
            OwnerId = ownerId,
            Title = ReleaseRules.Title(details.Title ?? ""),
            ReleaseAt = now,
            Status = ReleaseStatus.Processing,
            PendingVersion = 1,
            PendingJobId = jobId,
            Secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_'),
            CreatedAt = now,
            // A new release counts as half an event at its birth, so it starts above stale ones in trending.
            Trend = Trending.Add(double.NegativeInfinity, 0.5, now),
        };
        Apply(details);
        await SaveAsync();
        return Info(new ReleaseViewer(ownerId));
    }

    public async Task<ReleaseInfo> GetAsync(ReleaseViewer viewer)
    {
        CheckVisible(viewer);
        if (viewer.UserId == S.OwnerId && S.PendingJobId is { } jobId)
        {
            // The job failed for good without saying so (attempts ran out): the release learns it here.
            var job = await GrainFactory.GetGrain<IJobGrain>(jobId).GetAsync(S.OwnerId);
            if (job.Status is JobStatus.Failed or JobStatus.Cancelled)
            {
                await RenditionsFailedAsync(S.PendingVersion, job.Error ?? "The job was cancelled.");
            }
        }

        return Info(viewer);
    }

    public Task CheckVisibleAsync(ReleaseViewer viewer)
    {
        CheckVisible(viewer);
        return Task.CompletedTask;
    }

    public async Task<ReleaseInfo> UpdateAsync(Guid userId, ReleaseDetails details)
    {
        Authorize(userId);
        Apply(details);
        await SaveAsync();
        return Info(new ReleaseViewer(userId));
    }

    public async Task<ReleaseInfo> SetPublishedAsync(Guid userId, bool published)
    {
        Authorize(userId);
        if (published && S.HiddenReason is { } reason)
        {
            throw new DomainException(DomainErrorKind.Forbidden, $"A moderator hid this release: {reason}");
        }

        S.Published = published;
        await SaveAsync();
        return Info(new ReleaseViewer(userId));
    }

    public async Task<(ReleaseInfo Info, int Version)> ReplaceAudioAsync(Guid userId, Guid jobId)
    {
        Authorize(userId);
        if (S.PendingVersion != 0)
        {
            throw new DomainException(DomainErrorKind.NotReady, $"Version {S.PendingVersion} is still being made; replace the audio once it is ready.");
        }

        S.PendingVersion = S.Version + 1;
        S.PendingJobId = jobId;
        await SaveAsync();
        return (Info(new ReleaseViewer(userId)), S.PendingVersion);
    }

    public async Task<ReleaseInfo> SetArtworkAsync(Guid userId, string prefix)
    {
        Authorize(userId);
        var old = S.ArtworkPrefix;
        S.ArtworkPrefix = prefix;
        await SaveAsync();
        if (old is not null && old != prefix)
        {
            await DeleteBlobsAsync([.. Artwork.Sizes.Select(size => Artwork.Key(old, size))]);
        }

        return Info(new ReleaseViewer(userId));
    }

    public Task<string> GetArtworkKeyAsync(ReleaseViewer viewer, int size)
    {
        CheckVisible(viewer);
        return S.ArtworkPrefix is { } prefix && Artwork.Sizes.Contains(size)
            ? Task.FromResult(Artwork.Key(prefix, size))
            : throw DomainException.NotFound("The artwork");
    }

    public async Task DeleteAsync(Guid userId)
    {
        Authorize(userId);
        await RemoveAsync();
    }

    public async Task<Guid> ModerateAsync(ModerationAction action, string reason, bool forBan)
    {
        if (!state.RecordExists)
        {
            throw DomainException.NotFound("The release");
        }

        switch (action)
        {
            case ModerationAction.Hide:
                (S.HiddenReason, S.HiddenForBan) = (reason, forBan);
                await SaveAsync();
                break;
            // Reinstating a banned owner restores only what the ban hid, not what a moderator hid on its own.
            case ModerationAction.Restore when !forBan || S.HiddenForBan:
                (S.HiddenReason, S.HiddenForBan) = (null, false);
                await SaveAsync();
                break;
            case ModerationAction.Remove:
                var owner = S.OwnerId;
                await RemoveAsync();
                return owner;
        }

        return S.OwnerId;
    }

    public async Task RemoveCommentAsync(Guid commentId)
    {
        var comment = await catalog.GetCommentAsync(commentId);
        if (!state.RecordExists || comment is null || comment.ReleaseId != Id)
        {
            throw DomainException.NotFound("The comment");
        }

        S.Comments = Math.Max(0, S.Comments - await catalog.DeleteCommentAsync(commentId));
        await SaveStatsAsync();
    }

    private async Task RemoveAsync()
    {
        var keys = Keys(S.Renditions).ToList();
        if (S.ArtworkPrefix is { } prefix)
        {
            keys.AddRange(Artwork.Sizes.Select(size => Artwork.Key(prefix, size)));
        }

        await catalog.DeleteReleaseAsync(Id);
        await GrainFactory.GetGrain<IUserGrain>(S.OwnerId).ReleaseStorageAsync(S.StoredBytes);
        await state.ClearStateAsync();
        await DeleteBlobsAsync(keys);
        await UnregisterAnnounceAsync();
        DeactivateOnIdle();
    }

    public async Task RenditionsReadyAsync(int version, RenditionSet renditions)
    {
        if (!state.RecordExists || version != S.PendingVersion)
        {
            // A late or repeated report (this version is in place, superseded, or the release is gone): keep nothing of it.
            if (!state.RecordExists || version != S.Version)
            {
                await DeleteBlobsAsync([.. Keys(renditions)]);
            }

            return;
        }

        var bytes = renditions.Renditions.Sum(r => r.Size);
        try
        {
            var owner = GrainFactory.GetGrain<IUserGrain>(S.OwnerId);
            await owner.ReserveStorageAsync(bytes, assetOptions.Value.QuotaFor((await owner.GetProfileAsync()).Role));
        }
        catch (DomainException e)
        {
            await DeleteBlobsAsync([.. Keys(renditions)]);
            await RenditionsFailedAsync(version, e.Message);
            return;
        }

        var previous = S.Renditions;
        var previousBytes = S.StoredBytes;
        S.Renditions = renditions;
        S.Version = version;
        S.StoredBytes = bytes;
        S.PendingVersion = 0;
        S.PendingJobId = null;
        S.Status = ReleaseStatus.Ready;
        S.Error = null;
        ReleaseRules.Analyzed(S, renditions.Bpm, renditions.Key);

        await SaveAsync();
        if (previous is not null)
        {
            await GrainFactory.GetGrain<IUserGrain>(S.OwnerId).ReleaseStorageAsync(previousBytes);
            await DeleteBlobsAsync([.. Keys(previous)]);
        }
    }

    public async Task RenditionsFailedAsync(int version, string reason)
    {
        if (!state.RecordExists || version != S.PendingVersion)
        {
            return;
        }

        S.PendingVersion = 0;
        S.PendingJobId = null;
        if (S.Version == 0)
        {
            S.Status = ReleaseStatus.Failed;
        }

        S.Error = S.Version == 0 ? reason : $"Version {version} could not be made: {reason}";
        await SaveAsync();
    }

    public Task<Rendition> GetRenditionAsync(ReleaseViewer viewer, RenditionFormat format)
    {
        CheckVisible(viewer);
        if (format == RenditionFormat.Original && !MayHearLossless(viewer))
        {
            throw new DomainException(DomainErrorKind.Forbidden, "The original file is for the release's owner only.");
        }

        return Task.FromResult(S.Renditions?.Renditions.FirstOrDefault(r => r.Format == format)
            ?? throw new DomainException(DomainErrorKind.Conflict, S.Status == ReleaseStatus.Failed
                ? $"The release has no audio: {S.Error}" : "The release's audio is still being prepared."));
    }

    public Task<string> GetPeaksKeyAsync(ReleaseViewer viewer)
    {
        CheckVisible(viewer);
        return Task.FromResult(S.Renditions?.PeaksKey ?? throw new DomainException(DomainErrorKind.NotReady, "The release's audio is still being prepared."));
    }

    public Task<ReleaseInfo> LikeAsync(ReleaseViewer viewer, bool like) => MarkAsync(viewer, like, NotificationKind.Like);

    public Task<ReleaseInfo> RepostAsync(ReleaseViewer viewer, bool repost)
    {
        if (repost && viewer.UserId == S.OwnerId && state.RecordExists)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Your own release is in your followers' feeds already; there is nothing to repost.");
        }

        return MarkAsync(viewer, repost, NotificationKind.Repost);
    }

    /// <summary>A like or a repost, set or taken back: the catalog row says whether it changed; only then do the counters and trend move.</summary>
    private async Task<ReleaseInfo> MarkAsync(ReleaseViewer viewer, bool on, NotificationKind kind)
    {
        var userId = SignedIn(viewer);
        CheckVisible(viewer);
        var now = clock.GetUtcNow();
        var like = kind == NotificationKind.Like;
        if (like ? await catalog.SetLikeAsync(userId, Id, on, now) : await catalog.SetRepostAsync(userId, Id, on, now))
        {
            var weight = like ? Trending.Like : Trending.Repost;
            if (like)
            {
                S.Likes += on ? 1 : -1;
            }
            else
            {
                S.Reposts += on ? 1 : -1;
            }

            S.Trend = on ? Trending.Add(S.Trend, weight, now) : Trending.Remove(S.Trend, weight, now);
            await SaveStatsAsync();
            await Insights.RecordAsync(new InsightEvent(
                like ? (on ? InsightKind.Like : InsightKind.Unlike) : (on ? InsightKind.Repost : InsightKind.Unrepost), Id, now));
            if (on)
            {
                await NotifyAsync(S.OwnerId, kind, userId, null);
            }
        }

        return Info(viewer);
    }

    public async Task<PlayResult> PlayAsync(ReleaseViewer viewer, string listenerKey, string? playId, string? source = null, string? country = null)
    {
        CheckVisible(viewer);
        if (S.Renditions is null)
        {
            throw new DomainException(DomainErrorKind.NotReady, "The release's audio is still being prepared.");
        }

        // Which plays count is the plays grain's to say (it stores what each listener counted); the total is ours.
        var needed = Math.Min(IReleasePlaysGrain.Threshold.TotalSeconds, S.Renditions.DurationSeconds);
        var tally = await GrainFactory.GetGrain<IReleasePlaysGrain>(Id).PlayAsync(listenerKey, playId, needed);
        if (!tally.Counted)
        {
            return new PlayResult(false, tally.PlayId, tally.CountAfterSeconds, S.Plays);
        }

        S.Plays++;
        S.Trend = Trending.Add(S.Trend, Trending.Play, clock.GetUtcNow());
        await SaveStatsAsync();
        await Insights.RecordAsync(new InsightEvent(InsightKind.Play, Id, clock.GetUtcNow(),
            ListenerHash: Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(listenerKey)))[..16],
            Source: source, Country: country));
        return new PlayResult(true, null, 0, S.Plays);
    }

    public async Task<ReleaseComment> CommentAsync(ReleaseViewer viewer, string text, double atSeconds, Guid? parentId)
    {
        var userId = SignedIn(viewer);
        CheckVisible(viewer);
        if (await GrainFactory.GetGrain<IUserGrain>(S.OwnerId).IsBlockingAsync(userId))
        {
            throw new DomainException(DomainErrorKind.Forbidden, "The release's owner does not take your comments.");
        }

        var body = ReleaseRules.Comment(text);
        var duration = S.Renditions?.DurationSeconds ?? 0;
        if (!double.IsFinite(atSeconds) || atSeconds < 0 || atSeconds > duration)
        {
            throw DomainException.Invalid("atSeconds", $"atSeconds must be between 0 and the release's length ({duration:0.###} s).");
        }

        ReleaseComment? parent = null;
        if (parentId is { } pid)
        {
            parent = await catalog.GetCommentAsync(pid);
            if (parent is null || parent.ReleaseId != Id)
            {
                throw DomainException.Invalid("parentId", "parentId names no comment on this release.");
            }

            if (parent.ParentId is not null)
            {
                throw DomainException.Invalid("parentId", "Replies answer a comment, not another reply.");
            }
        }

        var comment = new ReleaseComment(Guid.NewGuid(), Id, userId, parent?.Id, parent?.AtSeconds ?? Math.Round(atSeconds, 3), body, clock.GetUtcNow());
        await catalog.AddCommentAsync(comment);
        S.Comments++;
        await SaveStatsAsync();
        await NotifyAsync(S.OwnerId, NotificationKind.Comment, userId, comment.Id);
        if (parent is not null && parent.AuthorId != S.OwnerId)
        {
            await NotifyAsync(parent.AuthorId, NotificationKind.Comment, userId, comment.Id);
        }

        return comment;
    }

    public async Task DeleteCommentAsync(Guid userId, Guid commentId)
    {
        CheckVisible(new ReleaseViewer(userId));
        var comment = await catalog.GetCommentAsync(commentId);
        if (comment is null || comment.ReleaseId != Id)
        {
            throw DomainException.NotFound("The comment");
        }

        if (comment.AuthorId != userId && S.OwnerId != userId)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only the comment's author or the release's owner may delete it.");
        }

        S.Comments = Math.Max(0, S.Comments - await catalog.DeleteCommentAsync(commentId));
        await SaveStatsAsync();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!state.RecordExists || S.Announced)
        {
            await UnregisterAnnounceAsync();
            return;
        }

        await AnnounceIfDueAsync();
    }

    private void Apply(ReleaseDetails d)
    {
        ReleaseRules.Apply(S, d.Title, d.Description, d.Genre, d.Tags, d.Bpm, d.Key);
        if (d.Mood is not null)
        {
            S.Mood = ReleaseRules.Label(d.Mood, "mood", 40);
        }

        if (d.Credits is not null)
        {
            S.Credits = ReleaseRules.Credits(d.Credits);
        }

        if (d.License is { } license)
        {
            S.License = ReleaseRules.Defined(license, "license");
        }

        if (d.Visibility is { } visibility)
        {
            S.Visibility = ReleaseRules.Defined(visibility, "visibility");
        }

        if (d.ReleaseAt is { } at)
        {
            S.ReleaseAt = at.Year is >= 2000 and <= 2200 ? at.ToUniversalTime() : throw DomainException.Invalid("releaseAt", "releaseAt must be a date between 2000 and 2200.");
        }

        if (d.Explicit is { } isExplicit)
        {
            S.Explicit = isExplicit;
        }
    }

    // The lossless rendition is the owner's, and Premium listeners'.
    private bool MayHearLossless(ReleaseViewer viewer) => viewer.UserId == S.OwnerId || (viewer.Premium && viewer.UserId is not null);

    private bool Listed => S.Published && S.Visibility == ReleaseVisibility.Public && S.Version > 0 && S.HiddenReason is null;

    private void CheckVisible(ReleaseViewer viewer)
    {
        if (!state.RecordExists)
        {
            throw DomainException.NotFound("The release");
        }

        if (viewer.UserId == S.OwnerId)
        {
            return;
        }

        var open = S.Published && S.HiddenReason is null && S.Version > 0 && S.ReleaseAt <= clock.GetUtcNow() && (S.Visibility == ReleaseVisibility.Public
            || (S.Visibility == ReleaseVisibility.Unlisted && viewer.Secret is { } secret
                && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.UTF8.GetBytes(S.Secret))));
        if (!open)
        {
            throw DomainException.NotFound("The release");
        }
    }

    private void Authorize(Guid userId)
    {
        if (!state.RecordExists || userId != S.OwnerId)
        {
            // Others may see the release, but it is not theirs to change; those who may not see it learn nothing.
            CheckVisible(new ReleaseViewer(userId));
            throw new DomainException(DomainErrorKind.Forbidden, "Only the release's owner may change it.");
        }
    }

    private static Guid SignedIn(ReleaseViewer viewer) =>
        viewer.UserId ?? throw new DomainException(DomainErrorKind.Unauthorized, "Sign in first.");

    private ReleaseInfo Info(ReleaseViewer viewer) => new(
        Id, S.OwnerId, S.Title, S.Description, S.Genre, S.Tags, S.Mood, S.Bpm, S.Key, S.Credits, S.License, S.Visibility, S.ReleaseAt,
        S.Explicit, S.Published, S.Status, viewer.UserId == S.OwnerId ? S.Error : null, S.Version, S.PendingVersion != 0 && S.Version > 0,
        S.Renditions?.DurationSeconds, S.Renditions?.IntegratedLufs,
        [.. (S.Renditions?.Renditions ?? []).Select(r => r.Format).Where(f => f != RenditionFormat.Original || MayHearLossless(viewer))],
        S.ArtworkPrefix is not null, S.Plays, S.Likes, S.Reposts, S.Comments, S.CreatedAt, S.UpdatedAt,
        viewer.UserId == S.OwnerId ? S.Secret : null, S.Artist);

    /// <summary>Writes the state and the catalog row, then announces the release to followers if it just became public.</summary>
    private async Task SaveAsync()
    {
        S.UpdatedAt = clock.GetUtcNow();
        S.Artist = (await GrainFactory.GetGrain<IUserGrain>(S.OwnerId).GetProfileAsync()).DisplayName;
        await state.WriteStateAsync();
        await catalog.UpsertReleaseAsync(new ReleaseSummary(Id, S.OwnerId, S.Artist, S.Title, S.Description, S.Genre, S.Tags, S.Mood, S.Bpm, S.Key,
            S.Renditions?.DurationSeconds, S.Explicit, S.ArtworkPrefix is not null, Listed, S.ReleaseAt, S.CreatedAt,
            S.Plays, S.Likes, S.Reposts, S.Comments, S.Trend));
        await AnnounceIfDueAsync();
    }

    /// <summary>The owner's insights; events go one-way, so a play never waits on them.</summary>
    private IArtistInsightsGrain Insights => GrainFactory.GetGrain<IArtistInsightsGrain>(S.OwnerId);

    private async Task SaveStatsAsync()
    {
        await state.WriteStateAsync();
        await catalog.UpdateReleaseStatsAsync(Id, S.Plays, S.Likes, S.Reposts, S.Comments, S.Trend);
    }

    /// <summary>The first time the release is listed and out, its owner's followers hear of it; a scheduled one waits for a reminder.</summary>
    private async Task AnnounceIfDueAsync()
    {
        if (S.Announced || !Listed)
        {
            return;
        }

        var now = clock.GetUtcNow();
        if (S.ReleaseAt > now)
        {
            await this.RegisterOrUpdateReminder(AnnounceReminder, S.ReleaseAt - now, TimeSpan.FromHours(1));
            return;
        }

        S.Announced = true;
        await state.WriteStateAsync();
        foreach (var notification in await catalog.NotifyFollowersAsync(S.OwnerId, Id, now))
        {
            await this.PublishToUserAsync(notification.UserId, new UserEvent(UserEventKind.Notification, Notification: notification), logger);
        }

        await UnregisterAnnounceAsync();
    }

    private async Task UnregisterAnnounceAsync()
    {
        if (await this.GetReminder(AnnounceReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private async Task NotifyAsync(Guid userId, NotificationKind kind, Guid actorId, Guid? commentId)
    {
        if (userId == actorId)
        {
            return;
        }

        var notification = new Notification(Guid.NewGuid(), userId, kind, actorId, Id, commentId, clock.GetUtcNow());
        await catalog.AddNotificationAsync(notification);
        await this.PublishToUserAsync(userId, new UserEvent(UserEventKind.Notification, Notification: notification), logger);
    }

    private static IEnumerable<string> Keys(RenditionSet? set) =>
        set is null ? [] : set.Renditions.Select(r => r.BlobKey).Append(set.PeaksKey);

    private async Task DeleteBlobsAsync(IReadOnlyList<string> keys)
    {
        foreach (var key in keys)
        {
            try
            {
                await blobs.DeleteAsync(key);
            }
            catch (Exception e)
            {
                LogBlobDeleteFailed(logger, e, key);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting {Key} failed; it stays as an orphan")]
    private static partial void LogBlobDeleteFailed(ILogger logger, Exception exception, string key);
}
