using Jacameno.Common;
using Jacameno.Frontend.Http;
using Jacameno.Frontend.Mail;
using Jacameno.Marketplace;
using Jacameno.Moderation;
using Jacameno.Storage.Catalog;
using Jacameno.Streaming;
using Jacameno.Users;

namespace Jacameno.Frontend.Moderation;

public sealed record ReportRequest(string? TargetType, Guid? TargetId, string? Reason, string? Details);

/// <summary>A report as its reporter and the moderation queue see it (the reporter is the caller's own id, or for admins, whoever reported).</summary>
public sealed record ReportResponse(Guid Id, string TargetType, Guid TargetId, string Reason, string? Details, DateTimeOffset CreatedAt,
    DateTimeOffset? ResolvedAt, string? Resolution, bool Takedown, string? CounterNotice, Guid? ReporterId)
{
    public static ReportResponse From(Report r) => new(r.Id, ApiEnums.Name(r.TargetType), r.TargetId, ApiEnums.Name(r.Reason), r.Details, r.CreatedAt,
        r.ResolvedAt, r.Resolution, r.Takedown, r.CounterNotice, r.ReporterId);
}

/// <summary>A copyright notice: who claims, which work, and their statement that the use is not authorized.</summary>
public sealed record TakedownRequest(string? TargetType, Guid? TargetId, string? ClaimantName, string? Work, string? Statement);

public sealed record CounterNoticeRequest(string? Statement);

public sealed record ModerateRequest(string? TargetType, Guid? TargetId, string? Action, string? Reason, DateTimeOffset? Until);

public sealed record ModerationEntryResponse(Guid Id, string TargetType, Guid TargetId, string Action, string Reason, Guid ActorId, DateTimeOffset At,
    DateTimeOffset? Until)
{
    public static ModerationEntryResponse From(ModerationEntry e) =>
        new(e.Id, ApiEnums.Name(e.TargetType), e.TargetId, ApiEnums.Name(e.Action), e.Reason, e.ActorId, e.At, e.Until);
}

public sealed record BlockListResponse(IReadOnlyList<Guid> Blocked);

