// Time and pitch of the selected audio clip: the tempo it was played at (the clip then follows the project's; Detect
// finds it by analysis), a transposition in semitones and cents, and whether a voice keeps its formants. One
// clip.stretch op sets them all; renders stretch with Rubber Band, the studio with its own stretcher.
import { useEffect, useState, type FormEvent } from "react";
import { describe } from "../api/client";
import { useStartedJob } from "../api/jobs";
import type { AnalysisReport } from "../ai/report";
import { reportOf } from "../ai/shared";
import type { Clip, Project } from "./model";
import type { OpDraft } from "./session";

interface Props {
  project: Project;
  clip: Clip;
  canEdit: boolean;
  onEdit: (op: OpDraft) => void;
}

/** The tempo analysis finds a clip played at: a loop's exact one (from its length) where it is one, else the estimate. */
export const detectedTempo = (report: AnalysisReport): number | null => report.loop?.bpm ?? report.tempoBpm;

/** The op for the form's values, or the reason they cannot be sent. */
export function stretchOp(clipId: string, sourceTempo: string, transpose: string, cents: string, preserveFormants: boolean): OpDraft | string {
  const tempo = sourceTempo.trim() === "" ? null : Number(sourceTempo);
  const [semitones, hundredths] = [Number(transpose || 0), Number(cents || 0)];
  if (tempo !== null && !(tempo >= 20 && tempo <= 400)) return "The source tempo is 20 to 400 BPM, or empty to play the clip as recorded.";
  if (!Number.isInteger(semitones) || semitones < -24 || semitones > 24) return "Transpose is a whole number of semitones from -24 to 24.";
  if (!Number.isInteger(hundredths) || hundredths < -100 || hundredths > 100) return "Cents are a whole number from -100 to 100.";
  return { kind: "clip.stretch", payload: { clipId, sourceTempo: tempo, transpose: semitones, cents: hundredths, preserveFormants } };
}

export function ClipStretch({ project, clip, canEdit, onEdit }: Props) {
  const [tempo, setTempo] = useState("");
  const [transpose, setTranspose] = useState("0");
  const [cents, setCents] = useState("0");
  const [formants, setFormants] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const detection = useStartedJob();
  const detected = reportOf<AnalysisReport>(detection.job);
  useEffect(() => {
    if (!detected) return;
    const bpm = detectedTempo(detected);
    if (bpm === null) setError("No steady tempo was found in this clip's audio.");
    else setTempo(String(Math.round(bpm * 1000) / 1000));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [detection.job?.id, detected !== null]);
  useEffect(() => {
    setTempo(clip.sourceTempo == null ? "" : String(clip.sourceTempo));
    setTranspose(String(clip.transpose));
    setCents(String(clip.cents));
    setFormants(clip.preserveFormants);
    setError(null);
  }, [clip.id, clip.sourceTempo, clip.transpose, clip.cents, clip.preserveFormants]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const op = stretchOp(clip.id, tempo, transpose, cents, formants);
    if (typeof op === "string") setError(op);
    else {
      setError(null);
      onEdit(op);
    }
  };

  return (
    <form className="row clip-stretch" onSubmit={submit} aria-label="Time and pitch of the clip">
      <label>
        Played at (BPM)
        <input type="number" min={20} max={400} step="any" value={tempo} placeholder="as recorded" disabled={!canEdit} onChange={(e) => setTempo(e.target.value)} />
      </label>
      {canEdit && clip.assetId && (
        <button type="button" className="secondary small" disabled={detection.running}
          onClick={() => void detection.start("/api/ai/analysis", { assetId: clip.assetId })}>
          {detection.running ? "Detecting…" : "Detect"}
        </button>
      )}
      <span className="muted">{tempo.trim() ? `follows the project's ${project.tempo} BPM` : "plays as recorded"}</span>
      <label>
        Transpose
        <input type="number" min={-24} max={24} step={1} value={transpose} disabled={!canEdit} onChange={(e) => setTranspose(e.target.value)} />
      </label>
      <label>
        Cents
        <input type="number" min={-100} max={100} step={1} value={cents} disabled={!canEdit} onChange={(e) => setCents(e.target.value)} />
      </label>
      <label>
        <input type="checkbox" checked={formants} disabled={!canEdit} onChange={(e) => setFormants(e.target.checked)} /> Keep formants
      </label>
      {canEdit && <button type="submit" className="secondary small">Apply</button>}
      {error && <p className="error" role="alert">{error}</p>}
      {detection.error !== null && <p className="error" role="alert">{describe(detection.error)}</p>}
      {detection.job?.status === "failed" && <p className="error" role="alert">{detection.job.error ?? "The analysis failed."}</p>}
    </form>
  );
}
