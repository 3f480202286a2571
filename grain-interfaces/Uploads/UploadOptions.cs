using Jacameno.Common;
using Microsoft.Extensions.Options;

namespace Jacameno.Uploads;

/// <summary>Resumable (tus) uploads, section <c>Jacameno:Uploads</c> (docs/api.md, "Resumable uploads").</summary>
public sealed class UploadOptions
{
    public const string SectionName = "Jacameno:Uploads";

    /// <summary>
    /// How long an unfinished upload waits for its next bytes: past it, the upload and its bytes are deleted. Every
    /// PATCH starts it again. Also how long the outcome of a finished upload stays to be read. Default 1 day.
    /// </summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Uploads one user may have receiving or processing at once. Default 10.</summary>
    public int MaxOpenPerUser { get; set; } = 10;

    /// <summary>
    /// A PATCH that follows a part smaller than this is written into one blob with that part, so an upload sent in
    /// small pieces (or cut often) is kept in few blobs; a part this size or larger stays as it is. Default 8 MiB.
    /// </summary>
    public long JoinPartsBelowBytes { get; set; } = 8L << 20;
}

public sealed class UploadOptionsValidator : IValidateOptions<UploadOptions>
{
    public ValidateOptionsResult Validate(string? name, UploadOptions o) => OptionChecks.Result(
        (o.Lifetime > TimeSpan.Zero, "Jacameno:Uploads:Lifetime must be positive."),
        (o.MaxOpenPerUser > 0, "Jacameno:Uploads:MaxOpenPerUser must be positive."),
        (o.JoinPartsBelowBytes is >= 0 and <= 1L << 30, "Jacameno:Uploads:JoinPartsBelowBytes must be 0 (never join) to 1 GiB."));
}
