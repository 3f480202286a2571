using Jacameno.Common;
using Jacameno.Storage.Catalog;
using Jacameno.Storage.OpLog;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Jacameno.Projects;

/// <summary>The stored snapshot: the document at its version, and the recent op ids of each client.</summary>
[GenerateSerializer, Alias("jacameno.project-state")]
public sealed class ProjectState
{
    [Id(0)] public ProjectDocument? Document { get; set; }

    /// <summary>Per client, the last ops it sent (op id → version), so a retry is recognised as a duplicate.</summary>
    [Id(1)] public Dictionary<string, Dictionary<string, long>> RecentOps { get; set; } = [];

    /// <summary>The project at version 0, where replays of history start.</summary>
    [Id(2)] public ProjectDocument? Genesis { get; set; }

    [Id(3)] public List<NamedSnapshot> Snapshots { get; set; } = [];

    /// <summary>Each user's undo and redo stacks.</summary>
    [Id(4)] public Dictionary<Guid, UserHistory> History { get; set; } = [];

    /// <summary>Per key (a property or an entity), its most recent writes: undo checks nobody else wrote since.</summary>
    [Id(5)] public Dictionary<string, List<KeyWrite>> Writes { get; set; } = [];

    /// <summary>Invited addresses not yet accepted, by normalized email.</summary>
    [Id(6)] public Dictionary<string, ProjectInvitation> Invitations { get; set; } = [];
}

[GenerateSerializer, Alias("jacameno.user-history")]
public sealed class UserHistory
{
    [Id(0)] public List<UndoEntry> Undo { get; set; } = [];
    [Id(1)] public List<UndoEntry> Redo { get; set; } = [];
}

/// <summary>The op that reverses the op applied at <see cref="Version"/>, and the keys it must find untouched by others.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.undo-entry")]
public sealed record UndoEntry([property: Id(0)] long Version, [property: Id(1)] string Kind, [property: Id(2)] string Payload,
    [property: Id(3)] IReadOnlyList<string> Checks);

[GenerateSerializer, Immutable, Alias("jacameno.key-write")]
public sealed record KeyWrite([property: Id(0)] long Version, [property: Id(1)] Guid UserId);

