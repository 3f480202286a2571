using System.Security.Claims;
using GraphQL;
using Jacameno.Common;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.Http;

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

    /// <summary>An optional ID argument as a Guid; null when absent, a validation error when it is not an id.</summary>
    public static Guid? OptionalGuidArgument(this IResolveFieldContext context, string name) =>
        context.GetArgument<string?>(name) is null ? null : context.GuidArgument(name, "an id");

    /// <summary>The signed-in user's id, or null for an anonymous caller (reads open to everyone).</summary>
    public static Guid? OptionalUserId(this IResolveFieldContext context) =>
        context.User?.OptionalUserId();

    /// <summary>The signed-in user's role (see <see cref="UserId"/>).</summary>
    public static Jacameno.Users.UserRole Role(this IResolveFieldContext context)
    {
        context.UserId();
        return context.User!.Role();
    }

    /// <summary>The context, when the caller is an admin; a FORBIDDEN error otherwise.</summary>
    public static IResolveFieldContext AdminOnly(this IResolveFieldContext context) => context.Role() == Jacameno.Users.UserRole.Admin
        ? context
        : throw new DomainException(DomainErrorKind.Forbidden, "Only an admin may do this.");

    /// <summary>An optional enum argument given by name in any case ("mp3", "MP3"); a validation error naming the values otherwise.</summary>
    public static T? EnumArgument<T>(this IResolveFieldContext context, string name) where T : struct, Enum =>
        ApiEnums.Parse<T>(context.GetArgument<string?>(name), name);

    public static ClaimsPrincipal Principal(this IResolveFieldContext context) =>
        context.User ?? new ClaimsPrincipal(new ClaimsIdentity());
}
