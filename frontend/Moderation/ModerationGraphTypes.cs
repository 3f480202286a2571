using GraphQL;
using GraphQL.Types;
using Jacameno.Frontend.GraphQL;

namespace Jacameno.Frontend.Moderation;

public sealed class ReportGraphType : ObjectGraphType<ReportResponse>
{
    public ReportGraphType()
    {
        Name = "Report";
        Field(r => r.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(r => r.TargetType);
        Field(r => r.TargetId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(r => r.Reason);
        Field(r => r.Details, nullable: true);
        Field(r => r.CreatedAt);
        Field(r => r.ResolvedAt, nullable: true);
        Field(r => r.Resolution, nullable: true);
        Field(r => r.Takedown).Description("A copyright notice: its target was hidden when it came in.");
        Field(r => r.CounterNotice, nullable: true);
        Field(r => r.ReporterId, type: typeof(IdGraphType));
    }
}

public sealed class ModerationEntryGraphType : ObjectGraphType<ModerationEntryResponse>
{
    public ModerationEntryGraphType()
    {
        Name = "ModerationEntry";
        Field(e => e.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(e => e.TargetType);
        Field(e => e.TargetId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(e => e.Action);
        Field(e => e.Reason);
        Field(e => e.ActorId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(e => e.At);
        Field(e => e.Until, nullable: true);
    }
}

public sealed class ReportConnectionGraphType() : ConnectionGraphType<ReportGraphType, ReportResponse>("Report");

public sealed class ModerationEntryConnectionGraphType() : ConnectionGraphType<ModerationEntryGraphType, ModerationEntryResponse>("ModerationEntry");

public sealed class ModerationQueryFields : IQueryFields
{
    public void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ReportConnectionGraphType>>("moderationQueue")
            .Description("Admins: open reports, oldest first.")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => await c.Service<ModerationService>().QueueAsync(c.AdminOnly().GetArgument("first", 20), c.GetArgument<string?>("after")));
        query.Field<NonNullGraphType<ModerationEntryConnectionGraphType>>("moderationLog")
            .Description("Admins: the audit log of moderation, newest first; of one target when given.")
            .Argument<StringGraphType>("targetType")
            .Argument<IdGraphType>("targetId")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => await c.Service<ModerationService>().LogAsync(c.AdminOnly().GetArgument<string?>("targetType"),
                c.OptionalGuidArgument("targetId"), c.GetArgument("first", 20), c.GetArgument<string?>("after")));
    }
}

public sealed class ModerationMutationFields : IMutationFields
{
    public void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ReportGraphType>>("report")
            .Description("Reports a release, comment, listing, playlist or user the caller can see; 20 an hour.")
            .Argument<NonNullGraphType<StringGraphType>>("targetType")
            .Argument<NonNullGraphType<IdGraphType>>("targetId")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .Argument<StringGraphType>("details")
            .ResolveAsync(async c => await c.Service<ModerationService>().ReportAsync(c.UserId(), new ReportRequest(c.GetArgument<string>("targetType"),
                c.GuidArgument("targetId", "an id"), c.GetArgument<string>("reason"), c.GetArgument<string?>("details"))));
        mutation.Field<NonNullGraphType<ReportGraphType>>("takedown")
            .Description("A copyright notice against a release or listing: hidden at once pending review; its owner is mailed.")
            .Argument<NonNullGraphType<StringGraphType>>("targetType")
            .Argument<NonNullGraphType<IdGraphType>>("targetId")
            .Argument<NonNullGraphType<StringGraphType>>("claimantName")
            .Argument<NonNullGraphType<StringGraphType>>("work")
            .Argument<NonNullGraphType<StringGraphType>>("statement")
            .ResolveAsync(async c => await c.Service<ModerationService>().TakedownAsync(c.UserId(), new TakedownRequest(c.GetArgument<string>("targetType"),
                c.GuidArgument("targetId", "an id"), c.GetArgument<string>("claimantName"), c.GetArgument<string>("work"), c.GetArgument<string>("statement"))));
        mutation.Field<NonNullGraphType<ReportGraphType>>("counterNotice")
            .Description("The content owner's answer to a copyright notice.")
            .Argument<NonNullGraphType<IdGraphType>>("noticeId")
            .Argument<NonNullGraphType<StringGraphType>>("statement")
            .ResolveAsync(async c => await c.Service<ModerationService>().CounterNoticeAsync(c.UserId(), c.GuidArgument("noticeId", "a notice id"),
                c.GetArgument<string>("statement")));
        mutation.Field<NonNullGraphType<ModerationEntryGraphType>>("moderate")
            .Description("Admins: hides, restores or removes content, or warns, suspends, bans or reinstates a user; audited.")
            .Argument<NonNullGraphType<StringGraphType>>("targetType")
            .Argument<NonNullGraphType<IdGraphType>>("targetId")
            .Argument<NonNullGraphType<StringGraphType>>("action")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .Argument<DateTimeOffsetGraphType>("until")
            .ResolveAsync(async c => await c.Service<ModerationService>().ModerateAsync(c.AdminOnly().UserId(), new ModerateRequest(
                c.GetArgument<string>("targetType"), c.GuidArgument("targetId", "an id"), c.GetArgument<string>("action"), c.GetArgument<string>("reason"),
                c.GetArgument<DateTimeOffset?>("until"))));
        foreach (var (name, block) in new[] { ("blockUser", true), ("unblockUser", false) })
        {
            mutation.Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>(name)
                .Description(block ? "Blocks a user from commenting on your releases, following you and joining your projects; returns your block list." : "Unblocks a user.")
                .Argument<NonNullGraphType<IdGraphType>>("userId")
                .ResolveAsync(async c => (await c.Service<ModerationService>().BlockAsync(c.UserId(), c.GuidArgument("userId", "a user id"), block)).Blocked);
        }
    }
}
