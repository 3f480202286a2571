using System.Security.Claims;
using GraphQL;
using Jacameno.Common;
using Jacameno.Frontend.Auth;

namespace Jacameno.Frontend.GraphQL;

public static class GraphQLContext
{
    public static T Service<T>(this IResolveFieldContext context) where T : notnull =>
        context.RequestServices!.GetRequiredService<T>();

    /// <summary>The signed-in user's id; an UNAUTHENTICATED error when the request carries no valid token.</summary>
    public static Guid UserId(this IResolveFieldContext context) =>
        context.User is { Identity.IsAuthenticated: true } user
            ? user.UserId()
            : throw new DomainException(DomainErrorKind.Unauthorized, "Sign in first.");

    /// <summary>An ID argument as a Guid; a validation error naming the argument otherwise.</summary>
    public static Guid GuidArgument(this IResolveFieldContext context, string name, string what) =>
        Guid.TryParse(context.GetArgument<string>(name), out var id) ? id : throw DomainException.Invalid(name, $"{name} must be {what}.");

    public static ClaimsPrincipal Principal(this IResolveFieldContext context) =>
        context.User ?? new ClaimsPrincipal(new ClaimsIdentity());
}
