namespace Jacameno.Projects;

/// <summary>
/// One edit as a client sends it. <see cref="Payload"/> is a JSON object whose shape depends on
/// <see cref="Kind"/> (docs/collaboration.md lists them). A retry with the same client and op id never
/// applies twice.
/// </summary>
[GenerateSerializer, Immutable, Alias("jacameno.op-submission")]
public sealed record OpSubmission(
    [property: Id(0)] string ClientId,
    [property: Id(1)] string OpId,
    [property: Id(2)] long BaseVersion,
    [property: Id(3)] string Kind,
    [property: Id(4)] string Payload);

public enum OpStatus
{
    Applied,
    Rejected,
    Duplicate,
}

/// <summary>The answer to one op: its version when applied (or applied before, for a duplicate), or why not.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.op-ack")]
public sealed record OpAck(
    [property: Id(0)] string OpId,
    [property: Id(1)] OpStatus Status,
    [property: Id(2)] long Version,
    [property: Id(3)] string? Reason);

/// <summary>
/// An op as applied: what the log keeps and the stream carries. The payload is normalized (ids the server
/// chose are filled in), so replaying the log rebuilds exactly the same project. <see cref="Cause"/> is
/// "undo" or "redo" for the inverse ops those produce, null otherwise.
/// </summary>
[GenerateSerializer, Immutable, Alias("jacameno.applied-op")]
public sealed record AppliedOp(
    [property: Id(0)] long Version,
    [property: Id(1)] Guid UserId,
    [property: Id(2)] string ClientId,
    [property: Id(3)] string OpId,
    [property: Id(4)] string Kind,
    [property: Id(5)] string Payload,
    [property: Id(6)] DateTimeOffset At,
    [property: Id(7)] string? Cause = null);

/// <summary>The acks of a batch, and its applied ops (so the caller's frontend can deliver them at once).</summary>
[GenerateSerializer, Immutable, Alias("jacameno.submit-result")]
public sealed record SubmitResult(
    [property: Id(0)] IReadOnlyList<OpAck> Acks,
    [property: Id(1)] IReadOnlyList<AppliedOp> Applied);

/// <summary>Applied ops after a version, oldest first; HasMore when the page was cut at its size.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.op-page")]
public sealed record OpPage(
    [property: Id(0)] IReadOnlyList<AppliedOp> Ops,
    [property: Id(1)] long LatestVersion,
    [property: Id(2)] bool HasMore);

[GenerateSerializer, Immutable, Alias("jacameno.create-project")]
public sealed record CreateProjectCommand(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] double? Tempo,
    [property: Id(3)] int? SampleRate);

/// <summary>
/// The single ordering point of one project: every edit goes through it, gets the next version, is made
/// durable in the op log, acknowledged, then published on the project's stream. Keyed by project id.
/// </summary>
[Alias("jacameno.project-grain")]
public interface IProjectGrain : IGrainWithGuidKey
{
    [Alias("create")]
    Task<ProjectDocument> CreateAsync(Guid ownerId, CreateProjectCommand command);

    /// <summary>The current project; not found for anyone who is not a collaborator.</summary>
    [Alias("get")]
    Task<ProjectDocument> GetAsync(Guid userId);

    /// <summary>The user's role, or null when the user is not a collaborator (or the project does not exist).</summary>
    [Alias("role")]
    Task<ProjectRole?> GetRoleAsync(Guid userId);

    /// <summary>Whether a clip of the current version plays the asset; not found for anyone but a collaborator.</summary>
    [Alias("playsAsset")]
    Task<bool> PlaysAssetAsync(Guid userId, Guid assetId);

    /// <summary>
    /// Applies a batch in order; one ack per op, and the ops as applied. The batch is durable when this returns.
    /// <paramref name="origin"/> names the frontend that sends the applied ops to its own connections from this
    /// answer (<see cref="ProjectEvent.Origin"/>): the project stream then carries them to the other frontends only.
    /// </summary>
    [Alias("submit")]
    Task<SubmitResult> SubmitAsync(Guid userId, IReadOnlyList<OpSubmission> ops, string? origin = null);

    /// <summary>
    /// Applies ops as the assistant (<see cref="Common.SystemUsers.Assistant"/>), at the request of an owner or
    /// editor: AI tools change projects with ordinary ops that everyone sees live, and any editor can undo them
    /// with an undo op whose payload is <c>{"of":"assistant"}</c>.
    /// </summary>
    [Alias("submit-as-assistant")]
    Task<SubmitResult> SubmitAsAssistantAsync(Guid requesterId, IReadOnlyList<OpSubmission> ops);

    /// <summary>Applied ops after <paramref name="sinceVersion"/>, at most <paramref name="max"/>.</summary>
    [Alias("ops")]
    Task<OpPage> GetOpsAsync(Guid userId, long sinceVersion, int max);

    /// <summary>Adds a collaborator or changes their role (owner only; the owner's own role cannot change).</summary>
    [Alias("set-collaborator")]
    Task<ProjectDocument> SetCollaboratorAsync(Guid actorId, Guid userId, ProjectRole role);

