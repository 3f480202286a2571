using GraphQL;
using GraphQL.Types;
using Jacameno.Common;
using Jacameno.Frontend.GraphQL;
using Jacameno.Frontend.Http;
using Jacameno.Frontend.Jobs;
using Jacameno.Frontend.Projects;
using Jacameno.Frontend.Streaming;
using Jacameno.Jobs;
using Jacameno.Projects;
using Jacameno.Users;

namespace Jacameno.Frontend.Realtime;

/// <summary>
/// GraphQL subscriptions over the live bridges the studio hub uses (<see cref="ProjectFanout"/>,
/// <see cref="UserFanout"/>): one Orleans stream subscription per project or user on this frontend, however many
/// subscriptions it has. Each is authorized as the matching query is, when it starts.
/// </summary>
public sealed class LiveSubscriptionFields : ISubscriptionFields
{
    public void AddTo(ObjectGraphType subscription)
    {
        subscription.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AppliedOpGraphType>>>>("projectOps")
            .Description("The ops applied to a project from now on, in the batches they commit in (members only). "
                + "Ends with NOT_FOUND when the caller is removed or the project deleted. Missed ops: the ops since a version (REST /api/projects/{id}/ops).")
            .Argument<NonNullGraphType<IdGraphType>>("projectId")
            .ResolveStreamAsync(c => ProjectFeedAsync<IReadOnlyList<AppliedOpResponse>>(c, (sink, ops) => sink.Feed.Next(ops), null));

        subscription.Field<NonNullGraphType<PresenceUpdateGraphType>>("projectPresence")
            .Description("Who joins and leaves a project's studio, and where their playhead, selection and cursor are (members only).")
            .Argument<NonNullGraphType<IdGraphType>>("projectId")
            .ResolveStreamAsync(c => ProjectFeedAsync<PresenceUpdate>(c, null, (sink, update) => sink.Feed.Next(update)));

        subscription.Field<NonNullGraphType<JobGraphType>>("jobProgress")
            .Description("The caller's jobs as they progress and finish. With jobId, that job only: its state now first, and the subscription "
                + "completes when it finishes (NOT_FOUND for a job that is not the caller's, as the job query).")
            .Argument<IdGraphType>("jobId")
            .ResolveStreamAsync(async c =>
            {
                var userId = c.UserId();
                var jobId = c.OptionalGuidArgument("jobId");
                var current = jobId is { } id ? await c.Service<JobService>().GetAsync(userId, id) : null;
                var feed = await UserFeedAsync<JobInfo>(c, userId, (feed, e) =>
                {
                    if (e.Kind is UserEventKind.JobProgress or UserEventKind.JobCompleted && e.Job is { } job && (jobId is null || job.Id == jobId))
                    {
                        feed.Next(job);
                        if (jobId is not null && job.IsFinished)
                        {
                            feed.End();
                        }
                    }
                });
                if (current is not null)
                {
                    feed.Next(current);
                    if (current.IsFinished)
                    {
                        feed.End();
                    }
                }

                return feed;
            });

        subscription.Field<NonNullGraphType<NotificationGraphType>>("notifications")
            .Description("The caller's notifications as they happen (follows, likes, comments, reposts, releases, sales).")
            .ResolveStreamAsync(async c => await UserFeedAsync<Jacameno.Streaming.Notification>(c, c.UserId(), (feed, e) =>
            {
                if (e is { Kind: UserEventKind.Notification, Notification: { } notification })
                {
                    feed.Next(notification);
                }
            }));
    }

