namespace Jacameno.Users;

/// <summary>What a user may do. Ordered by power: a higher role includes the lower ones.</summary>
public enum UserRole
{
    User = 0,
    Premium = 1,
    Admin = 2,
}

/// <summary>A user as other users and the API see them.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.user-profile")]
public sealed record UserProfile(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Email,
    [property: Id(2)] string DisplayName,
    [property: Id(3)] string? Bio,
    [property: Id(4)] UserRole Role,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset UpdatedAt,
    [property: Id(7)] IReadOnlyList<string> LinkedLogins,
    [property: Id(8)] bool EmailVerified = false,
    [property: Id(9)] DateTimeOffset? DeletionDueAt = null);

/// <summary>Creates a user. Either a password or an external login (or both) is given.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.create-user")]
public sealed record CreateUserCommand(
    [property: Id(0)] string Email,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] string? Password,
    [property: Id(3)] ExternalLogin? ExternalLogin,
    [property: Id(4)] bool EmailVerified = false);

/// <summary>An identity at another provider (GitHub, Google, Spotify), by its stable subject.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.external-login")]
public sealed record ExternalLogin(
    [property: Id(0)] string Provider,
    [property: Id(1)] string Subject);

/// <summary>A partial profile update; null fields stay as they are.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.update-profile")]
public sealed record UpdateProfileCommand(
    [property: Id(0)] string? DisplayName,
    [property: Id(1)] string? Bio);

/// <summary>A refresh token and the user it belongs to, after a successful rotation.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.refresh-rotation")]
public sealed record RefreshRotation(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] string RefreshToken,
    [property: Id(2)] DateTimeOffset ExpiresAt);
