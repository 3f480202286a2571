namespace Jacameno.Users;

/// <summary>What an export job is for: the owner exports their own account (the job's owner), nothing else.</summary>
public sealed record AccountExportInput(Guid UserId);

public static class AccountExport
{
    /// <summary>Where an export job stores its zip: under the user, so an account's exports are found and erased with it.</summary>
    public static string KeyOf(Guid userId, Guid jobId) => $"exports/{userId:N}/{jobId:N}.zip";

    /// <summary>How long a download link of an export works.</summary>
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(15);
}
