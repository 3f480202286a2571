using Jacameno.Common;
using Jacameno.Users;

namespace Jacameno.Projects;

// Who may work on the project: collaborators, their roles, and invitations by email.
public sealed partial class ProjectGrain
{
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

        await RefuseBlockedAsync(userId);
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
        await catalogSync!.UpdateListingAsync(Document);
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
        if (!state.RecordExists || !state.State.Invitations.ContainsKey(verifiedEmail))
        {
            throw DomainException.NotFound("The invitation");
        }

        await RefuseBlockedAsync(userId);
        if (!state.State.Invitations.Remove(verifiedEmail, out var invitation))
        {
            // Withdrawn while the owner's block list was read.
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
        await catalogSync!.UpdateListingAsync(Document);
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
            await catalogSync!.UpdateListingAsync(Document);
            await PublishAsync(new ProjectEvent(ProjectEventKind.AccessRevoked, UserId: userId));
        }

        return Document;
    }

    // Someone the owner blocked never joins the owner's projects, by invitation or otherwise.
    private async Task RefuseBlockedAsync(Guid userId)
    {
        if (await GrainFactory.GetGrain<IUserGrain>(Document.OwnerId).IsBlockingAsync(userId))
        {
            throw new DomainException(DomainErrorKind.Forbidden, "The project's owner blocked this account.");
        }
    }
}
