using System.Text.Json;
using Jacameno.Assets;
using Jacameno.Jobs;

namespace Jacameno.Frontend.Jobs;

/// <summary>POST /api/projects/{id}/renders. Defaults: WAV, the project's rate, 24-bit, no stems, MP3 V0.</summary>
public sealed record RenderRequest(AudioFileFormat? Format, int? SampleRate, int? BitDepth, bool? Stems, string? Mp3, long? Version);

public sealed record JobResultResponse(IReadOnlyDictionary<string, Guid> Outputs, JsonElement Report);

/// <summary>
/// A job as the API shows it; input and report are JSON objects whose shape depends on the kind (docs/jobs.md).
/// <see cref="QueuePosition"/>: while the job waits for one of its owner's slots of jobs at once, its place in line (1 = next).
/// </summary>
public sealed record JobResponse(
    Guid Id,
    JobKind Kind,
    JobStatus Status,
    int Progress,
    string Stage,
    JsonElement Input,
    JobResultResponse? Result,
    int Attempts,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int? QueuePosition)
{
    public static JobResponse From(JobInfo job) => new(job.Id, job.Kind, job.Status, job.Progress, job.Stage, Parse(job.InputJson),
        job.Result is { } r ? new JobResultResponse(r.Outputs, Parse(r.ReportJson)) : null,
        job.Attempts, job.Error, job.CreatedAt, job.StartedAt, job.FinishedAt, job.QueuePosition);

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
