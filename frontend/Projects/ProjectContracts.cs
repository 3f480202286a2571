using Jacameno.Common;
using Jacameno.Frontend.Http;
using Jacameno.Projects;

namespace Jacameno.Frontend.Projects;

/// <summary>One op on the wire (REST, GraphQL, SignalR): the payload is a JSON object (see <see cref="PlainJson"/>).</summary>
public sealed record OpRequest(string? ClientId, string? OpId, long BaseVersion, string? Kind, object? Payload);

public sealed record SubmitOpsRequest(IReadOnlyList<OpRequest>? Ops);

/// <summary>The acks, and the ops that applied (with their versions and normalized payloads): the submitter applies its own
/// ops from here, and is not sent them again as OpsApplied.</summary>
public sealed record SubmitOpsResponse(IReadOnlyList<OpAck> Acks, long Version, IReadOnlyList<AppliedOpResponse> Ops);

/// <summary>An applied op as clients receive it; the payload is a plain tree so both SignalR protocols carry it.</summary>
public sealed record AppliedOpResponse(long Version, Guid UserId, string ClientId, string OpId, string Kind, object? Payload, DateTimeOffset At, string? Cause)
{
    public static AppliedOpResponse From(AppliedOp op) => new(op.Version, op.UserId, op.ClientId, op.OpId, op.Kind, PlainJson.Parse(op.Payload), op.At, op.Cause);
}

public sealed record OpsPageResponse(IReadOnlyList<AppliedOpResponse> Ops, long LatestVersion, bool HasMore);

public sealed record CreateProjectRequest(string? Name, string? Description, double? Tempo, int? SampleRate);

public sealed record UpdateProjectRequest(string? Name, string? Description, double? Tempo, TimeSignatureValue? TimeSignature, string? Key);

public sealed record SetCollaboratorRequest(string? Role);

public sealed record InvitationRequest(string? Email, string? Role);

public sealed record CreateSnapshotRequest(string? Name, long? Version);

public sealed record ForkRequest(long? Version, string? Name);

/// <summary>What a client gets when it joins a project live: the ops it missed, or the whole project.</summary>
public sealed record JoinProjectResult(long Version, IReadOnlyList<AppliedOpResponse>? Ops, ProjectDocument? Snapshot, ProjectRole Role);

public static class OpRequests
{
    public static IReadOnlyList<OpSubmission> ToSubmissions(IReadOnlyList<OpRequest?>? ops)
    {
        if (ops is null || ops.Count is 0 or > ProjectLimits.MaxBatch)
        {
            throw DomainException.Invalid("ops", $"Send 1 to {ProjectLimits.MaxBatch} ops at a time.");
        }

        return ops.Select(op => op is null
                ? new OpSubmission("", "", 0, "", "null")
                : new OpSubmission(op.ClientId ?? "", op.OpId ?? "", op.BaseVersion, op.Kind ?? "", PlainJson.Serialize(op.Payload)))
            .ToList();
    }

    public static ProjectRole ParseRole(string? role) =>
        ApiEnums.TryParse<ProjectRole>(role, out var parsed) && parsed != ProjectRole.Owner
            ? parsed
            : throw DomainException.Invalid("role", "role must be editor, commenter or viewer.");
}
