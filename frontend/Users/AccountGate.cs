using Jacameno.Common;
using Jacameno.Users;

namespace Jacameno.Frontend.Users;

/// <summary>
/// What an account may do beyond signing in, checked on the server for REST and GraphQL alike: publishing a
/// release and putting a listing on sale need a confirmed address, so a throwaway address cannot put content in
/// front of the public or take buyers' money.
/// </summary>
public sealed class AccountGate(IGrainFactory grains)
{
    public const string VerifyFirst = "Confirm your email address first (we mailed you a link; settings can send a new one), then publish or sell.";

    public async Task EnsureMayPublishAsync(Guid userId)
    {
        if (!(await grains.GetGrain<IUserGrain>(userId).GetProfileAsync()).EmailVerified)
        {
            throw new DomainException(DomainErrorKind.Forbidden, VerifyFirst);
        }
    }
}
