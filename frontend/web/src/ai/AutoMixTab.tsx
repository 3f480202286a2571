// Auto-mix tab: measures every audio track of the project and proposes levels, pans, filters and a glue
// compressor; the proposal is listed in words and applied as the caller's own ops on request (so each
// change reaches collaborators live and can be undone like any edit).
import { useState } from "react";
import { api } from "../api/client";
import { useStartedJob } from "../api/jobs";
import type { Schema } from "../api/types";
import { ErrorText, JobProgress } from "../ui/ui";
import { applySummary, describeMixOp, fixed, mixOpBatches, type MixReport, type OpAck } from "./report";
import { reportOf } from "./shared";

export function AutoMixTab({ projectId }: { projectId: string }) {
  const { job, jobId, start, running, error } = useStartedJob();
  const report = reportOf<MixReport>(job);

  return (
    <div className="stack">
      <p className="muted">
        Renders each audio track alone, measures it and proposes a balanced starting mix. Nothing changes until you apply it.
      </p>
      <button type="button" disabled={running} onClick={() => void start("/api/ai/mix", { projectId })}>
        Propose a mix
      </button>
      <ErrorText error={error} />
      <JobProgress job={job} jobId={jobId} label="Auto-mix" />
      {report && jobId && <MixProposal key={jobId} jobId={jobId} projectId={projectId} report={report} />}
    </div>
  );
}

function MixProposal({ jobId, projectId, report }: { jobId: string; projectId: string; report: MixReport }) {
  const [applying, setApplying] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const trackNames = new Map(report.tracks.map((track) => [track.trackId, track.name]));

  const apply = async () => {
    setApplying(true);
    setError(null);
    try {
      const acks: OpAck[] = [];
      for (const ops of mixOpBatches(jobId, report.version, report.ops)) {
        acks.push(...(await api.post<Schema<"SubmitOpsResponse">>(`/api/projects/${projectId}/ops`, { ops })).acks);
      }
      setOutcome(applySummary(acks));
    } catch (reason) {
      setError(reason);
    } finally {
      setApplying(false);
    }
  };

  if (report.tracks.length === 0) return <p className="muted">The project has no audio tracks to mix.</p>;
  return (
    <section className="stack">
      <h3>Measured (version {report.version})</h3>
      <table className="ai-table">
        <thead>
          <tr>
            <th scope="col">Track</th>
            <th scope="col">Role</th>
            <th scope="col">Loudness</th>
          </tr>
        </thead>
        <tbody>
          {report.tracks.map((track) => (
            <tr key={track.trackId}>
              <th scope="row">{track.name}</th>
              <td>{track.role ?? "—"}</td>
              <td>{fixed(track.loudnessLufs, 1, "LUFS")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">Each track is brought to {fixed(report.targetTrackLufs, 1, "LUFS")}.</p>
      <h3>Proposed changes</h3>
      {report.ops.length === 0 ? (
        <p>The mix is already balanced; nothing to change.</p>
      ) : (
        <>
          <ol className="ai-plain-list">
            {report.ops.map((op, index) => (
              <li key={index}>{describeMixOp(op, trackNames)}</li>
            ))}
          </ol>
          <div className="row">
            <button type="button" onClick={() => void apply()} disabled={applying || outcome !== null}>
              {applying ? "Applying…" : "Apply changes"}
            </button>
            {outcome && <span className="ok">{outcome} Undo takes them back one by one.</span>}
          </div>
          <ErrorText error={error} />
        </>
      )}
    </section>
  );
}
