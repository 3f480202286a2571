using Jacameno.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Jacameno.Frontend.Hosting;

/// <summary>RFC 9457 problem details for every error the API returns.</summary>
public static class Problems
{
    /// <summary>What a client hears while a silo died or is restarting: the cluster recovers within seconds.</summary>
    public const string Restarting = "Part of the cluster is restarting; try again in a few seconds.";

    /// <summary>The errors of a cluster that is changing (a silo gone, a gateway refusing), worth a retry.</summary>
    public static bool IsTransient(Exception exception) =>
        exception is OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException or TimeoutException;

    public static Task WriteAsync(HttpContext context, int status, string title, string detail, IDictionary<string, string[]>? errors = null)
    {
        var problem = errors is null
            ? new ProblemDetails()
            : new HttpValidationProblemDetails(errors);
        problem.Status = status;
        problem.Title = title;
        problem.Detail = detail;
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).AsTask();
    }

    public static int StatusOf(DomainErrorKind kind) => kind switch
    {
        DomainErrorKind.Validation => StatusCodes.Status400BadRequest,
        DomainErrorKind.NotFound => StatusCodes.Status404NotFound,
        DomainErrorKind.Conflict => StatusCodes.Status409Conflict,
        DomainErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        DomainErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        DomainErrorKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status400BadRequest,
    };

    public static string TitleOf(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        405 => "Method not allowed",
        409 => "Conflict",
        413 => "Payload too large",
        415 => "Unsupported media type",
        429 => "Too many requests",
        503 => "Service unavailable",
        _ => "Error",
    };
}

/// <summary>
/// Turns exceptions into problem details: domain errors by their kind (validation errors name the field),
/// unreadable requests (malformed JSON, wrong types, oversized bodies) by their status, anything else as a 500
/// that says nothing of the internals.
/// </summary>
public sealed partial class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case DomainException { Kind: DomainErrorKind.Validation, Field: { } field } domain:
                await Problems.WriteAsync(httpContext, 400, "Validation failed", domain.Message,
                    new Dictionary<string, string[]> { [field] = [domain.Message] });
                return true;
            case DomainException domain:
                var status = Problems.StatusOf(domain.Kind);
                await Problems.WriteAsync(httpContext, status, Problems.TitleOf(status), domain.Message);
                return true;
            case BadHttpRequestException bad:
                await Problems.WriteAsync(httpContext, bad.StatusCode, Problems.TitleOf(bad.StatusCode), Describe(bad));
                return true;
            // A silo died or is restarting: the cluster recovers within seconds, so the client should retry.
            case var transient when Problems.IsTransient(transient):
                LogUnavailable(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
                httpContext.Response.Headers.RetryAfter = "5";
                await Problems.WriteAsync(httpContext, 503, Problems.TitleOf(503), Problems.Restarting);
                return true;
            case OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested:
                return true;
            default:
                LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
                await Problems.WriteAsync(httpContext, 500, "Internal error", "Something went wrong on our side; it was logged.");
                return true;
        }
    }

    // The framework's messages name the parameter; the inner JSON error says where in the body it broke.
    private static string Describe(BadHttpRequestException bad) => bad.StatusCode switch
    {
        413 => "The request body is too large.",
        415 => "Send the body as application/json.",
        _ when bad.InnerException is System.Text.Json.JsonException json =>
            $"The body is not valid JSON for this request{(json.Path is { Length: > 1 } path ? $" (at {path})" : "")}.",
        _ => bad.Message,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster unavailable on {Method} {Path}")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
