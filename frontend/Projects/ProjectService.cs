using System.Text.Json;
using Jacameno.Common;
using Jacameno.Projects;
using Jacameno.Storage.Catalog;
using Jacameno.Users;

namespace Jacameno.Frontend.Projects;

/// <summary>Project use cases over the project grains; REST, GraphQL and the studio hub all call these.</summary>
public sealed class ProjectService(IGrainFactory grains, ICatalog catalog, Realtime.ProjectFanout fanout)
{
    /// <summary>The client id of edits made through PATCH rather than as ops.</summary>
    private const string RestClient = "rest";

    public Task<ProjectDocument> CreateAsync(Guid userId, CreateProjectRequest request) =>
        grains.GetGrain<IProjectGrain>(Guid.NewGuid()).CreateAsync(userId,
            new CreateProjectCommand(request.Name, request.Description, request.Tempo, request.SampleRate));

    public Task<ProjectDocument> GetAsync(Guid userId, Guid projectId) => Project(projectId).GetAsync(userId);

    public Task<CatalogPage<ProjectListing>> ListAsync(Guid userId, string? scope, int first, string? after) =>
        catalog.ListProjectsAsync(userId, scope?.ToLowerInvariant() switch
        {
            null or "owned" => true,
            "shared" => false,
            _ => throw DomainException.Invalid("scope", "scope must be owned or shared."),
        }, first, after);

    /// <summary>Metadata edits are ops too, so collaborators see them live and they land in the log.</summary>
    public async Task<ProjectDocument> UpdateAsync(Guid userId, Guid projectId, UpdateProjectRequest request)
    {
        var project = Project(projectId);
        var current = await project.GetAsync(userId);
        var payload = JsonSerializer.Serialize(new ProjectSet(request.Name, request.Description, request.Tempo, request.TimeSignature, request.Key), OpJson.Options);
        var (acks, _) = await ApplyAsync(project, projectId, userId, [new OpSubmission(RestClient, Guid.NewGuid().ToString("N"), current.Version, "project.set", payload)]);
        var ack = acks[0];
        if (ack.Status == OpStatus.Rejected)
        {
            throw DomainException.Invalid(ack.Reason!.Split(' ')[0], ack.Reason);
        }

        return await project.GetAsync(userId);
    }

    /// <summary>Submits a batch; <paramref name="connectionId"/>, the live connection that submitted (null for REST and
    /// GraphQL), gets the applied ops in the response instead of as OpsApplied.</summary>
    public async Task<SubmitOpsResponse> SubmitAsync(Guid userId, Guid projectId, IReadOnlyList<OpRequest?>? ops, string? connectionId = null)
    {
        var (acks, applied) = await ApplyAsync(Project(projectId), projectId, userId, OpRequests.ToSubmissions(ops), connectionId);
        return new SubmitOpsResponse(acks, acks.Max(a => a.Version), applied);
    }

    /// <summary>Submits through this frontend (its origin), and delivers what applied to its own connections but <paramref name="submitter"/>.</summary>
    private async Task<(IReadOnlyList<OpAck> Acks, IReadOnlyList<AppliedOpResponse> Applied)> ApplyAsync(
        IProjectGrain project, Guid projectId, Guid userId, IReadOnlyList<OpSubmission> submissions, string? submitter = null)
    {
        var result = await project.SubmitAsync(userId, submissions, fanout.Origin);
        var applied = result.Applied.Select(AppliedOpResponse.From).ToList();
        await fanout.DeliverLocallyAsync(projectId, applied, submitter);
        return (result.Acks, applied);
    }

    public async Task<OpsPageResponse> OpsSinceAsync(Guid userId, Guid projectId, long since, int max)
    {
        var page = await Project(projectId).GetOpsAsync(userId, since, max);
        return new OpsPageResponse(page.Ops.Select(AppliedOpResponse.From).ToList(), page.LatestVersion, page.HasMore);
    }

    public async Task<IReadOnlyList<Collaborator>> SetCollaboratorAsync(Guid actorId, Guid projectId, Guid userId, string? role)
    {
        var parsed = OpRequests.ParseRole(role);
        await grains.GetGrain<IUserGrain>(userId).GetProfileAsync(); // 404 for an unknown user
        return (await Project(projectId).SetCollaboratorAsync(actorId, userId, parsed)).Collaborators;
    }

    public Task RemoveCollaboratorAsync(Guid actorId, Guid projectId, Guid userId) => Project(projectId).RemoveCollaboratorAsync(actorId, userId);

    public Task DeleteAsync(Guid userId, Guid projectId) => Project(projectId).DeleteAsync(userId);

    public Task<NamedSnapshot> CreateSnapshotAsync(Guid userId, Guid projectId, CreateSnapshotRequest request) =>
        Project(projectId).CreateSnapshotAsync(userId, request.Name ?? "", request.Version);

    public Task<bool> PlaysAssetAsync(Guid userId, Guid projectId, Guid assetId) => Project(projectId).PlaysAssetAsync(userId, assetId);

    public Task<IReadOnlyList<NamedSnapshot>> SnapshotsAsync(Guid userId, Guid projectId) => Project(projectId).GetSnapshotsAsync(userId);

    public Task<ProjectDocument> VersionAsync(Guid userId, Guid projectId, long version) => Project(projectId).GetVersionAsync(userId, version);

    public Task<OpAck> RestoreAsync(Guid userId, Guid projectId, long version) => Project(projectId).RestoreAsync(userId, version);

    public Task<ProjectDocument> ForkAsync(Guid userId, Guid projectId, ForkRequest request) => Project(projectId).ForkAsync(userId, request.Version, request.Name);

    /// <summary>The caller's role in the project; not found when they are not a member (or it does not exist).</summary>
    public async Task<ProjectRole> RoleAsync(Guid userId, Guid projectId) =>
        await Project(projectId).GetRoleAsync(userId) ?? throw DomainException.NotFound("The project");

    /// <summary>For a live join: the ops after <paramref name="lastSeenVersion"/> when few are missing, else the whole project.</summary>
    public async Task<JoinProjectResult> JoinAsync(Guid userId, Guid projectId, long? lastSeenVersion)
    {
        var project = Project(projectId);
        var role = await RoleAsync(userId, projectId);
        if (lastSeenVersion is { } seen and >= 0)
        {
            var page = await project.GetOpsAsync(userId, seen, 1000);
            if (!page.HasMore && seen <= page.LatestVersion)
            {
                return new JoinProjectResult(page.LatestVersion, page.Ops.Select(AppliedOpResponse.From).ToList(), null, role);
            }
        }

        var snapshot = await project.GetAsync(userId);
        return new JoinProjectResult(snapshot.Version, null, snapshot, role);
    }

    private IProjectGrain Project(Guid projectId) => fanout.Grain(projectId) ?? grains.GetGrain<IProjectGrain>(projectId);
}
