using Jacameno.Common;

namespace Jacameno.Projects;

// The project's past: named snapshots, any version replayed from the log, restore and fork.
public sealed partial class ProjectGrain
{
    public async Task<NamedSnapshot> CreateSnapshotAsync(Guid userId, string name, long? version)
    {
        if (RoleOf(userId) < ProjectRole.Editor)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only editors and the owner name versions.");
        }

        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > ProjectLimits.MaxNameLength)
        {
            throw DomainException.Invalid("name", $"name must be 1-{ProjectLimits.MaxNameLength} characters.");
        }

        var at = version ?? Document.Version;
        if (at < 0 || at > Document.Version)
        {
            throw DomainException.Invalid("version", $"version must be between 0 and {Document.Version}.");
        }

        if (state.State.Snapshots.Count >= 1000)
        {
            throw DomainException.Invalid("name", "A project keeps at most 1 000 named versions.");
        }

        var snapshot = new NamedSnapshot(trimmed, at, userId, Now());
        state.State.Snapshots.Add(snapshot);
        await SnapshotAsync();
        return snapshot;
    }

    public Task<IReadOnlyList<NamedSnapshot>> GetSnapshotsAsync(Guid userId)
    {
        RoleOf(userId);
        return Task.FromResult<IReadOnlyList<NamedSnapshot>>(state.State.Snapshots.OrderByDescending(s => s.Version).ToList());
    }

    public async Task<ProjectDocument> GetVersionAsync(Guid userId, long version)
    {
        RoleOf(userId);
        return await PastAsync(version);
    }

    public async Task<OpAck> RestoreAsync(Guid userId, long version)
    {
        if (RoleOf(userId) < ProjectRole.Editor)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only editors and the owner restore versions.");
        }

        var past = await PastAsync(version);
        var payload = System.Text.Json.JsonSerializer.Serialize(new ProjectRestore(version, past.Name, past.Tempo,
            new TimeSignatureValue(past.TimeSignature.Numerator, past.TimeSignature.Denominator), past.Master, past.Tracks, past.Description, past.Key,
            [.. past.TempoChanges.Select(c => new TempoChangeValue(c.Position, c.Tempo))]), OpJson.Options);
        var now = Now();
        editor!.Apply(userId, ProjectRole.Editor, ProjectEditor.RestoreKind, payload, now, trusted: true);
        var applied = new AppliedOp(++Document.Version, userId, "server", $"restore-{Guid.NewGuid():N}", ProjectEditor.RestoreKind, payload, now);
        history!.Record(applied, editor.LastChange);
        Document.UpdatedAt = now;
        await AppendAsync([applied]);
        await catalogSync!.UpdateListingAsync(Document);
        await catalogSync!.UpdateAssetUsesAsync(Document);
        await PublishAsync(new ProjectEvent(ProjectEventKind.OpsApplied, [applied]));
        return new OpAck(applied.OpId, OpStatus.Applied, applied.Version, null);
    }

    public async Task<ProjectDocument> ForkAsync(Guid userId, long? version, string? name)
    {
        RoleOf(userId);
        var at = version ?? Document.Version;
        var source = at == Document.Version ? Document : await PastAsync(at);
        var forkName = string.IsNullOrWhiteSpace(name) ? $"{Document.Name} (fork)" : name.Trim();
        if (forkName.Length > ProjectLimits.MaxNameLength)
        {
            throw DomainException.Invalid("name", $"name must be 1-{ProjectLimits.MaxNameLength} characters.");
        }

        return await GrainFactory.GetGrain<IProjectGrain>(Guid.NewGuid())
            .CreateFromAsync(userId, source, new ForkSource { ProjectId = Id, Version = at }, forkName);
    }

    /// <summary>The project at a past version: version 0 plus the log up to it. Costs the history, not kept.</summary>
    private async Task<ProjectDocument> PastAsync(long version)
    {
        if (version < 0 || version > Document.Version)
        {
            throw DomainException.Invalid("version", $"version must be between 0 and {Document.Version}.");
        }

        var past = ProjectEditor.Copy(state.State.Genesis ?? throw DomainException.NotFound("The project's history"));
        var replayer = new ProjectEditor(past);
        while (past.Version < version)
        {
            var page = await log.ReadAsync(Id, past.Version, (int)Math.Min(1000, version - past.Version));
            if (page.Count == 0)
            {
                break;
            }

            foreach (var op in page)
            {
                replayer.Apply(op.UserId, ProjectRole.Owner, op.Kind, op.Payload, op.At, trusted: true);
                (past.Version, past.UpdatedAt) = (op.Version, op.At);
            }
        }

        // Who may see it is today's question, not history's.
        past.Collaborators = Document.Collaborators;
        return past;
    }
}
