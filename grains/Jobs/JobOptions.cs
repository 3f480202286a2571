using Jacameno.Users;

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

/// <summary>This silo's worker slots: a burst of jobs waits here instead of overloading the silo.</summary>
public sealed class JobSlots(Microsoft.Extensions.Options.IOptions<JobOptions> options)
{
    private readonly SemaphoreSlim slots = new(options.Value.Workers, options.Value.Workers);

    public async Task<IDisposable> TakeAsync(CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken);
        return new Slot(slots);
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
