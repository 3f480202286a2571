using Jacameno.Frontend.Http;
using Jacameno.Users;

namespace Jacameno.Frontend;

/// <summary>The signed-in user's own view of their account.</summary>
public sealed record MeResponse(Guid Id, string Email, string DisplayName, string? Bio, string Role,
    IReadOnlyList<string> LinkedLogins, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool EmailVerified, DateTimeOffset? DeletionDueAt = null)
{
    public static MeResponse From(UserProfile u) =>
        new(u.Id, u.Email, u.DisplayName, u.Bio, ApiEnums.Name(u.Role), u.LinkedLogins, u.CreatedAt, u.UpdatedAt, u.EmailVerified, u.DeletionDueAt);
}

/// <summary>A user as anyone may see them (no email).</summary>
public sealed record UserResponse(Guid Id, string DisplayName, string? Bio, string Role, DateTimeOffset CreatedAt)
{
    public static UserResponse From(UserProfile u) => new(u.Id, u.DisplayName, u.Bio, ApiEnums.Name(u.Role), u.CreatedAt);
}

