using Jacameno.Common;
using Jacameno.Users;
using Microsoft.Extensions.Options;

namespace Jacameno.Jobs;

/// <summary>The job system's settings, section <c>Jacameno:Jobs</c> (docs/jobs.md).</summary>
public sealed class JobOptions
{
    public const string SectionName = "Jacameno:Jobs";

    /// <summary>Attempts a silo runs at once; more wait in line on it. 0 (default): one per core.</summary>
    public int WorkersPerSilo { get; set; }

    /// <summary>Attempts before a job whose worker keeps dying or erring fails with the last error. Default 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How often a worker tells its job it is alive and how far it got. Default 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Silence after which a job gives its attempt up for lost (its silo died) and starts another. Default 15 s.</summary>
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the durable reminder wakes an unfinished job whose silo died (a restart, a crash). Default 1 minute.</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest one attempt may run. Default 30 minutes.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The longest audio AI tools take, in minutes (decoded whole into memory). Default 20.</summary>
    public int MaxAudioMinutes { get; set; } = 20;

    public int UserJobsPerDay { get; set; } = 100;

    public int UserConcurrentJobs { get; set; } = 2;

    public int PremiumJobsPerDay { get; set; } = 1000;

    public int PremiumConcurrentJobs { get; set; } = 8;

    public int Workers => WorkersPerSilo > 0 ? WorkersPerSilo : Environment.ProcessorCount;

    /// <summary>Admins have no limits.</summary>
    public JobLimits LimitsFor(UserRole role) => role switch
    {
        UserRole.Admin => new JobLimits(null, null),
        UserRole.Premium => new JobLimits(PremiumJobsPerDay, PremiumConcurrentJobs),
        _ => new JobLimits(UserJobsPerDay, UserConcurrentJobs),
    };
}

public sealed class JobOptionsValidator : IValidateOptions<JobOptions>
{
    public ValidateOptionsResult Validate(string? name, JobOptions o) => OptionChecks.Result(
        (o.WorkersPerSilo >= 0, "Jacameno:Jobs:WorkersPerSilo must not be negative (0: one per core)."),
        (o.MaxAttempts > 0, "Jacameno:Jobs:MaxAttempts must be positive."),
        (o.HeartbeatInterval > TimeSpan.Zero && o.HeartbeatInterval < o.LeaseTimeout,
            "Jacameno:Jobs:HeartbeatInterval must be positive and shorter than LeaseTimeout, or every job looks lost."),
        (o.ReminderPeriod > TimeSpan.Zero, "Jacameno:Jobs:ReminderPeriod must be positive."),
        (o.AttemptTimeout > TimeSpan.Zero, "Jacameno:Jobs:AttemptTimeout must be positive."),
        (o.MaxAudioMinutes > 0, "Jacameno:Jobs:MaxAudioMinutes must be positive."),
        (o.UserJobsPerDay > 0 && o.UserConcurrentJobs > 0 && o.PremiumJobsPerDay > 0 && o.PremiumConcurrentJobs > 0,
            "Jacameno:Jobs: the per-user limits must be positive."));
}
