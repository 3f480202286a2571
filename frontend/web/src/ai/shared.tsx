// What the AI panel's tabs share: starting a job and following it live, its progress bar and failure in
// plain words, asset pickers, figure lists, and audio assets turned into blob URLs (an <audio> element
// cannot send the bearer token that /api/assets/{id}/audio needs).
import { useEffect, useState, type ReactNode } from "react";
import { api, request } from "../api/client";
import { finished, useJob, type Job } from "../api/jobs";
import { ErrorText, ProgressBar } from "../ui/ui";
import type { Figure } from "./report";

export interface AssetChoice {
  id: string;
  fileName: string;
}

/** Starts an AI job and follows it; `job` is the latest job started (null before the first read). */
export function useAiJob() {
  const [jobId, setJobId] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const live = useJob(jobId);
  const job = live?.id === jobId ? live : null;

  const start = async (path: string, body: unknown) => {
    setError(null);
    setStarting(true);
    try {
      setJobId((await api.post<Job>(path, body)).id);
    } catch (reason) {
      setError(reason);
    } finally {
      setStarting(false);
    }
  };

  const running = starting || (jobId !== null && (job === null || !finished(job)));
  return { job, jobId, start, running, error };
}

/** A form's fields in one state; `set("field")` makes the change handler of that field. */
export function useForm<T extends object>(initial: T) {
  const [form, setForm] = useState(initial);
  const set =
    <K extends keyof T>(field: K) =>
    (value: T[K]) =>
      setForm((old) => ({ ...old, [field]: value }));
  return [form, set] as const;
}

/** The report of a job that succeeded, typed as the caller expects; null otherwise. */
export function reportOf<T>(job: Job | null): T | null {
  return job?.status === "succeeded" && job.result ? (job.result.report as T) : null;
}

/** A job's live progress with its stage and a Cancel button, full once done, or why it failed. */
export function JobProgress({ job, jobId, label }: { job: Job | null; jobId: string | null; label: string }) {
  const [cancelError, setCancelError] = useState<unknown>(null);
  if (!jobId) return null;
  if (job?.status === "failed") return <ErrorText error={new Error(job.error ?? `${label} failed.`)} />;
  if (job?.status === "cancelled") return <p className="muted">{label} was cancelled.</p>;
  const done = job?.status === "succeeded";
  const cancel = () => api.delete(`/api/jobs/${jobId}`).then(() => setCancelError(null), setCancelError);
  return (
    <div className="stack ai-job">
      <div className="row">
        <div className="ai-job-bar">
          <ProgressBar value={done ? 100 : (job?.progress ?? 0)} label={label} />
        </div>
        {!done && (
          <button type="button" className="secondary small" onClick={cancel}>
            Cancel
          </button>
        )}
      </div>
      <span className="muted">{done ? "Done." : `${job?.stage ?? "starting"}…`}</span>
      <ErrorText error={cancelError} />
    </div>
  );
}

/** The chosen asset while it is still among `assets` (the project's audio can change), else `fallback`. */
export function stillListed(assetId: string, assets: AssetChoice[], fallback: string): string {
  return assets.some((asset) => asset.id === assetId) ? assetId : fallback;
}

/** A labelled select of the project's audio; `children` come first (e.g. "None"). */
export function AssetSelect(props: {
  label: string;
  assets: AssetChoice[];
  value: string;
  onChange: (value: string) => void;
  children?: ReactNode;
}) {
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        {props.children}
        {props.assets.map((asset) => (
          <option key={asset.id} value={asset.id}>
            {asset.fileName}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Figures({ figures }: { figures: Figure[] }) {
  return (
    <dl className="ai-figures">
      {figures.map((figure) => (
        <div key={figure.label}>
          <dt>{figure.label}</dt>
          <dd>{figure.value}</dd>
        </div>
      ))}
    </dl>
  );
}

async function assetBlob(assetId: string): Promise<Blob> {
  return (await request(`/api/assets/${assetId}/audio`)).blob();
}

/** An asset's audio as a blob URL for an <audio> element, revoked when no longer shown. */
export function useAssetAudio(assetId: string | undefined) {
  const [state, setState] = useState<{ url?: string; error?: unknown }>({});
  useEffect(() => {
    setState({});
    if (!assetId) return;
    let url: string | undefined;
    let current = true;
    assetBlob(assetId).then(
      (blob) => {
        if (!current) return;
        url = URL.createObjectURL(blob);
        setState({ url });
      },
      (error) => current && setState({ error }),
    );
    return () => {
      current = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [assetId]);
  return state;
}

/** Saves an asset's audio as a file on the person's machine. */
export async function downloadAsset(assetId: string, fileName: string) {
  const url = URL.createObjectURL(await assetBlob(assetId));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
