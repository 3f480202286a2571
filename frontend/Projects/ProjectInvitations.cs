using Jacameno.Common;
using Jacameno.Frontend.Http;
using Jacameno.Frontend.Mail;
using Jacameno.Projects;
using Jacameno.Users;

namespace Jacameno.Frontend.Projects;

public sealed record InvitationResponse(string Email, string Role, DateTimeOffset InvitedAt)
{
    public static InvitationResponse From(ProjectInvitation invitation) =>
        new(invitation.Email, ApiEnums.Name(invitation.Role), invitation.InvitedAt);
}

public sealed record AcceptInvitationRequest(string? Token);

public sealed record AcceptedInvitationResponse(Guid ProjectId, string Role);

/// <summary>
/// Invitations by email: the owner invites an address, whether or not it has an account (the answer is the same,
/// so inviting tells nothing about who is a user); a link is mailed; whoever is signed in with that address,
/// verified, opens it and joins with the invited role. Someone without an account signs up with the address first.
/// </summary>
public sealed class ProjectInvitations(IGrainFactory grains, Mailer mailer, AccountMails mails, TimeProvider clock)
{
    public async Task<InvitationResponse> InviteAsync(Guid actorId, Guid projectId, InvitationRequest request)
    {
        var role = OpRequests.ParseRole(request.Role);
        var project = grains.GetGrain<IProjectGrain>(projectId);
        var invitation = await project.InviteAsync(actorId, request.Email ?? "", role);
        var name = (await project.GetAsync(actorId)).Name;
        var inviter = (await grains.GetGrain<IUserGrain>(actorId).GetProfileAsync()).DisplayName;

        var token = await AccountTokens.IssueAsync(grains, AccountTokenPurpose.ProjectInvitation, actorId, invitation.Email, clock.GetUtcNow(), projectId);
        await mailer.SendAsync(mails.ProjectInvitation(invitation.Email, inviter, name, ApiEnums.Name(invitation.Role), token));
        return InvitationResponse.From(invitation);
    }

    public async Task<IReadOnlyList<InvitationResponse>> ListAsync(Guid actorId, Guid projectId) =>
        [.. (await grains.GetGrain<IProjectGrain>(projectId).GetInvitationsAsync(actorId)).Select(InvitationResponse.From)];

    public Task WithdrawAsync(Guid actorId, Guid projectId, string email) =>
        grains.GetGrain<IProjectGrain>(projectId).WithdrawInvitationAsync(actorId, email);

    /// <summary>
    /// Joins the project of the invitation link for the signed-in user, when their verified address is the one it
    /// was sent to. The link is used up only when it worked, so signing in with the right account and trying again
    /// is possible.
    /// </summary>
    public async Task<AcceptedInvitationResponse> AcceptAsync(Guid userId, string? token)
    {
        var grain = string.IsNullOrEmpty(token) || token.Length > 100 ? null : grains.GetGrain<IAccountTokenGrain>(AccountTokens.KeyOf(token));
        if (grain is null || await grain.FindAsync(AccountTokenPurpose.ProjectInvitation) is not { ProjectId: { } projectId } invitation)
        {
            throw DomainException.Invalid("token", "The invitation link is invalid, has expired or was already used; ask for a new one.");
        }

        var user = await grains.GetGrain<IUserGrain>(userId).GetProfileAsync();
        if (!string.Equals(user.Email, invitation.Email, StringComparison.Ordinal))
        {
            throw new DomainException(DomainErrorKind.Forbidden, "The invitation was sent to another address; sign in with the account of that address.");
        }

        if (!user.EmailVerified)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Confirm your email address first (we mailed you a link), then open the invitation again.");
        }

        var project = await grains.GetGrain<IProjectGrain>(projectId).AcceptInvitationAsync(userId, user.Email);
        await grain.RedeemAsync(AccountTokenPurpose.ProjectInvitation);
        return new AcceptedInvitationResponse(projectId, ApiEnums.Name(project.Collaborators.Find(c => c.UserId == userId)!.Role));
    }
}
