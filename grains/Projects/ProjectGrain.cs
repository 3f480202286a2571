using Jacameno.Common;
using Jacameno.Storage.Catalog;
using Jacameno.Storage.OpLog;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Jacameno.Projects;

/// <summary>
/// Orders, applies and persists every edit of one project. Each op is appended to the op log (the source of
/// truth) before it is acknowledged; the document snapshot in grain state is written every
/// <see cref="SnapshotEvery"/> ops, so an op costs one log append whatever the size of the project.
/// On activation the snapshot is loaded and the log after it replayed. This file sequences ops; the undo history
/// (<see cref="UndoHistory"/>), the frontends' listener leases (<see cref="ListenerLeases"/>) and the catalog's
/// copy (<see cref="ProjectCatalogSync"/>) are classes of their own; members and versions are partial files.
/// </summary>
public sealed partial class ProjectGrain(
    [PersistentState("project", StorageNames.Grains)] IPersistentState<ProjectState> state,
    IOpLog log,
    ICatalog catalog,
    TimeProvider clock,
    Plugins.InstalledPlugins plugins,
    ILogger<ProjectGrain> logger) : Grain, IProjectGrain
{
    public const int SnapshotEvery = 100;
    private const int RecentOpsPerClient = 256;
    private const int MaxIdLength = 64;

    private ProjectEditor? editor;
    private long snapshotVersion;
    private IAsyncStream<ProjectEvent>? stream;
    private ProjectCatalogSync? catalogSync;
    private UndoHistory? history;
    private readonly ListenerLeases listeners = new();

    private Guid Id => this.GetPrimaryKey();

    private ProjectDocument Document => editor?.Document ?? throw DomainException.NotFound("The project");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        stream = this.GetStreamProvider(StreamNames.Provider).GetStream<ProjectEvent>(StreamId.Create(ProjectStreams.Namespace, Id));
        catalogSync = new ProjectCatalogSync(Id, catalog, logger);
        history = new UndoHistory(() => state.State);
        if (state.State.Document is not { } document)
        {
            return;
        }

        editor = new ProjectEditor(document) { Plugins = plugins.Find, SoundFontInstalled = id => plugins.SoundFonts.Find(id) is not null };
        snapshotVersion = document.Version;
        listeners.AssumeListeners();
        while (true)
        {
            var page = await log.ReadAsync(Id, document.Version, 1000, cancellationToken);
            foreach (var op in page)
            {
                Replay(op);
            }

            if (page.Count < 1000)
            {
                break;
            }
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Saves a replay next time; losing this write loses nothing (the log has every op).
        if (editor is not null && Document.Version != snapshotVersion && reason.ReasonCode != DeactivationReasonCode.ApplicationError)
        {
            await SnapshotAsync();
        }
    }

    public async Task<ProjectDocument> CreateAsync(Guid ownerId, CreateProjectCommand command)
    {
        if (state.RecordExists || editor is not null)
        {
            throw new DomainException(DomainErrorKind.Conflict, "The project already exists.");
        }

        var now = Now();
        var document = new ProjectDocument
        {
            Id = Id,
            OwnerId = ownerId,
            Collaborators = [new Collaborator { UserId = ownerId, Role = ProjectRole.Owner }],
            CreatedAt = now,
            UpdatedAt = now,
        };
        var draft = new ProjectEditor(document) { Plugins = plugins.Find, SoundFontInstalled = id => plugins.SoundFonts.Find(id) is not null };
        try
        {
            draft.Apply(ownerId, ProjectRole.Owner, "project.set",
                System.Text.Json.JsonSerializer.Serialize(new ProjectSet(command.Name ?? "Untitled project", command.Description, command.Tempo ?? 120), OpJson.Options), now);
        }
        catch (OpRejectedException e)
        {
            throw DomainException.Invalid(e.Message.Split(' ')[0], e.Message);
        }

        document.SampleRate = command.SampleRate ?? 48000;
        if (document.SampleRate is not (44100 or 48000))
        {
            throw DomainException.Invalid("sampleRate", "sampleRate must be 44100 or 48000.");
        }

        editor = draft;
        state.State.Genesis = ProjectEditor.Copy(document);
        await SnapshotAsync();
        await catalogSync!.UpdateListingAsync(Document);
        return Document;
    }

    public async Task<ProjectDocument> CreateFromAsync(Guid ownerId, ProjectDocument source, ForkSource forkedFrom, string name)
    {
        if (state.RecordExists || editor is not null)
        {
            throw new DomainException(DomainErrorKind.Conflict, "The project already exists.");
        }

        var now = Now();
        var document = ProjectEditor.Copy(source);
        (document.Id, document.OwnerId, document.Name, document.Version, document.CreatedAt, document.UpdatedAt, document.ForkedFrom) =
            (Id, ownerId, name, 0, now, now, forkedFrom);
        document.Collaborators = [new Collaborator { UserId = ownerId, Role = ProjectRole.Owner }];
        document.Comments = [];
        editor = new ProjectEditor(document) { Plugins = plugins.Find, SoundFontInstalled = id => plugins.SoundFonts.Find(id) is not null };
        state.State.Genesis = ProjectEditor.Copy(document);
        await SnapshotAsync();
        await catalogSync!.UpdateListingAsync(Document);
        await catalogSync!.UpdateAssetUsesAsync(Document);
        return Document;
    }

    public Task<ProjectDocument> GetAsync(Guid userId)
    {
        RoleOf(userId);
        return Task.FromResult(Document);
    }

    public Task<ProjectRole?> GetRoleAsync(Guid userId) =>
        Task.FromResult(editor is null ? null : Document.Collaborators.Find(c => c.UserId == userId)?.Role);

    public Task<bool> PlaysAssetAsync(Guid userId, Guid assetId)
    {
        RoleOf(userId);
        return Task.FromResult(Document.PlayedAssets().Contains(assetId));
    }

    public Task<SubmitResult> SubmitAsync(Guid userId, IReadOnlyList<OpSubmission> ops, string? origin = null) => SubmitAsync(userId, RoleOf(userId), ops, origin);

    public Task<SubmitResult> SubmitAsAssistantAsync(Guid requesterId, IReadOnlyList<OpSubmission> ops) =>
        RoleOf(requesterId) is ProjectRole.Owner or ProjectRole.Editor
            ? SubmitAsync(SystemUsers.Assistant, ProjectRole.Editor, ops, origin: null)
            : throw new DomainException(DomainErrorKind.Forbidden, "Only the owner and editors may let the assistant change the project.");

    private async Task<SubmitResult> SubmitAsync(Guid userId, ProjectRole role, IReadOnlyList<OpSubmission> ops, string? origin)
    {
        if (ops.Count is 0 or > ProjectLimits.MaxBatch)
        {
            throw DomainException.Invalid("ops", $"Send 1 to {ProjectLimits.MaxBatch} ops at a time.");
        }

        var foreign = await ForeignAssetsAsync(userId, ops);
        var now = Now();
        var acks = new List<OpAck>(ops.Count);
        var applied = new List<AppliedOp>();
        var renamed = false;
        foreach (var op in ops)
        {
            // Records from the wire can hold nulls despite their annotations.
            var (clientId, opId, kind, payload) = (op.ClientId ?? "", op.OpId ?? "", op.Kind ?? "", op.Payload ?? "");
            if (clientId.Length is 0 or > MaxIdLength || opId.Length is 0 or > MaxIdLength)
            {
                acks.Add(new OpAck(opId, OpStatus.Rejected, Document.Version, $"clientId and opId are required, at most {MaxIdLength} characters."));
                continue;
            }

            if (state.State.RecentOps.TryGetValue(clientId, out var recent) && recent.TryGetValue(opId, out var earlier))
            {
                acks.Add(new OpAck(opId, OpStatus.Duplicate, earlier, null));
                continue;
            }

            if (kind == ProjectEditor.RestoreKind)
            {
                acks.Add(new OpAck(opId, OpStatus.Rejected, Document.Version, "Restore a version with the restore endpoint."));
                continue;
            }

            if (AssetsOf(kind, payload).Any(foreign.Contains))
            {
                acks.Add(new OpAck(opId, OpStatus.Rejected, Document.Version, "assetId is not one of your uploads; place your own audio, or audio this project already plays."));
                continue;
            }

            if (op.BaseVersion < 0 || op.BaseVersion > Document.Version)
            {
                acks.Add(new OpAck(opId, OpStatus.Rejected, Document.Version, $"baseVersion must be between 0 and the project's version {Document.Version}."));
                continue;
            }

            try
            {
                AppliedOp next;
                if (kind is "undo" or "redo")
                {
                    // {"of":"assistant"}: an editor undoes (or redoes) the assistant's last change, in its name, so its history stays its own.
                    var author = UndoesAssistant(payload) && role is ProjectRole.Owner or ProjectRole.Editor ? SystemUsers.Assistant : userId;
                    var entry = history!.Undoable(author, kind);
                    var normalizedInverse = editor!.Apply(author, role, entry.Kind, entry.Payload, now, trusted: true);
                    next = new AppliedOp(Document.Version + 1, author, clientId, opId, entry.Kind, normalizedInverse, now, kind);
                }
                else
                {
                    next = new AppliedOp(Document.Version + 1, userId, clientId, opId, kind, editor!.Apply(userId, role, kind, payload, now), now);
                }

                var version = ++Document.Version;
                history!.Record(next, editor.LastChange);
                applied.Add(next);
                var normalized = next.Payload;
                Remember(clientId, opId, version);
                acks.Add(new OpAck(opId, OpStatus.Applied, version, null));
                renamed |= next.Kind is "project.set" && normalized.Contains("\"name\"", StringComparison.Ordinal);
            }
            catch (OpRejectedException e)
            {
                acks.Add(new OpAck(opId, OpStatus.Rejected, Document.Version, e.Message));
            }
        }

        if (applied.Count == 0)
        {
            return new SubmitResult(acks, []);
        }

        Document.UpdatedAt = now;
        await AppendAsync(applied);

        if (renamed)
        {
            await catalogSync!.UpdateListingAsync(Document);
        }

        if (applied.Exists(a => a.Kind.StartsWith("clip.", StringComparison.Ordinal) || a.Kind.StartsWith("track.", StringComparison.Ordinal)
                || a.Kind.StartsWith("effect.", StringComparison.Ordinal) || a.Kind == ProjectEditor.RestoreKind))
        {
            await catalogSync!.UpdateAssetUsesAsync(Document);
        }

        // The acks go back without waiting for the stream: the submitting frontend delivers the ops to its own
        // clients on the ack, and the stream (in order: publishes leave this activation one turn after another)
        // only carries them to the other frontends (ProjectStreamFilter).
        if (listeners.OthersListen(origin))
        {
            _ = PublishAsync(new ProjectEvent(ProjectEventKind.OpsApplied, applied, Origin: origin));
        }

        return new SubmitResult(acks, applied);
    }

    public async Task<OpPage> GetOpsAsync(Guid userId, long sinceVersion, int max)
    {
        RoleOf(userId);
        if (sinceVersion < 0 || max is < 1 or > 1000)
        {
            throw DomainException.Invalid(sinceVersion < 0 ? "since" : "max", "since must be ≥ 0 and max between 1 and 1000.");
        }

        var ops = await log.ReadAsync(Id, sinceVersion, max + 1);
        return new OpPage(ops.Take(max).ToList(), Document.Version, ops.Count > max);
    }

    public async Task DeleteAsync(Guid actorId)
    {
        if (RoleOf(actorId) != ProjectRole.Owner)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only the owner deletes a project.");
        }

        await log.DeleteAsync(Id);
        await state.ClearStateAsync();
        state.State = new ProjectState();
        editor = null;
        await catalog.DeleteProjectAsync(Id);
        await PublishAsync(new ProjectEvent(ProjectEventKind.Deleted));
        DeactivateOnIdle();
    }

    // Microseconds: PostgreSQL keeps no finer, and the document in memory must equal the one replayed from the log.
    private DateTimeOffset Now()
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }

    /// <summary>
    /// Audio a batch would newly place that is not the submitter's own upload. Renders read every clip's audio,
    /// so placing someone else's asset id (seen in a project one has left, say) must not be a way to get it.
    /// </summary>
    private async Task<HashSet<Guid>> ForeignAssetsAsync(Guid userId, IReadOnlyList<OpSubmission> ops)
    {
        var foreign = new HashSet<Guid>();
        var placed = ops.SelectMany(o => AssetsOf(o.Kind ?? "", o.Payload ?? "")).Distinct().ToList();
        if (placed.Count == 0)
        {
            return foreign;
        }

        var inProject = Document.PlayedAssets().ToHashSet();
        foreach (var asset in placed.Where(a => !inProject.Contains(a)))
        {
            try
            {
                await GrainFactory.GetGrain<Jacameno.Assets.IAssetGrain>(asset).GetAsync(userId);
            }
            catch (DomainException)
            {
                foreign.Add(asset);
            }
        }

        return foreign;
    }

    /// <summary>
    /// The assets an op places (a clip.add's audio, an effect.zones' samples), read exactly as the editor will bind them
    /// (the op JSON's rules: any casing of "assetId"), so the check and the change can never see two different ids.
    /// </summary>
    private static IEnumerable<Guid> AssetsOf(string kind, string payload)
    {
        try
        {
            return payload.Length > ProjectLimits.MaxPayloadChars ? []
                : kind == "clip.add" ? [.. new[] { System.Text.Json.JsonSerializer.Deserialize<ClipAdd>(payload, OpJson.Options)?.AssetId }.OfType<Guid>()]
                : kind == "effect.zones" ? [.. System.Text.Json.JsonSerializer.Deserialize<EffectZones>(payload, OpJson.Options)?.Zones?.Select(z => z.AssetId).Where(a => a != Guid.Empty) ?? []]
                : [];
        }
        catch (System.Text.Json.JsonException)
        {
            // Not an op the editor would take either: it rejects the op with the reason.
            return [];
        }
    }

    private static bool UndoesAssistant(string payload)
    {
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(payload.Length == 0 ? "{}" : payload);
            return json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && json.RootElement.TryGetProperty("of", out var of) && of.ValueKind == System.Text.Json.JsonValueKind.String && of.GetString() == "assistant";
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>Makes applied ops durable; the snapshot follows every <see cref="SnapshotEvery"/> ops.</summary>
    private async Task AppendAsync(List<AppliedOp> applied)
    {
        try
        {
            await log.AppendAsync(Id, applied);
        }
        catch
        {
            // The document in memory is ahead of what is durable: start over from the snapshot and the log.
            editor = null;
            DeactivateOnIdle();
            throw;
        }

        if (Document.Version - snapshotVersion >= SnapshotEvery)
        {
            await SnapshotAsync();
        }
    }

    /// <summary>The caller's role; anyone else is told the project does not exist, so ids reveal nothing.</summary>
    private ProjectRole RoleOf(Guid userId) =>
        (editor is null ? null : Document.Collaborators.Find(c => c.UserId == userId)?.Role) ?? throw DomainException.NotFound("The project");

    private void Remember(string clientId, string opId, long version)
    {
        if (!state.State.RecentOps.TryGetValue(clientId, out var recent))
        {
            state.State.RecentOps[clientId] = recent = [];
        }

        if (recent.Count >= RecentOpsPerClient)
        {
            // Forget the oldest half: a client retries its last few ops, not ones from hundreds of ops ago.
            foreach (var old in recent.OrderBy(r => r.Value).Take(RecentOpsPerClient / 2).Select(r => r.Key).ToList())
            {
                recent.Remove(old);
            }
        }

        recent[opId] = version;
    }

    private void Replay(AppliedOp op)
    {
        try
        {
            editor!.Apply(op.UserId, ProjectRole.Owner, op.Kind, op.Payload, op.At, trusted: true);
            history!.Record(op, editor.LastChange);
        }
        catch (OpRejectedException e)
        {
            // An op that applied once must apply again; if not, it is a bug: keep the project usable and say so.
            LogReplayFailed(logger, Id, op.Version, e.Message);
        }

        Document.Version = op.Version;
        Document.UpdatedAt = op.At;
        Remember(op.ClientId, op.OpId, op.Version);
    }

    private async Task SnapshotAsync()
    {
        state.State.Document = Document;
        await state.WriteStateAsync();
        snapshotVersion = Document.Version;
    }

    public Task SetListenerAsync(string frontend, bool listening)
    {
        listeners.Renew(frontend, listening);
        return Task.CompletedTask;
    }

    private async Task PublishAsync(ProjectEvent projectEvent)
    {
        try
        {
            await stream!.OnNextAsync(projectEvent);
        }
        catch (Exception e)
        {
            // Fan-out is best effort: clients that miss an event catch up from the op log.
            LogPublishFailed(logger, e, Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Project {ProjectId}: op {Version} from the log did not apply on replay: {Reason}")]
    private static partial void LogReplayFailed(ILogger logger, Guid projectId, long version, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Project {ProjectId}: publishing to the project stream failed")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, Guid projectId);
}