/// <summary>
/// Orders, applies and persists every edit of one project. Each op is appended to the op log (the source of
/// truth) before it is acknowledged; the document snapshot in grain state is written every
/// <see cref="SnapshotEvery"/> ops, so an op costs one log append whatever the size of the project.
/// On activation the snapshot is loaded and the log after it replayed.
/// </summary>
public sealed partial class ProjectGrain(
    [PersistentState("project", StorageNames.Grains)] IPersistentState<ProjectState> state,
    IOpLog log,
    ICatalog catalog,
    TimeProvider clock,
    ILogger<ProjectGrain> logger) : Grain, IProjectGrain
{
    public const int SnapshotEvery = 100;
    private const int RecentOpsPerClient = 256;
    private const int MaxIdLength = 64;
    private const int HistoryDepth = 100;
    private const int WritesPerKey = 8;

    private ProjectEditor? editor;

    // The assets the catalog last heard this project uses; null until told once per activation.
    private HashSet<Guid>? assetUses;
    private long snapshotVersion;
    private IAsyncStream<ProjectEvent>? stream;

    // The frontends listening on the stream (origin → end of lease, in Environment.TickCount64 ms), so that ops
    // nobody else listens for are not published: in embedded mode, or while one frontend has the project open, the
    // stream would only carry them to a filter that drops them. Not stored: a reactivated project assumes listeners
    // until every frontend had a lease's time to renew.
    private readonly Dictionary<string, long> listeners = [];
    private long listenersKnownFrom;

    private Guid Id => this.GetPrimaryKey();

    private ProjectDocument Document => editor?.Document ?? throw DomainException.NotFound("The project");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        stream = this.GetStreamProvider(StreamNames.Provider).GetStream<ProjectEvent>(StreamId.Create(ProjectStreams.Namespace, Id));
        if (state.State.Document is not { } document)
        {
            return;
        }

        editor = new ProjectEditor(document);
        snapshotVersion = document.Version;
        listenersKnownFrom = Environment.TickCount64 + (long)ProjectStreams.ListenerLease.TotalMilliseconds;
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
        var draft = new ProjectEditor(document);
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
        await UpdateCatalogAsync();
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
        editor = new ProjectEditor(document);
        state.State.Genesis = ProjectEditor.Copy(document);
        await SnapshotAsync();
        await UpdateCatalogAsync();
        await UpdateAssetUsesAsync();
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
        return Task.FromResult(Document.Tracks.Exists(t => t.Clips.Exists(c => c.AssetId == assetId)));
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

            if (kind == "clip.add" && AssetOf(payload) is { } asset && foreign.Contains(asset))
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
                    var entry = Undoable(author, kind);
                    var normalizedInverse = editor!.Apply(author, role, entry.Kind, entry.Payload, now, trusted: true);
                    next = new AppliedOp(Document.Version + 1, author, clientId, opId, entry.Kind, normalizedInverse, now, kind);
                }
                else
                {
                    next = new AppliedOp(Document.Version + 1, userId, clientId, opId, kind, editor!.Apply(userId, role, kind, payload, now), now);
                }

                var version = ++Document.Version;
                Record(next, editor.LastChange);
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
            await UpdateCatalogAsync();
        }

        if (applied.Exists(a => a.Kind.StartsWith("clip.", StringComparison.Ordinal) || a.Kind.StartsWith("track.", StringComparison.Ordinal) || a.Kind == ProjectEditor.RestoreKind))
        {
            await UpdateAssetUsesAsync();
        }

        // The acks go back without waiting for the stream: the submitting frontend delivers the ops to its own
        // clients on the ack, and the stream (in order: publishes leave this activation one turn after another)
        // only carries them to the other frontends (ProjectStreamFilter).
        if (OthersListen(origin))
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
            new TimeSignatureValue(past.TimeSignature.Numerator, past.TimeSignature.Denominator), past.Master, past.Tracks, past.Description, past.Key), OpJson.Options);
        var now = Now();
        editor!.Apply(userId, ProjectRole.Editor, ProjectEditor.RestoreKind, payload, now, trusted: true);
        var applied = new AppliedOp(++Document.Version, userId, "server", $"restore-{Guid.NewGuid():N}", ProjectEditor.RestoreKind, payload, now);
        Record(applied, editor.LastChange);
        Document.UpdatedAt = now;
        await AppendAsync([applied]);
        await UpdateCatalogAsync();
        await UpdateAssetUsesAsync();
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

    public async Task<ProjectDocument> SetCollaboratorAsync(Guid actorId, Guid userId, ProjectRole role)
    {
        if (RoleOf(actorId) != ProjectRole.Owner)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only the owner manages collaborators.");
        }

        if (role == ProjectRole.Owner || userId == Document.OwnerId || !Enum.IsDefined(role))
        {
            throw DomainException.Invalid("role", "The role must be editor, commenter or viewer, and the owner's role cannot change.");
        }

        var existing = Document.Collaborators.Find(c => c.UserId == userId);
        if (existing is null)
        {
            Document.Collaborators.Add(new Collaborator { UserId = userId, Role = role });
        }
        else
        {
            existing.Role = role;
        }

        await SnapshotAsync();
        await UpdateCatalogAsync();
        return Document;
    }

    /// <summary>At most this many open invitations per project, so an owner cannot make a project a mailing list.</summary>
    public const int MaxInvitations = 200;

    public async Task<ProjectInvitation> InviteAsync(Guid actorId, string email, ProjectRole role)
    {
        RequireOwner(actorId);
        if (role == ProjectRole.Owner || !Enum.IsDefined(role))
        {
            throw DomainException.Invalid("role", "The role must be editor, commenter or viewer.");
        }

        var address = Jacameno.Users.EmailAddress.Normalize(email);
        if (!state.State.Invitations.ContainsKey(address) && state.State.Invitations.Count >= MaxInvitations)
        {
            throw new DomainException(DomainErrorKind.Conflict, $"The project has {MaxInvitations} open invitations; withdraw some first.");
        }

        var invitation = new ProjectInvitation(address, role, actorId, Now());
        state.State.Invitations[address] = invitation;
        await SnapshotAsync();
        return invitation;
    }

    public Task<IReadOnlyList<ProjectInvitation>> GetInvitationsAsync(Guid actorId)
    {
        RequireOwner(actorId);
        return Task.FromResult<IReadOnlyList<ProjectInvitation>>([.. state.State.Invitations.Values.OrderBy(i => i.InvitedAt)]);
    }

    public async Task WithdrawInvitationAsync(Guid actorId, string email)
    {
        RequireOwner(actorId);
        if (state.State.Invitations.Remove(Jacameno.Users.EmailAddress.Normalize(email)))
        {
            await SnapshotAsync();
        }
    }

    public async Task<ProjectDocument> AcceptInvitationAsync(Guid userId, string verifiedEmail)
    {
        if (!state.RecordExists || !state.State.Invitations.Remove(verifiedEmail, out var invitation))
        {
            throw DomainException.NotFound("The invitation");
        }

        if (userId != Document.OwnerId)
        {
            var existing = Document.Collaborators.Find(c => c.UserId == userId);
            if (existing is null)
            {
                Document.Collaborators.Add(new Collaborator { UserId = userId, Role = invitation.Role });
            }
            else
            {
                existing.Role = invitation.Role;
            }
        }

        await SnapshotAsync();
        await UpdateCatalogAsync();
        return Document;
    }

    private void RequireOwner(Guid actorId)
    {
        if (RoleOf(actorId) != ProjectRole.Owner)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only the owner manages collaborators.");
        }
    }

    public async Task<ProjectDocument> RemoveCollaboratorAsync(Guid actorId, Guid userId)
    {
        if (RoleOf(actorId) != ProjectRole.Owner && actorId != userId)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only the owner removes collaborators; anyone may leave.");
        }

        if (userId == Document.OwnerId)
        {
            throw DomainException.Invalid("userId", "The owner cannot leave their project; delete it instead.");
        }

        if (Document.Collaborators.RemoveAll(c => c.UserId == userId) > 0)
        {
            await SnapshotAsync();
            await UpdateCatalogAsync();
            await PublishAsync(new ProjectEvent(ProjectEventKind.AccessRevoked, UserId: userId));
        }

        return Document;
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
        var placed = ops.Where(o => o.Kind == "clip.add").Select(o => AssetOf(o.Payload ?? "")).OfType<Guid>().Distinct().ToList();
        if (placed.Count == 0)
        {
            return foreign;
        }

        var inProject = Document.Tracks.SelectMany(t => t.Clips).Select(c => c.AssetId).OfType<Guid>().ToHashSet();
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
    /// The asset a clip.add places, read exactly as the editor will bind it (the op JSON's rules: any casing of
    /// "assetId"), so the check and the change can never see two different ids.
    /// </summary>
    private static Guid? AssetOf(string payload)
    {
        try
        {
            return payload.Length <= ProjectLimits.MaxPayloadChars ? System.Text.Json.JsonSerializer.Deserialize<ClipAdd>(payload, OpJson.Options)?.AssetId : null;
        }
        catch (System.Text.Json.JsonException)
        {
            // Not a clip.add the editor would take either: it rejects the op with the reason.
            return null;
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

    /// <summary>The top of the user's undo (or redo) stack, if nobody else has written what it would put back since.</summary>
    private UndoEntry Undoable(Guid userId, string kind)
    {
        var history = state.State.History.GetValueOrDefault(userId);
        var stack = kind == "undo" ? history?.Undo : history?.Redo;
        if (stack is not { Count: > 0 })
        {
            throw new OpRejectedException(kind == "undo" ? "Nothing to undo." : "Nothing to redo.");
        }

        var entry = stack[^1];
        foreach (var key in entry.Checks)
        {
            if (state.State.Writes.TryGetValue(key, out var recent)
                && (recent.Exists(w => w.Version > entry.Version && w.UserId != userId)
                    || (recent.Count >= WritesPerKey && recent[0].Version > entry.Version)))
            {
                throw new OpRejectedException($"Someone else changed this since; {kind} would overwrite their edit.");
            }
        }

        return entry;
    }

    /// <summary>Keeps the undo history and the per-key writes in step with an applied op (live or replayed).</summary>
    private void Record(AppliedOp op, Change change)
    {
        foreach (var key in change.Writes)
        {
            if (!state.State.Writes.TryGetValue(key, out var recent))
            {
                state.State.Writes[key] = recent = [];
            }

            recent.Add(new KeyWrite(op.Version, op.UserId));
            if (recent.Count > WritesPerKey)
            {
                recent.RemoveAt(0);
            }
        }

        if (op.Kind == ProjectEditor.RestoreKind)
        {
            // History was rewritten under everyone's feet: old undo entries would not make sense.
            state.State.History.Clear();
            return;
        }

        if (!state.State.History.TryGetValue(op.UserId, out var history))
        {
            state.State.History[op.UserId] = history = new UserHistory();
        }

        var reverse = change.InverseKind is null ? null : new UndoEntry(op.Version, change.InverseKind, change.InversePayload!, change.Checks);
        switch (op.Cause)
        {
            case "undo":
                Pop(history.Undo);
                Push(history.Redo, reverse);
                break;
            case "redo":
                Pop(history.Redo);
                Push(history.Undo, reverse);
                break;
            default:
                if (reverse is not null)
                {
                    Push(history.Undo, reverse);
                    history.Redo.Clear();
                }

                break;
        }

        static void Pop(List<UndoEntry> stack)
        {
            if (stack.Count > 0)
            {
                stack.RemoveAt(stack.Count - 1);
            }
        }

        static void Push(List<UndoEntry> stack, UndoEntry? entry)
        {
            if (entry is null)
            {
                return;
            }

            stack.Add(entry);
            if (stack.Count > HistoryDepth)
            {
                stack.RemoveAt(0);
            }
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
            Record(op, editor.LastChange);
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
        var now = Environment.TickCount64;
        foreach (var expired in listeners.Where(l => l.Value <= now).Select(l => l.Key).ToList())
        {
            listeners.Remove(expired);
        }

        if (listening)
        {
            listeners[frontend] = now + (long)ProjectStreams.ListenerLease.TotalMilliseconds;
        }
        else
        {
            listeners.Remove(frontend);
        }

        return Task.CompletedTask;
    }

    /// <summary>Whether a frontend other than <paramref name="origin"/> (which delivers its ops itself) may listen.</summary>
    private bool OthersListen(string? origin)
    {
        var now = Environment.TickCount64;
        if (origin is null || now < listenersKnownFrom)
        {
            return true;
        }

        foreach (var (frontend, leaseEnd) in listeners)
        {
            if (frontend != origin && leaseEnd > now)
            {
                return true;
            }
        }

        return false;
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

    /// <summary>Tells the catalog which assets the current version plays, when that changed, so they are not deleted.</summary>
    private async Task UpdateAssetUsesAsync()
    {
        var uses = Document.Tracks.SelectMany(t => t.Clips).Select(c => c.AssetId).OfType<Guid>().ToHashSet();
        if (assetUses is not null && assetUses.SetEquals(uses))
        {
            return;
        }

        try
        {
            await catalog.SetProjectAssetsAsync(Id, uses);
            assetUses = uses;
        }
        catch (Exception e)
        {
            LogCatalogFailed(logger, e, Id);
        }
    }

    private async Task UpdateCatalogAsync()
    {
        try
        {
            await catalog.SetProjectAsync(Id, Document.Name, Document.UpdatedAt, Document.Collaborators);
        }
        catch (Exception e)
        {
            LogCatalogFailed(logger, e, Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Project {ProjectId}: op {Version} from the log did not apply on replay: {Reason}")]
    private static partial void LogReplayFailed(ILogger logger, Guid projectId, long version, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Project {ProjectId}: publishing to the project stream failed")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, Guid projectId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Project {ProjectId}: catalog write-through failed; lists are stale until rebuilt")]
    private static partial void LogCatalogFailed(ILogger logger, Exception exception, Guid projectId);
}
