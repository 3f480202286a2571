using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using Jacameno.Frontend.GraphQL;
using Jacameno.Frontend.Http;
using Jacameno.Streaming;

namespace Jacameno.Frontend.Streaming;

public sealed class ReleaseGraphType : ObjectGraphType<ReleaseInfo>
{
    private static async Task<bool> MarkAsync(IResolveFieldContext<ReleaseInfo> context, bool liked)
    {
        if (context.OptionalUserId() is not { } userId)
        {
            return false;
        }

        var (likes, reposts) = await context.Service<IStreamingCatalog>().MarksAsync(userId, [context.Source.Id]);
        return (liked ? likes : reposts).Contains(context.Source.Id);
    }

    public ReleaseGraphType()
    {
        Name = "Release";
        Description = "A published song. secret (the unlisted link's) and error are only shown to the owner.";
        Field(r => r.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(r => r.OwnerId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(r => r.Artist);
        Field(r => r.Title);
        Field(r => r.Description, nullable: true);
        Field(r => r.Genre, nullable: true);
        Field(r => r.Tags);
        Field(r => r.Mood, nullable: true);
        Field(r => r.Bpm, nullable: true);
        Field(r => r.Key, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CreditGraphType>>>>("credits").Resolve(c => c.Source.Credits);
        Field<NonNullGraphType<StringGraphType>>("license").Resolve(c => ApiEnums.Name(c.Source.License));
        Field<NonNullGraphType<StringGraphType>>("visibility").Resolve(c => ApiEnums.Name(c.Source.Visibility));
        Field(r => r.ReleaseAt);
        Field(r => r.Explicit);
        Field(r => r.Published);
        Field<NonNullGraphType<StringGraphType>>("status").Resolve(c => ApiEnums.Name(c.Source.Status));
        Field(r => r.Error, nullable: true);
        Field(r => r.AudioVersion);
        Field(r => r.ReplacingAudio);
        Field(r => r.DurationSeconds, nullable: true);
        Field(r => r.IntegratedLufs, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("formats").Resolve(c => c.Source.Formats.Select(f => ApiEnums.Name(f)));
        Field(r => r.HasArtwork);
        Field(r => r.Plays);
        Field(r => r.Likes);
        Field(r => r.Reposts);
        Field(r => r.Comments);
        Field(r => r.CreatedAt);
        Field(r => r.UpdatedAt);
        Field<NonNullGraphType<BooleanGraphType>>("likedByMe").Description("Whether the caller liked it (false when signed out).")
            .ResolveAsync(async c => await MarkAsync(c, liked: true));
        Field<NonNullGraphType<BooleanGraphType>>("repostedByMe").Description("Whether the caller reposted it (false when signed out).")
            .ResolveAsync(async c => await MarkAsync(c, liked: false));
        Field(r => r.Secret, nullable: true);
    }
}

public sealed class CreditGraphType : ObjectGraphType<ReleaseCredit>
{
    public CreditGraphType()
    {
        Name = "Credit";
        Field(c => c.Name);
        Field(c => c.Role);
        Field(c => c.UserId, type: typeof(IdGraphType));
    }
}

public sealed class ReleaseCardGraphType : ObjectGraphType<ReleaseSummary>
{
    public ReleaseCardGraphType()
    {
        Name = "ReleaseCard";
        Description = "A release as lists show it (search, charts, feeds, playlists).";
        Field(r => r.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(r => r.OwnerId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(r => r.Artist);
        Field(r => r.Title);
        Field(r => r.Genre, nullable: true);
        Field(r => r.Tags);
        Field(r => r.Mood, nullable: true);
        Field(r => r.Bpm, nullable: true);
        Field(r => r.Key, nullable: true);
        Field(r => r.DurationSeconds, nullable: true);
        Field(r => r.Explicit);
        Field(r => r.HasArtwork);
        Field(r => r.ReleaseAt);
        Field(r => r.Plays);
        Field(r => r.Likes);
        Field(r => r.Reposts);
        Field(r => r.Comments);
    }
}

public sealed class ReleaseConnectionGraphType() : ConnectionGraphType<ReleaseCardGraphType, ReleaseSummary>("Release");

public sealed class ReleaseCommentGraphType : ObjectGraphType<ReleaseComment>
{
    public ReleaseCommentGraphType()
    {
        Name = "ReleaseComment";
        Description = "A comment at a time position; text is plain text.";
        Field(c => c.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(c => c.ReleaseId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(c => c.AuthorId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(c => c.ParentId, type: typeof(IdGraphType));
        Field(c => c.AtSeconds);
        Field(c => c.Text);
        Field(c => c.CreatedAt);
    }
}

public sealed class ReleaseCommentConnectionGraphType() : ConnectionGraphType<ReleaseCommentGraphType, ReleaseComment>("ReleaseComment");

public sealed class FeedItemGraphType : ObjectGraphType<FeedItem>
{
    public FeedItemGraphType()
    {
        Name = "FeedItem";
        Field<NonNullGraphType<ReleaseCardGraphType>>("release").Resolve(c => c.Source.Release);
        Field(f => f.ActorId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(f => f.Repost);
        Field(f => f.At);
    }
}

public sealed class FeedConnectionGraphType() : ConnectionGraphType<FeedItemGraphType, FeedItem>("Feed");

public sealed class NotificationGraphType : ObjectGraphType<Notification>
{
    public NotificationGraphType()
    {
        Name = "Notification";
        Field(n => n.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field<NonNullGraphType<StringGraphType>>("kind").Resolve(c => ApiEnums.Name(c.Source.Kind));
        Field(n => n.ActorId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(n => n.ReleaseId, type: typeof(IdGraphType));
        Field(n => n.CommentId, type: typeof(IdGraphType));
        Field(n => n.CreatedAt);
        Field(n => n.Read);
    }
}

public sealed class NotificationConnectionGraphType() : ConnectionGraphType<NotificationGraphType, Notification>("Notification");

public sealed class PlaylistGraphType : ObjectGraphType<PlaylistResponse>
{
    public PlaylistGraphType()
    {
        Name = "Playlist";
        Field(p => p.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(p => p.OwnerId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(p => p.Title);
        Field(p => p.Description, nullable: true);
        Field(p => p.IsPublic);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReleaseCardGraphType>>>>("releases").Resolve(c => c.Source.Releases);
        Field(p => p.CreatedAt);
        Field(p => p.UpdatedAt);
    }
}

public sealed class StreamGraphType : ObjectGraphType<StreamResponse>
{
    public StreamGraphType()
    {
        Name = "Stream";
        Description = "A signed URL to one rendition; it serves HTTP Range requests until expiresAt.";
        Field<NonNullGraphType<StringGraphType>>("format").Resolve(c => ApiEnums.Name(c.Source.Format));
        Field(s => s.ContentType);
        Field(s => s.Size);
        Field(s => s.Url);
        Field(s => s.ExpiresAt);
    }
}

public sealed class PublishPayloadGraphType : ObjectGraphType<PublishResponse>
{
    public PublishPayloadGraphType()
    {
        Name = "PublishPayload";
        Field<NonNullGraphType<ReleaseGraphType>>("release").Resolve(c => c.Source.Release);
        Field(p => p.JobId, type: typeof(NonNullGraphType<IdGraphType>));
    }
}

public sealed class FollowCountsGraphType : ObjectGraphType<FollowCounts>
{
    public FollowCountsGraphType()
    {
        Name = "FollowCounts";
        Field(f => f.UserId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(f => f.Followers);
        Field(f => f.Following);
        Field(f => f.FollowedByMe);
    }
}

public sealed class StreamingQueryFields : IQueryFields
{
    public void AddTo(ObjectGraphType query)
    {
        query.Field<ReleaseGraphType>("release")
            .Description("A release the caller may see (unlisted: with its secret).")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<StringGraphType>("secret")
            .ResolveAsync(async c => await c.Service<ReleaseService>().GetAsync(c.GuidArgument("id", "a release id"), Viewer(c)));

        query.Field<NonNullGraphType<ReleaseConnectionGraphType>>("releases")
            .Description("Searches public releases; sort relevance|new|trending|top.")
            .Argument<StringGraphType>("q")
            .Argument<StringGraphType>("genre")
            .Argument<StringGraphType>("tag")
            .Argument<FloatGraphType>("bpmMin")
            .Argument<FloatGraphType>("bpmMax")
            .Argument<StringGraphType>("key")
            .Argument<StringGraphType>("sort")
            .Argument<IdGraphType>("ownerId")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => await c.Service<ReleaseService>().SearchAsync(c.GetArgument<string?>("q"), c.GetArgument<string?>("genre"),
                c.GetArgument<string?>("tag"), c.GetArgument<double?>("bpmMin"), c.GetArgument<double?>("bpmMax"), c.GetArgument<string?>("key"),
                c.GetArgument<string?>("sort"), c.OptionalGuidArgument("ownerId"), c.GetArgument("first", 20), c.GetArgument<string?>("after")));

        query.Field<NonNullGraphType<ReleaseConnectionGraphType>>("charts")
            .Description("Trending releases, overall or in one genre.")
            .Argument<StringGraphType>("genre")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => await c.Service<ReleaseService>().SearchAsync(null, c.GetArgument<string?>("genre"), null, null, null, null, "trending", null,
                c.GetArgument("first", 50), c.GetArgument<string?>("after")));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReleaseCardGraphType>>>>("relatedReleases")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<StringGraphType>("secret")
            .Argument<IntGraphType>("first")
            .ResolveAsync(async c => await c.Service<ReleaseService>().RelatedAsync(c.GuidArgument("id", "a release id"), Viewer(c), c.GetArgument("first", 10)));

        query.Field<NonNullGraphType<ReleaseCommentConnectionGraphType>>("releaseComments")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<StringGraphType>("secret")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => await c.Service<ReleaseService>().CommentsAsync(c.GuidArgument("id", "a release id"), Viewer(c),
                c.GetArgument("first", 50), c.GetArgument<string?>("after")));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<StreamGraphType>>>>("releaseStreams")
            .Description("Signed stream URLs for the renditions the caller may have.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<StringGraphType>("secret")
            .Argument<StringGraphType>("format")
            .ResolveAsync(async c => await c.Service<ReleaseService>().StreamAsync(c.GuidArgument("id", "a release id"), Viewer(c),
                c.EnumArgument<RenditionFormat>("format")));

        query.Field<NonNullGraphType<FeedConnectionGraphType>>("feed")
            .Description("Releases and reposts of the people the caller follows, newest first.")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => await c.Service<SocialService>().FeedAsync(c.UserId(), c.GetArgument("first", 20), c.GetArgument<string?>("after")));

        query.Field<NonNullGraphType<NotificationConnectionGraphType>>("notifications")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => (await c.Service<SocialService>().NotificationsAsync(c.UserId(), c.GetArgument("first", 20), c.GetArgument<string?>("after"))).Page);

        query.Field<PlaylistGraphType>("playlist")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await c.Service<SocialService>().GetPlaylistAsync(c.GuidArgument("id", "a playlist id"), c.OptionalUserId()));

        query.Field<NonNullGraphType<FollowCountsGraphType>>("follows")
            .Argument<NonNullGraphType<IdGraphType>>("userId")
            .ResolveAsync(async c => await c.Service<SocialService>().CountsAsync(c.GuidArgument("userId", "a user id"), c.OptionalUserId()));
    }

    internal static ReleaseViewer Viewer(IResolveFieldContext c) =>
        new(c.OptionalUserId(), c.GetArgument<string?>("secret"), c.OptionalUserId() is not null && c.Role() >= Jacameno.Users.UserRole.Premium);
}

public sealed class StreamingMutationFields : IMutationFields
{
    public void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<PublishPayloadGraphType>>("publishRelease")
            .Description("Publishes a release from an asset or a project; a job makes its renditions.")
            .Argument<IdGraphType>("assetId")
            .Argument<IdGraphType>("projectId")
            .Argument<LongGraphType>("projectVersion")
            .DetailArguments()
            .ResolveAsync(async c => await c.Service<ReleaseService>().PublishAsync(c.UserId(), c.Role(), Details(c),
                new AudioSource(c.OptionalGuidArgument("assetId"), c.OptionalGuidArgument("projectId"), c.GetArgument<long?>("projectVersion"))));

        mutation.Field<NonNullGraphType<ReleaseGraphType>>("updateRelease")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .DetailArguments()
            .ResolveAsync(async c => await c.Service<ReleaseService>().UpdateAsync(c.UserId(), c.Role(), c.GuidArgument("id", "a release id"), Details(c)));

        mutation.Field<NonNullGraphType<ReleaseGraphType>>("setReleasePublished")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<BooleanGraphType>>("published")
            .ResolveAsync(async c => await c.Service<ReleaseService>().SetPublishedAsync(c.UserId(), c.GuidArgument("id", "a release id"), c.GetArgument<bool>("published")));

        mutation.Field<NonNullGraphType<BooleanGraphType>>("deleteRelease")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c =>
            {
                await c.Service<ReleaseService>().DeleteAsync(c.UserId(), c.GuidArgument("id", "a release id"));
                return true;
            });

        mutation.Field<NonNullGraphType<ReleaseGraphType>>("likeRelease")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<BooleanGraphType>("like")
            .Argument<StringGraphType>("secret")
            .ResolveAsync(async c => await c.Service<ReleaseService>().LikeAsync(c.GuidArgument("id", "a release id"), new ReleaseViewer(c.UserId(), c.GetArgument<string?>("secret")),
                c.GetArgument("like", true)));

        mutation.Field<NonNullGraphType<ReleaseGraphType>>("repostRelease")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<BooleanGraphType>("repost")
            .ResolveAsync(async c => await c.Service<ReleaseService>().RepostAsync(c.GuidArgument("id", "a release id"), new ReleaseViewer(c.UserId()),
                c.GetArgument("repost", true)));

        mutation.Field<NonNullGraphType<ReleaseCommentGraphType>>("commentOnRelease")
            .Argument<NonNullGraphType<IdGraphType>>("releaseId")
            .Argument<NonNullGraphType<StringGraphType>>("text")
            .Argument<FloatGraphType>("atSeconds")
            .Argument<IdGraphType>("parentId")
            .Argument<StringGraphType>("secret")
            .ResolveAsync(async c => await c.Service<ReleaseService>().CommentAsync(c.GuidArgument("releaseId", "a release id"),
                new ReleaseViewer(c.UserId(), c.GetArgument<string?>("secret")), c.GetArgument<string>("text"), c.GetArgument<double?>("atSeconds"),
                c.OptionalGuidArgument("parentId")));

        mutation.Field<NonNullGraphType<FollowCountsGraphType>>("follow")
            .Argument<NonNullGraphType<IdGraphType>>("userId")
            .Argument<BooleanGraphType>("follow")
            .ResolveAsync(async c => await c.Service<SocialService>().FollowAsync(c.UserId(), c.GuidArgument("userId", "a user id"), c.GetArgument("follow", true)));

        mutation.Field<NonNullGraphType<PlaylistGraphType>>("createPlaylist")
            .Argument<NonNullGraphType<StringGraphType>>("title")
            .Argument<StringGraphType>("description")
            .Argument<BooleanGraphType>("isPublic")
            .ResolveAsync(async c => await c.Service<SocialService>().CreatePlaylistAsync(c.UserId(),
                new PlaylistRequest(c.GetArgument<string>("title"), c.GetArgument<string?>("description"), c.GetArgument<bool?>("isPublic"))));

        mutation.Field<NonNullGraphType<PlaylistGraphType>>("addToPlaylist")
            .Argument<NonNullGraphType<IdGraphType>>("playlistId")
            .Argument<NonNullGraphType<IdGraphType>>("releaseId")
            .Argument<IntGraphType>("position")
            .ResolveAsync(async c => await c.Service<SocialService>().AddToPlaylistAsync(c.UserId(), c.GuidArgument("playlistId", "a playlist id"),
                c.GuidArgument("releaseId", "a release id"), c.GetArgument<int?>("position")));

        mutation.Field<NonNullGraphType<PlaylistGraphType>>("movePlaylistItem")
            .Argument<NonNullGraphType<IdGraphType>>("playlistId")
            .Argument<NonNullGraphType<IdGraphType>>("releaseId")
            .Argument<NonNullGraphType<IntGraphType>>("position")
            .ResolveAsync(async c => await c.Service<SocialService>().MoveInPlaylistAsync(c.UserId(), c.GuidArgument("playlistId", "a playlist id"),
                c.GuidArgument("releaseId", "a release id"), c.GetArgument<int>("position")));

        mutation.Field<NonNullGraphType<PlaylistGraphType>>("removeFromPlaylist")
            .Argument<NonNullGraphType<IdGraphType>>("playlistId")
            .Argument<NonNullGraphType<IdGraphType>>("releaseId")
            .ResolveAsync(async c => await c.Service<SocialService>().RemoveFromPlaylistAsync(c.UserId(), c.GuidArgument("playlistId", "a playlist id"),
                c.GuidArgument("releaseId", "a release id")));
    }

    private static ReleaseDetails Details(IResolveFieldContext c) => new(
        c.GetArgument<string?>("title"), c.GetArgument<string?>("description"), c.GetArgument<string?>("genre"), c.GetArgument<List<string>?>("tags"),
        c.GetArgument<string?>("mood"), c.GetArgument<double?>("bpm"), c.GetArgument<string?>("key"), null,
        c.EnumArgument<ReleaseLicense>("license"), c.EnumArgument<ReleaseVisibility>("visibility"), c.GetArgument<DateTimeOffset?>("releaseAt"),
        c.GetArgument<bool?>("explicit"));
}

internal static class ReleaseDetailArguments
{
    /// <summary>The release details a mutation takes (credits are set over REST).</summary>
    public static FieldBuilder<object?, TReturn> DetailArguments<TReturn>(this FieldBuilder<object?, TReturn> field) => field
        .Argument<StringGraphType>("title")
        .Argument<StringGraphType>("description")
        .Argument<StringGraphType>("genre")
        .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("tags")
        .Argument<StringGraphType>("mood")
        .Argument<FloatGraphType>("bpm")
        .Argument<StringGraphType>("key")
        .Argument<StringGraphType>("license")
        .Argument<StringGraphType>("visibility")
        .Argument<DateTimeOffsetGraphType>("releaseAt")
        .Argument<BooleanGraphType>("explicit");
}
