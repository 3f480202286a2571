namespace Jacameno.Projects;

/// <summary>Limits that keep one project, one op and one batch bounded.</summary>
public static class ProjectLimits
{
    public const int MaxTracks = 200;
    public const int MaxClipsPerTrack = 5_000;
    public const int MaxNotesPerClip = 10_000;
    public const int MaxEffectsPerChain = 32;
    public const int MaxParameters = 64;

    /// <summary>Tempo changes of one project (the op carries them all).</summary>
    public const int MaxTempoChanges = 1_000;

    /// <summary>Samples of one sampler or drum machine.</summary>
    public const int MaxZones = 128;

    /// <summary>Points in one automation lane (the op carries the whole lane, within <see cref="MaxPayloadChars"/>).</summary>
    public const int MaxAutomationPoints = 1_000;

    /// <summary>Sends of one track.</summary>
    public const int MaxSends = 16;

    /// <summary>Automation lanes on one track or the master.</summary>
    public const int MaxAutomationLanes = 64;

    /// <summary>A plugin's saved state, in base64 characters (it travels in one op).</summary>
    public const int MaxPluginStateChars = 48 * 1024;
    public const int MaxComments = 5_000;
    public const int MaxReplies = 200;
    public const int MaxBatch = 100;
    public const int MaxPayloadChars = 64 * 1024;
    public const int MaxNameLength = 100;
    public const int MaxTextLength = 2_000;

    /// <summary>Positions and lengths stay under 24 hours at 48 kHz.</summary>
    public const long MaxSamples = 48_000L * 60 * 60 * 24;
}
