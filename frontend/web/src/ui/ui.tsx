// Small pieces every page uses: errors in plain words, progress bars (also of jobs), async loading.
import { useCallback, useEffect, useState, type ReactNode } from "react";
import { api, ApiError, describe } from "../api/client";
import type { Job } from "../api/jobs";

export function ErrorText({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {describe(error)}
    </p>
  );
}

/** The reasons a problem's `errors` gives for one field of a form (the request's property name), beside that field. */
export function FieldError({ error, field, id }: { error: unknown; field: string; id?: string }) {
  const reasons = fieldReasons(error, field);
  if (reasons.length === 0) return null;
  return (
    <span className="error" role="alert" id={id}>
      {reasons.join(" ")}
    </span>
  );
}

/** A form's error, unless every reason in it is already shown beside one of `fields`. */
export function FormError({ error, fields }: { error: unknown; fields: string[] }) {
  const errors = error instanceof ApiError ? Object.keys(error.errors ?? {}) : [];
  if (errors.length > 0 && errors.every((f) => fields.some((name) => sameField(f, name)))) return null;
  return <ErrorText error={error} />;
}

function fieldReasons(error: unknown, field: string): string[] {
  if (!(error instanceof ApiError) || !error.errors) return [];
  return Object.entries(error.errors).flatMap(([name, reasons]) => (sameField(name, field) ? reasons : []));
}

// ASP.NET names a field as the request's property, camel-cased or not, and an item as "uris[0]".
const sameField = (name: string, field: string) => name.replace(/\[\d+\]$/, "").toLowerCase() === field.toLowerCase();

export function ProgressBar({ value, label }: { value: number; label: string }) {
  const percent = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
      <div className="progress-fill" style={{ width: `${percent}%` }} />
      <span>{percent}%</span>
    </div>
  );
}

/** Loads something on mount and when `deps` change; `reload` runs it again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);
  const reload = useCallback(() => {
    setState((s) => ({ ...s, loading: true }));
    run().then(
      (data) => setState({ data, loading: false }),
      (error) => setState({ error, loading: false }),
    );
  }, [run]);
  useEffect(reload, [reload]);
  return { ...state, reload };
}

export function Loading({ state, children }: { state: { loading: boolean; error?: unknown }; children: ReactNode }) {
  if (state.error) return <ErrorText error={state.error} />;
  if (state.loading) return <p className="muted">Loading…</p>;
  return <>{children}</>;
}

export const formatTime = (seconds: number) => {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};

export const formatMoney = (minor: number, currency: string) =>
  new Intl.NumberFormat(undefined, { style: "currency", currency }).format(minor / 100);

/** What a job is doing now: its stage, or its place in the owner's line while it waits for a free slot. */
export const jobStage = (job: Job | null) =>
  job?.queuePosition != null ? `Waiting for a free slot, number ${job.queuePosition} in line` : (job?.stage ?? "starting");

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
      <span className="muted">{done ? "Done." : `${jobStage(job)}…`}</span>
      <ErrorText error={cancelError} />
    </div>
  );
}
