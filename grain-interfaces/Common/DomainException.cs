namespace Jacameno.Common;

/// <summary>What went wrong, in terms the edge maps onto an HTTP status.</summary>
public enum DomainErrorKind
{
    Validation,
    NotFound,
    Conflict,
    Unauthorized,
    Forbidden,
    TooManyRequests,

    /// <summary>What was asked for exists but is not ready yet (an upload still being processed): try again soon.</summary>
    NotReady,

    /// <summary>What the caller sends or announces is more than they may store (an upload over their quota).</summary>
    TooLarge,
}

/// <summary>
/// A rule of the domain refused the call. Grains throw it; the frontend turns it into problem details
/// with the status of <see cref="Kind"/> and <see cref="Exception.Message"/> as the reason.
/// </summary>
[GenerateSerializer, Alias("jacameno.domain-exception")]
public sealed class DomainException : Exception
{
    public DomainException() { }

    public DomainException(string message) : base(message) { }

    public DomainException(string message, Exception innerException) : base(message, innerException) { }

    public DomainException(DomainErrorKind kind, string message, string? field = null) : base(message)
    {
        Kind = kind;
        Field = field;
    }

    [Id(0)] public DomainErrorKind Kind { get; init; }

    /// <summary>The input field the error is about, for validation errors.</summary>
    [Id(1)] public string? Field { get; init; }

    /// <summary>For <see cref="DomainErrorKind.TooManyRequests"/>: when the caller may try again (the edge sends it as Retry-After).</summary>
    [Id(2)] public TimeSpan? RetryAfter { get; init; }

    public static DomainException NotFound(string what) => new(DomainErrorKind.NotFound, $"{what} was not found.");

    public static DomainException Invalid(string field, string reason) => new(DomainErrorKind.Validation, reason, field);
}
