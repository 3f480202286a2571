using Jacameno.Common;

namespace Jacameno.Streaming;

[GenerateSerializer, Alias("jacameno.playlist-state")]
public sealed class PlaylistState
{
    [Id(0)] public Guid OwnerId { get; set; }
    [Id(1)] public string Title { get; set; } = "";
    [Id(2)] public string? Description { get; set; }
    [Id(3)] public bool IsPublic { get; set; }
    [Id(4)] public List<Guid> ReleaseIds { get; set; } = [];
    [Id(5)] public DateTimeOffset CreatedAt { get; set; }
    [Id(6)] public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One playlist; its owner changes it, others read it when it is public. It keeps ids only: who may see each release is asked at read time.</summary>
public sealed class PlaylistGrain(
    [PersistentState("playlist", StorageNames.Grains)] IPersistentState<PlaylistState> state,
    IStreamingCatalog catalog,
    TimeProvider clock) : Grain, IPlaylistGrain
{
    public const int MaxItems = 500;

    private PlaylistState S => state.State;

    public async Task<PlaylistInfo> CreateAsync(Guid ownerId, PlaylistDetails details)
    {
        if (state.RecordExists)
        {
            throw new DomainException(DomainErrorKind.Conflict, "The playlist already exists.");
        }

        state.State = new PlaylistState { OwnerId = ownerId, CreatedAt = clock.GetUtcNow(), IsPublic = details.IsPublic ?? true };
        S.Title = ReleaseRules.Text(details.Title, "title", 200) ?? throw DomainException.Invalid("title", "A playlist needs a title.");
        S.Description = ReleaseRules.Text(details.Description, "description", 2000, multiline: true);
        return await SaveAsync();
    }

    public Task<PlaylistInfo> GetAsync(Guid? viewerId)
    {
        if (!state.RecordExists || (!S.IsPublic && viewerId != S.OwnerId))
        {
            throw DomainException.NotFound("The playlist");
        }

        return Task.FromResult(Info());
    }

    public async Task<PlaylistInfo> UpdateAsync(Guid userId, PlaylistDetails details)
    {
        Authorize(userId);
        if (details.Title is not null)
        {
            S.Title = ReleaseRules.Text(details.Title, "title", 200) ?? throw DomainException.Invalid("title", "A playlist needs a title.");
        }

        if (details.Description is not null)
        {
            S.Description = ReleaseRules.Text(details.Description, "description", 2000, multiline: true);
        }

        S.IsPublic = details.IsPublic ?? S.IsPublic;
        return await SaveAsync();
    }

    public async Task<PlaylistInfo> AddAsync(Guid userId, Guid releaseId, int? position)
    {
        Authorize(userId);
        // Only what the owner may see goes in: a private release of someone else's id is not found.
        await GrainFactory.GetGrain<IReleaseGrain>(releaseId).CheckVisibleAsync(new ReleaseViewer(userId));
        if (S.ReleaseIds.Contains(releaseId))
        {
            throw new DomainException(DomainErrorKind.Conflict, "The release is in the playlist already.");
        }

        if (S.ReleaseIds.Count >= MaxItems)
        {
            throw new DomainException(DomainErrorKind.Conflict, $"A playlist holds at most {MaxItems} releases.");
        }

        S.ReleaseIds.Insert(Position(position ?? S.ReleaseIds.Count, S.ReleaseIds.Count), releaseId);
        return await SaveAsync();
    }

    public async Task<PlaylistInfo> RemoveAsync(Guid userId, Guid releaseId)
    {
        Authorize(userId);
        if (!S.ReleaseIds.Remove(releaseId))
        {
            throw DomainException.NotFound("The release in this playlist");
        }

        return await SaveAsync();
    }

    public async Task<PlaylistInfo> MoveAsync(Guid userId, Guid releaseId, int position)
    {
        Authorize(userId);
        if (!S.ReleaseIds.Contains(releaseId))
        {
            throw DomainException.NotFound("The release in this playlist");
        }

        // Checked before anything moves: a refused call leaves the list as it was.
        var at = Position(position, S.ReleaseIds.Count - 1);
        S.ReleaseIds.Remove(releaseId);
        S.ReleaseIds.Insert(at, releaseId);
        return await SaveAsync();
    }

    public async Task DeleteAsync(Guid userId)
    {
        Authorize(userId);
        await catalog.DeletePlaylistAsync(this.GetPrimaryKey());
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }

    private static int Position(int position, int count) =>
        position >= 0 && position <= count ? position : throw DomainException.Invalid("position", $"position must be between 0 and {count}.");

    private void Authorize(Guid userId)
    {
        if (!state.RecordExists || (!S.IsPublic && userId != S.OwnerId))
        {
            throw DomainException.NotFound("The playlist");
        }

        if (userId != S.OwnerId)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only the playlist's owner may change it.");
        }
    }

    private async Task<PlaylistInfo> SaveAsync()
    {
        S.UpdatedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
        await catalog.UpsertPlaylistAsync(new PlaylistSummary(this.GetPrimaryKey(), S.OwnerId, S.Title, S.IsPublic, S.ReleaseIds.Count, S.UpdatedAt));
        return Info();
    }

    private PlaylistInfo Info() => new(this.GetPrimaryKey(), S.OwnerId, S.Title, S.Description, S.IsPublic, [.. S.ReleaseIds], S.CreatedAt, S.UpdatedAt);
}