    /// <summary>
    /// Invites an email address with a role (owner only). The invitation waits, whether or not the address has an
    /// account, until someone signed in with that address, verified, accepts it: nothing here says whether it has one.
    /// Inviting an address again changes the role.
    /// </summary>
    [Alias("invite")]
    Task<ProjectInvitation> InviteAsync(Guid actorId, string email, ProjectRole role);

    /// <summary>The invitations not yet accepted (owner only).</summary>
    [Alias("invitations")]
    Task<IReadOnlyList<ProjectInvitation>> GetInvitationsAsync(Guid actorId);

    /// <summary>Withdraws an invitation (owner only); withdrawing one that is not there is not an error.</summary>
    [Alias("withdraw-invitation")]
    Task WithdrawInvitationAsync(Guid actorId, string email);

    /// <summary>
    /// The user whose verified address is <paramref name="verifiedEmail"/> joins with the invited role; not found when
    /// that address has no invitation (never invited, withdrawn, or already accepted).
    /// </summary>
    [Alias("accept-invitation")]
    Task<ProjectDocument> AcceptInvitationAsync(Guid userId, string verifiedEmail);

    /// <summary>Removes a collaborator (owner only; anyone may remove themselves). Live sessions of that user end.</summary>
    [Alias("remove-collaborator")]
    Task<ProjectDocument> RemoveCollaboratorAsync(Guid actorId, Guid userId);

    /// <summary>Names a version (editors and owner); the current one when <paramref name="version"/> is null.</summary>
    [Alias("create-snapshot")]
    Task<NamedSnapshot> CreateSnapshotAsync(Guid userId, string name, long? version);

    [Alias("snapshots")]
    Task<IReadOnlyList<NamedSnapshot>> GetSnapshotsAsync(Guid userId);

    /// <summary>The project as it was at <paramref name="version"/> (rebuilt from the log).</summary>
    [Alias("version")]
    Task<ProjectDocument> GetVersionAsync(Guid userId, long version);

    /// <summary>
    /// Brings tracks, mixer and project settings back to <paramref name="version"/> as one new op
    /// (<c>project.restore</c>), so everyone in the session sees it; comments and collaborators stay.
    /// </summary>
    [Alias("restore")]
    Task<OpAck> RestoreAsync(Guid userId, long version);

    /// <summary>A new project owned by the caller, from <paramref name="version"/> (null: current), crediting this one.</summary>
    [Alias("fork")]
    Task<ProjectDocument> ForkAsync(Guid userId, long? version, string? name);

    /// <summary>Starts this (new) project from another's document; used by fork.</summary>
    [Alias("create-from")]
    Task<ProjectDocument> CreateFromAsync(Guid ownerId, ProjectDocument source, ForkSource forkedFrom, string name);

    /// <summary>
    /// <paramref name="frontend"/> (its origin id) listens on this project's stream for the next
    /// <see cref="ProjectStreams.ListenerLease"/>, or, with <paramref name="listening"/> false, no longer does.
    /// Frontends say so when they subscribe and unsubscribe, and renew while subscribed. Ops whose origin is the
    /// only frontend listening are not published at all: it has delivered them from the answer already.
    /// </summary>
    [Alias("set-listener")]
    Task SetListenerAsync(string frontend, bool listening);

    /// <summary>Deletes the project and its log (owner only).</summary>
    [Alias("delete")]
    Task DeleteAsync(Guid actorId);
}

/// <summary>A version someone gave a name to.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.named-snapshot")]
public sealed record NamedSnapshot(
    [property: Id(0)] string Name,
    [property: Id(1)] long Version,
    [property: Id(2)] Guid CreatedBy,
    [property: Id(3)] DateTimeOffset CreatedAt);

/// <summary>
/// What a project's stream carries to every frontend with a client in the project. Origin: the frontend that
/// already sent these ops to its own connections (from the grain's answer); the stream does not bring them back
/// to it (the silo's stream filter compares it with each frontend's subscription).
/// </summary>
[GenerateSerializer, Immutable, Alias("jacameno.project-event")]
public sealed record ProjectEvent(
    [property: Id(0)] ProjectEventKind Kind,
    [property: Id(1)] IReadOnlyList<AppliedOp>? Ops = null,
    [property: Id(2)] Guid? UserId = null,
    [property: Id(3)] string? ConnectionId = null,
    [property: Id(4)] string? Presence = null,
    [property: Id(5)] string? Origin = null);

public enum ProjectEventKind
{
    /// <summary>Ops were applied, in version order.</summary>
    OpsApplied,

    /// <summary>A connection moved its playhead, selection or cursor (JSON in Presence).</summary>
    PresenceChanged,

    CollaboratorJoined,
    CollaboratorLeft,

    /// <summary>A user lost access: every frontend drops that user's connections from the project at once.</summary>
    AccessRevoked,

    /// <summary>The project was deleted.</summary>
    Deleted,
}

public static class ProjectStreams
{
    public const string Namespace = "project";

    /// <summary>How long a frontend counts as listening to a project (<see cref="IProjectGrain.SetListenerAsync"/>) without renewing.</summary>
    public static readonly TimeSpan ListenerLease = TimeSpan.FromSeconds(60);

    /// <summary>How often a frontend renews: three tries within one lease.</summary>
    public static readonly TimeSpan ListenerRenewal = ListenerLease / 3;
}