    private static async Task<IObservable<object?>> ProjectFeedAsync<T>(IResolveFieldContext c,
        Action<ProjectSink<T>, IReadOnlyList<AppliedOpResponse>>? onOps, Action<ProjectSink<T>, PresenceUpdate>? onPresence)
        where T : class
    {
        var userId = c.UserId();
        var projectId = c.GuidArgument("projectId", "a project id");
        // Members only, as the project query: a stranger gets NOT_FOUND, not one event.
        await c.Service<ProjectService>().RoleAsync(userId, projectId);
        var fanout = c.Service<ProjectFanout>();
        var sink = new ProjectSink<T>(userId, onOps, onPresence);
        sink.Feed = new LiveFeed<T>(() => fanout.RemoveSinkAsync(projectId, sink), c.Service<ILogger<LiveSubscriptionFields>>());
        await fanout.AddSinkAsync(projectId, sink);
        return sink.Feed;
    }

    private static async Task<LiveFeed<T>> UserFeedAsync<T>(IResolveFieldContext c, Guid userId, Action<LiveFeed<T>, UserEvent> onEvent)
    {
        var fanout = c.Service<UserFanout>();
        var sink = new UserSink<T>(onEvent);
        sink.Feed = new LiveFeed<T>(() => fanout.RemoveSinkAsync(userId, sink), c.Service<ILogger<LiveSubscriptionFields>>());
        await fanout.AddSinkAsync(userId, sink);
        return sink.Feed;
    }

    private sealed class ProjectSink<T>(Guid userId, Action<ProjectSink<T>, IReadOnlyList<AppliedOpResponse>>? onOps,
        Action<ProjectSink<T>, PresenceUpdate>? onPresence) : IProjectSink
    {
        public LiveFeed<T> Feed { get; set; } = null!;

        public Guid UserId { get; } = userId;

        public void OnOps(IReadOnlyList<AppliedOpResponse> ops) => onOps?.Invoke(this, ops);

        public void OnPresence(PresenceUpdate update) => onPresence?.Invoke(this, update);

        // What the project query answers now: NOT_FOUND, for a removed member as for a deleted project.
        public void OnEnded(ProjectEventKind why) => Feed.End(why == ProjectEventKind.Deleted
            ? DomainException.NotFound("The project")
            : new DomainException(DomainErrorKind.NotFound, "You are no longer a member of the project."));
    }

    private sealed class UserSink<T>(Action<LiveFeed<T>, UserEvent> onEvent) : IUserSink
    {
        public LiveFeed<T> Feed { get; set; } = null!;

        public void OnEvent(UserEvent e) => onEvent(Feed, e);
    }
}

public sealed class AppliedOpGraphType : ObjectGraphType<AppliedOpResponse>
{
    public AppliedOpGraphType()
    {
        Name = "AppliedOp";
        Description = "An op as the project applied it, with its version; payload is its JSON object as a string (docs/collaboration.md).";
        Field(o => o.Version);
        Field(o => o.UserId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(o => o.ClientId);
        Field(o => o.OpId);
        Field(o => o.Kind);
        Field<NonNullGraphType<StringGraphType>>("payload").Resolve(c => PlainJson.Serialize(c.Source.Payload));
        Field(o => o.At);
        Field(o => o.Cause, nullable: true).Description("Why the server changed what was sent (a clamped value), if it did.");
    }
}

public sealed class PresenceUpdateGraphType : ObjectGraphType<PresenceUpdate>
{
    public PresenceUpdateGraphType()
    {
        Name = "PresenceUpdate";
        Description = "A collaborator's studio connection joined, left, or moved (playhead, selection, cursor).";
        Field<NonNullGraphType<StringGraphType>>("kind").Description("joined, left or changed.").Resolve(c => ApiEnums.Name(c.Source.Kind));
        Field(p => p.UserId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(p => p.ConnectionId);
        Field<LongGraphType>("playhead").Description("In samples.").Resolve(c => c.Source.Presence?.Playhead);
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("selection").Resolve(c => c.Source.Presence?.Selection);
        Field<LongGraphType>("cursorPosition").Resolve(c => c.Source.Presence?.Cursor?.Position);
        Field<IdGraphType>("cursorTrackId").Resolve(c => c.Source.Presence?.Cursor?.TrackId);
    }
}
