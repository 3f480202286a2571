using Jacameno.Common;

namespace Jacameno.Users;

/// <summary>
/// Held in memory only: a code lives two minutes, and if its silo dies in that window the user signs in again.
/// </summary>
public sealed class SignInCodeGrain(TimeProvider clock) : Grain, ISignInCodeGrain
{
    private Guid? userId;
    private DateTimeOffset expiresAt;
    private bool issued;

    public Task IssueAsync(Guid userId, DateTimeOffset expiresAt)
    {
        if (issued)
        {
            throw new DomainException(DomainErrorKind.Conflict, "The sign-in code was already issued.");
        }

        (issued, this.userId, this.expiresAt) = (true, userId, expiresAt);
        return Task.CompletedTask;
    }

    public Task<Guid?> RedeemAsync()
    {
        var user = clock.GetUtcNow() < expiresAt ? userId : null;
        userId = null;
        DeactivateOnIdle();
        return Task.FromResult(user);
    }
}
