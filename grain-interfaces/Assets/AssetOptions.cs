using Jacameno.Common;
using Microsoft.Extensions.Options;

namespace Jacameno.Assets;

/// <summary>Limits for uploaded audio, section <c>Jacameno:Assets</c>.</summary>
public sealed class AssetOptions
{
    public const string SectionName = "Jacameno:Assets";

    /// <summary>The largest upload in bytes. Default 1 GiB.</summary>
    public long MaxUploadBytes { get; set; } = 1L << 30;

    /// <summary>The longest audio in minutes; longer files (or files that decode longer than they claim) fail. Default 120.</summary>
    public int MaxMinutes { get; set; } = 120;

    /// <summary>How long decoding one file may take. Default 10 minutes.</summary>
    public TimeSpan DecodeTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Stored audio per user with the User role. Default 5 GiB.</summary>
    public long UserQuotaBytes { get; set; } = 5L << 30;

    /// <summary>Stored audio per Premium user. Default 100 GiB. Admins have no quota.</summary>
    public long PremiumQuotaBytes { get; set; } = 100L << 30;

    /// <summary>
    /// The most one DAWproject import may inflate to, all its audio together; checked against the archive's
    /// directory before inflating and enforced while inflating. Default 2 GiB.
    /// </summary>
    public long MaxImportBytes { get; set; } = 2L << 30;

    /// <summary>Files processed at once on one silo (ffmpeg and the meter are CPU-bound); the rest wait their turn. Default: cores.</summary>
    public int ProcessingPerSilo { get; set; } = Environment.ProcessorCount;

    /// <summary>Files of one user processed at once on one silo, so one import of many files leaves room for others. Default 2.</summary>
    public int ProcessingPerUser { get; set; } = 2;

    public long? QuotaFor(Jacameno.Users.UserRole role) => role switch
    {
        Jacameno.Users.UserRole.Admin => null,
        Jacameno.Users.UserRole.Premium => PremiumQuotaBytes,
        _ => UserQuotaBytes,
    };
}

public sealed class AssetOptionsValidator : IValidateOptions<AssetOptions>
{
    public ValidateOptionsResult Validate(string? name, AssetOptions o) => OptionChecks.Result(
        (o.MaxUploadBytes > 0, "Jacameno:Assets:MaxUploadBytes must be positive."),
        (o.MaxMinutes > 0, "Jacameno:Assets:MaxMinutes must be positive."),
        (o.DecodeTimeout > TimeSpan.Zero, "Jacameno:Assets:DecodeTimeout must be positive."),
        (o.UserQuotaBytes >= 0 && o.PremiumQuotaBytes >= 0, "Jacameno:Assets:UserQuotaBytes and PremiumQuotaBytes must not be negative."),
        (o.MaxImportBytes > 0, "Jacameno:Assets:MaxImportBytes must be positive."),
        (o.ProcessingPerSilo > 0 && o.ProcessingPerUser > 0, "Jacameno:Assets:ProcessingPerSilo and ProcessingPerUser must be positive."));
}