/// <summary>
/// Trust and safety, for REST and GraphQL: users report what they can see; admins work the queue, hide, restore or
/// remove content, warn, suspend, ban or reinstate users; every action is in the audit log, and the people it
/// touches are mailed why. Users block others from commenting on their releases, following them and joining their
/// projects.
/// </summary>
public sealed class ModerationService(IGrainFactory grains, IModerationCatalog moderation, IStreamingCatalog streaming, IMarketCatalog market,
    Mailer mailer, AccountMails mails, TimeProvider clock)
{
    /// <summary>Reports one user may make an hour: enough for anyone, too few to flood the queue.</summary>
    public const int ReportsPerHour = 20;

    public const int MaxDetails = 2000;

    public const int MaxReason = 1000;

    public async Task<ReportResponse> ReportAsync(Guid reporterId, ReportRequest request)
    {
        var type = ApiEnums.Parse<ModerationTarget>(request.TargetType, "targetType") ?? throw DomainException.Invalid("targetType", $"targetType is one of {string.Join(", ", ApiEnums.Names<ModerationTarget>())}.");
        var reason = ApiEnums.Parse<ReportReason>(request.Reason, "reason") ?? throw DomainException.Invalid("reason", $"reason is one of {string.Join(", ", ApiEnums.Names<ReportReason>())}.");
        var targetId = request.TargetId ?? throw DomainException.Invalid("targetId", "targetId is required.");
        var details = request.Details?.Trim() is { Length: > 0 } text ? text : null;
        if (details?.Length > MaxDetails)
        {
            throw DomainException.Invalid("details", $"details may be up to {MaxDetails} characters.");
        }

        if (type == ModerationTarget.User && targetId == reporterId)
        {
            throw DomainException.Invalid("targetId", "You cannot report yourself.");
        }

        await CheckVisibleAsync(type, targetId, reporterId);
        if (await moderation.OpenReportAsync(reporterId, type, targetId) is { } open)
        {
            return ReportResponse.From(open);
        }

        var now = clock.GetUtcNow();
        await EnsureUnderReportLimitAsync(reporterId, now);

        var report = new Report(Guid.NewGuid(), type, targetId, reporterId, reason, details, now);
        await moderation.AddReportAsync(report);
        return ReportResponse.From(report);
    }

    /// <summary>
    /// A copyright notice against a release or listing: the content is hidden at once, pending review; its owner is
    /// mailed the notice and may answer with a counter-notice; a moderator then restores or removes it.
    /// </summary>
    public async Task<ReportResponse> TakedownAsync(Guid claimantId, TakedownRequest request)
    {
        var type = ApiEnums.Parse<ModerationTarget>(request.TargetType, "targetType") is { } t && t is ModerationTarget.Release or ModerationTarget.Listing
            ? t
            : throw DomainException.Invalid("targetType", "A copyright notice concerns a release or a listing.");
        var targetId = request.TargetId ?? throw DomainException.Invalid("targetId", "targetId is required.");
        var name = Required(request.ClaimantName, "claimantName", "Who claims the rights (claimantName)");
        var work = Required(request.Work, "work", "The copyrighted work (work)");
        var statement = Required(request.Statement, "statement", "A statement that the use is not authorized (statement)");
        await CheckVisibleAsync(type, targetId, claimantId);
        var now = clock.GetUtcNow();
        await EnsureUnderReportLimitAsync(claimantId, now);

        var report = new Report(Guid.NewGuid(), type, targetId, claimantId, ReportReason.Copyright, $"Claimant: {name}\nWork: {work}\nStatement: {statement}", now,
            Takedown: true);
        await moderation.AddReportAsync(report);
        const string Pending = "A copyright notice about it is under review.";
        var owner = type == ModerationTarget.Release
            ? await grains.GetGrain<IReleaseGrain>(targetId).ModerateAsync(ModerationAction.Hide, Pending, forBan: false)
            : await grains.GetGrain<IListingGrain>(targetId).ModerateAsync(ModerationAction.Hide, Pending, forBan: false);
        await moderation.AddActionAsync(new ModerationEntry(Guid.NewGuid(), type, targetId, ModerationAction.Hide, $"Copyright notice {report.Id}", claimantId, now, null));
        await NotifyAsync(owner, $"Your {ApiEnums.Name(type)} is hidden after a copyright notice",
            $"{name} claims it uses \"{work}\" without permission. If you have the rights, answer with a counter-notice on notice {report.Id}; a moderator reviews both.");
        return ReportResponse.From(report);
    }

    /// <summary>The owner's answer to a copyright notice about their content; the notice stays in the queue for a moderator.</summary>
    public async Task<ReportResponse> CounterNoticeAsync(Guid userId, Guid reportId, string? statement)
    {
        var text = Required(statement, "statement", "Your statement that you have the rights (statement)");
        if (await moderation.GetReportAsync(reportId) is not { Takedown: true } report)
        {
            throw DomainException.NotFound("The copyright notice");
        }

        var owner = report.TargetType == ModerationTarget.Release
            ? (await grains.GetGrain<IReleaseGrain>(report.TargetId).GetAsync(new ReleaseViewer(userId))).OwnerId
            : (await grains.GetGrain<IListingGrain>(report.TargetId).GetAsync(userId)).SellerId;
        if (owner != userId)
        {
            throw DomainException.NotFound("The copyright notice");
        }

        await moderation.CounterNoticeAsync(reportId, text);
        return ReportResponse.From(report with { CounterNotice = text });
    }

    /// <summary>Reports and copyright notices draw from one budget per user.</summary>
    private async Task EnsureUnderReportLimitAsync(Guid userId, DateTimeOffset now)
    {
        if (await moderation.CountReportsAsync(userId, now.AddHours(-1)) >= ReportsPerHour)
        {
            throw new DomainException(DomainErrorKind.TooManyRequests, $"You can make {ReportsPerHour} reports an hour; try again later.") { RetryAfter = TimeSpan.FromMinutes(10) };
        }
    }

    private static string Required(string? value, string field, string what) =>
        value?.Trim() is { Length: > 0 and <= MaxDetails } text ? text : throw DomainException.Invalid(field, $"{what} is required, up to {MaxDetails} characters.");

    public async Task<CatalogPage<ReportResponse>> QueueAsync(int first, string? after)
    {
        var page = await moderation.OpenReportsAsync(first, after);
        return page.With<ReportResponse>([.. page.Items.Select(ReportResponse.From)]);
    }

    public async Task<CatalogPage<ModerationEntryResponse>> LogAsync(string? targetType, Guid? targetId, int first, string? after)
    {
        var page = await moderation.ActionsAsync(ApiEnums.Parse<ModerationTarget>(targetType, "targetType"), targetId, first, after);
        return page.With<ModerationEntryResponse>([.. page.Items.Select(ModerationEntryResponse.From)]);
    }

    /// <summary>An admin's action on content or a user; recorded in the audit log, and it closes the target's open reports.</summary>
    public async Task<ModerationEntryResponse> ModerateAsync(Guid actorId, ModerateRequest request)
    {
        var type = ApiEnums.Parse<ModerationTarget>(request.TargetType, "targetType") ?? throw DomainException.Invalid("targetType", "targetType is required.");
        var action = ApiEnums.Parse<ModerationAction>(request.Action, "action") ?? throw DomainException.Invalid("action", "action is required.");
        var targetId = request.TargetId ?? throw DomainException.Invalid("targetId", "targetId is required.");
        var reason = request.Reason?.Trim() is { Length: > 0 and <= MaxReason } r ? r : throw DomainException.Invalid("reason", $"A reason (up to {MaxReason} characters) is required: it is recorded and sent to whom it concerns.");
        var now = clock.GetUtcNow();
        DateTimeOffset? until = null;
        switch (type, action)
        {
            case (ModerationTarget.Release, ModerationAction.Hide or ModerationAction.Restore or ModerationAction.Remove):
                await NotifyAsync(await grains.GetGrain<IReleaseGrain>(targetId).ModerateAsync(action, reason, forBan: false),
                    $"A moderator {Done(action)} your release", reason);
                break;
            case (ModerationTarget.Listing, ModerationAction.Hide or ModerationAction.Restore or ModerationAction.Remove):
                await NotifyAsync(await grains.GetGrain<IListingGrain>(targetId).ModerateAsync(action, reason, forBan: false),
                    $"A moderator {Done(action)} your listing", reason);
                break;
            case (ModerationTarget.Comment, ModerationAction.Remove):
                var comment = await streaming.GetCommentAsync(targetId) ?? throw DomainException.NotFound("The comment");
                await grains.GetGrain<IReleaseGrain>(comment.ReleaseId).RemoveCommentAsync(targetId);
                await NotifyAsync(comment.AuthorId, "A moderator removed your comment", reason);
                break;
            case (ModerationTarget.User, ModerationAction.Warn):
                await grains.GetGrain<IUserGrain>(targetId).WarnAsync();
                await NotifyAsync(targetId, "A moderator warned your account", reason);
                break;
            case (ModerationTarget.User, ModerationAction.Suspend):
                until = request.Until is { } end && end > now ? end : throw DomainException.Invalid("until", "A suspension needs an end (until) in the future.");
                await grains.GetGrain<IUserGrain>(targetId).RestrictAsync(new AccountRestriction(false, until, reason));
                await NotifyAsync(targetId, $"Your account is suspended until {until:u}", reason);
                break;
            case (ModerationTarget.User, ModerationAction.Ban):
                await grains.GetGrain<IUserGrain>(targetId).RestrictAsync(new AccountRestriction(true, null, reason));
                await ForContentOfAsync(targetId, ModerationAction.Hide, "The account was banned.");
                await NotifyAsync(targetId, "Your account is banned", reason);
                break;
            case (ModerationTarget.User, ModerationAction.Reinstate):
                await grains.GetGrain<IUserGrain>(targetId).RestrictAsync(null);
                await ForContentOfAsync(targetId, ModerationAction.Restore, reason);
                await NotifyAsync(targetId, "Your account is reinstated", reason);
                break;
            default:
                throw DomainException.Invalid("action", type switch
                {
                    ModerationTarget.User => "A user is warned, suspended, banned or reinstated.",
                    ModerationTarget.Comment => "A comment is removed.",
                    ModerationTarget.Playlist => "Playlists are moderated through their owner (warn, suspend, ban).",
                    _ => "Content is hidden, restored or removed.",
                });
        }

        var entry = new ModerationEntry(Guid.NewGuid(), type, targetId, action, reason, actorId, now, until);
        await moderation.AddActionAsync(entry);
        await moderation.ResolveAsync(type, targetId, $"{ApiEnums.Name(action)}: {reason}", now);
        return ModerationEntryResponse.From(entry);
    }

    public async Task<BlockListResponse> BlockAsync(Guid userId, Guid otherId, bool block)
    {
        await grains.GetGrain<IUserGrain>(otherId).GetProfileAsync();
        var list = await grains.GetGrain<IUserGrain>(userId).BlockAsync(otherId, block);
        if (block)
        {
            // Blocking someone also ends their following.
            await streaming.SetFollowAsync(otherId, userId, false, clock.GetUtcNow());
        }

        return new BlockListResponse(list);
    }

    /// <summary>Whether the reporter can see the target: what they cannot see does not exist for them (404).</summary>
    private async Task CheckVisibleAsync(ModerationTarget type, Guid targetId, Guid viewerId)
    {
        switch (type)
        {
            case ModerationTarget.Release:
                await grains.GetGrain<IReleaseGrain>(targetId).CheckVisibleAsync(new ReleaseViewer(viewerId));
                break;
            case ModerationTarget.Comment:
                var comment = await streaming.GetCommentAsync(targetId) ?? throw DomainException.NotFound("The comment");
                await grains.GetGrain<IReleaseGrain>(comment.ReleaseId).CheckVisibleAsync(new ReleaseViewer(viewerId));
                break;
            case ModerationTarget.Listing:
                await grains.GetGrain<IListingGrain>(targetId).GetAsync(viewerId);
                break;
            case ModerationTarget.Playlist:
                await grains.GetGrain<IPlaylistGrain>(targetId).GetAsync(viewerId);
                break;
            default:
                await grains.GetGrain<IUserGrain>(targetId).GetProfileAsync();
                break;
        }
    }

    /// <summary>Hides (a ban) or restores (a reinstatement) every release and listing of the user.</summary>
    private async Task ForContentOfAsync(Guid userId, ModerationAction action, string reason)
    {
        string? after = null;
        do
        {
            var page = await streaming.ListOwnReleasesAsync(userId, 100, after);
            foreach (var release in page.Items)
            {
                await grains.GetGrain<IReleaseGrain>(release.Id).ModerateAsync(action, reason, forBan: true);
            }

            after = page.NextCursor;
        }
        while (after is not null);

        do
        {
            var page = await market.SellerListingsAsync(userId, 100, after);
            foreach (var listing in page.Items)
            {
                await grains.GetGrain<IListingGrain>(listing.Id).ModerateAsync(action, reason, forBan: true);
            }

            after = page.NextCursor;
        }
        while (after is not null);
    }

    private static string Done(ModerationAction action) => action switch
    {
        ModerationAction.Hide => "hid",
        ModerationAction.Restore => "restored",
        _ => "removed",
    };

    private async Task NotifyAsync(Guid userId, string what, string reason)
    {
        var user = await grains.GetGrain<IUserGrain>(userId).GetProfileAsync();
        await mailer.SendAsync(mails.ModerationNotice(user.Email, user.DisplayName, what, reason));
    }
}
