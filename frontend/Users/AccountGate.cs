using Jacameno.Common;
using Jacameno.Frontend.Auth;
using Jacameno.Users;

namespace Jacameno.Frontend.Users;

/// <summary>
/// What an account may do beyond signing in, checked on the server for every surface: publishing a release and
/// putting a listing on sale need a confirmed address (a throwaway address cannot put content in front of the
/// public or take buyers' money); a suspended or banned account writes nothing (403 with the moderator's reason)
/// on REST (<see cref="UseAccountRestrictions"/>), GraphQL mutations and the studio hub alike.
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

    public async Task EnsureMayWriteAsync(Guid userId)
    {
        if (await grains.GetGrain<IUserGrain>(userId).GetRestrictionAsync() is { } restriction)
        {
            throw new DomainException(DomainErrorKind.Forbidden, restriction.Message);
        }
    }

    /// <summary>
    /// Refuses every REST write (any method but GET, HEAD, OPTIONS) of a restricted account. Signing in and out, the
    /// account's own recovery, GraphQL (checked per mutation) and the hub's transport (a long poll is a POST; the hub
    /// checks each submission) pass.
    /// </summary>
    public static IApplicationBuilder UseAccountRestrictions(IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
            && !request.Path.StartsWithSegments("/api/auth", StringComparison.Ordinal) && !request.Path.StartsWithSegments("/graphql", StringComparison.Ordinal)
            && !request.Path.StartsWithSegments("/hubs", StringComparison.Ordinal)
            && context.User.OptionalUserId() is { } userId)
        {
            await context.RequestServices.GetRequiredService<AccountGate>().EnsureMayWriteAsync(userId);
        }

        await next(context);
    });
}
