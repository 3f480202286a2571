using Jacameno.Streaming;

namespace Jacameno.Push;

/// <summary>What a push tells of; each user chooses which topics reach their devices.</summary>
public enum PushTopic
{
    Follow,
    Like,
    Comment,
    Repost,
    Release,
    Sale,

    /// <summary>One of my jobs (AI, render, …) finished or failed.</summary>
    JobFinished,

    /// <summary>Someone invited my address to a project.</summary>
    ProjectInvitation,
}

public static class PushTopics
{
    public static readonly IReadOnlyList<PushTopic> All = Enum.GetValues<PushTopic>();

    /// <summary>
    /// Whether a topic pushes before the user says otherwise: what is about them or their money and work does; likes and
    /// reposts, which can come by the hundred, do not.
    /// </summary>
    public static bool OnByDefault(PushTopic topic) => topic is not (PushTopic.Like or PushTopic.Repost);

    public static PushTopic Of(NotificationKind kind) => kind switch
    {
        NotificationKind.Follow => PushTopic.Follow,
        NotificationKind.Like => PushTopic.Like,
        NotificationKind.Comment => PushTopic.Comment,
        NotificationKind.Repost => PushTopic.Repost,
        NotificationKind.Release => PushTopic.Release,
        NotificationKind.Sale => PushTopic.Sale,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
