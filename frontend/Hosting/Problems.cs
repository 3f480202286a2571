using System.Text.RegularExpressions;
using Jacameno.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace Jacameno.Frontend.Hosting;

/// <summary>RFC 9457 problem details for every error the API returns.</summary>
public static class Problems
{
    /// <summary>What a client hears while a silo died or is restarting: the cluster recovers within seconds.</summary>
    public const string Restarting = "Part of the cluster is restarting; try again in a few seconds.";

    /// <summary>The errors of a cluster that is changing (a silo gone, a gateway refusing), worth a retry.</summary>
    public static bool IsTransient(Exception exception) =>
        exception is OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException or TimeoutException;

    /// <summary>
    /// The problem for an error status set without an exception (status code pages): Kestrel answers a body over
    /// the limit with 413 before any endpoint reads it, and routing answers a known path's wrong method with 405.
    /// </summary>
    public static Task WriteStatusAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        var detail = status switch
        {
            413 when context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } limit =>
                $"The request body is larger than {limit} bytes, the most this endpoint takes.",
            413 => "The request body is too large.",
            405 => $"{context.Request.Method} is not allowed on {context.Request.Path}.",
            _ => null,
        };
        return WriteAsync(context, status, TitleOf(status) is "Error" ? ReasonPhrases.GetReasonPhrase(status) : TitleOf(status), detail);
    }

    /// <summary>
    /// The problem type of "not ready yet" (an upload still being processed), the same on every endpoint: 409 with
    /// this type and a Retry-After, so a client can tell it from a conflict that lasts.
    /// </summary>
    public const string NotReadyType = "urn:jacameno:problem:not-ready";

    public static Task WriteAsync(HttpContext context, int status, string title, string? detail, IDictionary<string, string[]>? errors = null, string? type = null)
    {
        var problem = errors is null
            ? new ProblemDetails()
            : new HttpValidationProblemDetails(errors);
        problem.Type = type;
        problem.Status = status;
        problem.Title = title;
        problem.Detail = detail;
        context.Response.StatusCode = status;
        return WriteAsync(context, problem);
    }

    // A client that accepts no JSON at all (Accept: text/html) still gets the problem as JSON, not a 500.
    private static async Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        if (!await context.RequestServices.GetRequiredService<IProblemDetailsService>()
                .TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            await TypedResults.Problem(problem).ExecuteAsync(context);
        }
    }

    /// <summary>A wait in whole seconds, at least one, as Retry-After and messages give it.</summary>
    public static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    public static int StatusOf(DomainErrorKind kind) => kind switch
    {
        DomainErrorKind.Validation => StatusCodes.Status400BadRequest,
        DomainErrorKind.NotFound => StatusCodes.Status404NotFound,
        DomainErrorKind.Conflict => StatusCodes.Status409Conflict,
        DomainErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        DomainErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        DomainErrorKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
        DomainErrorKind.NotReady => StatusCodes.Status409Conflict,
        DomainErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
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
            case DomainException { Kind: DomainErrorKind.NotReady } notReady:
                httpContext.Response.Headers.RetryAfter = "2";
                await Problems.WriteAsync(httpContext, 409, "Not ready", notReady.Message, type: Problems.NotReadyType);
                return true;
            case DomainException domain:
                var status = Problems.StatusOf(domain.Kind);
                if (domain.RetryAfter is { } retryAfter)
                {
                    httpContext.Response.Headers.RetryAfter = Problems.Seconds(retryAfter).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

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

    // The inner JSON error says where in the body it broke. The framework's binding messages name the parameter
    // by its .NET type ("Nullable<long> since"): they are reworded in the client's terms.
    private static string Describe(BadHttpRequestException bad)
    {
        if (bad.StatusCode == 413)
        {
            return "The request body is too large.";
        }

        if (bad.StatusCode == 415)
        {
            return "Send the body as application/json.";
        }

        if (bad.InnerException is System.Text.Json.JsonException json)
        {
            return $"The body is not valid JSON for this request{(json.Path is { Length: > 1 } path ? $" (at {path})" : "")}.";
        }

        if (NoBody().IsMatch(bad.Message))
        {
            return "The body is empty; send a JSON object.";
        }

        if (UnboundParameter().Match(bad.Message) is { Success: true } unbound)
        {
            return $"{unbound.Groups["name"].Value} must be {Expected(unbound.Groups["type"].Value)}; \"{unbound.Groups["value"].Value}\" is not.";
        }

        return MissingParameter().Match(bad.Message) is { Success: true } missing
            ? $"{missing.Groups["name"].Value} is required ({missing.Groups["source"].Value})."
            : bad.Message;
    }

    private static string Expected(string type) => type.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('>') switch
    {
        "int" or "long" or "short" or "Int32" or "Int64" or "Int16" => "a whole number",
        "double" or "float" or "decimal" or "Double" or "Single" or "Decimal" => "a number",
        "bool" or "Boolean" => "true or false",
        "Guid" => "an id (a UUID)",
        "DateTime" or "DateTimeOffset" or "DateOnly" => "a date (ISO 8601)",
        _ => "one of the values this endpoint takes",
    };

    [GeneratedRegex("^Implicit body inferred for parameter \".*\" but no body was provided|^Required parameter \".*\" was not provided from body")]
    private static partial Regex NoBody();

    [GeneratedRegex("^Failed to bind parameter \"(?<type>\\S+) (?<name>\\w+)\" from \"(?<value>.*)\"\\.$")]
    private static partial Regex UnboundParameter();

    [GeneratedRegex("^Required parameter \"\\S+ (?<name>\\w+)\" was not provided from (?<source>.+)\\.$")]
    private static partial Regex MissingParameter();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster unavailable on {Method} {Path}")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
