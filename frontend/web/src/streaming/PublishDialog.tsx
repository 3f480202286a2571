// Publishing a project (its current version's mix) as a release, from the editor: the details, then the
// release job's progress while the server mixes, normalizes and encodes it, then a link to the release.
import { useEffect, useId, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { api } from "../api/client";
import { useJob } from "../api/jobs";
import type { Schema } from "../api/types";
import { ErrorText, jobStage, ProgressBar } from "../ui/ui";
import { maxTags, parseTags, publishBody, type PublishFields } from "./publish";
import type { Release } from "./types";

const visibilities = [
  { value: "public", label: "Public: listed for everyone" },
  { value: "unlisted", label: "Unlisted: whoever has the link" },
  { value: "private", label: "Private: only you" },
] as const;

export function PublishDialog({ projectId, onClose }: { projectId: string; onClose: () => void }) {
  const headingId = useId();
  const [published, setPublished] = useState<{ release: Release; jobId: string } | null>(null);

  useEffect(() => {
    const closeOnEscape = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", closeOnEscape);
    return () => window.removeEventListener("keydown", closeOnEscape);
  }, [onClose]);

  return (
    <div className="dialog-backdrop">
      <div className="card dialog stack" role="dialog" aria-modal="true" aria-labelledby={headingId}>
        <h2 id={headingId}>Publish as a release</h2>
        {published ? <PublishProgress release={published.release} jobId={published.jobId} /> : <PublishForm projectId={projectId} onPublished={setPublished} />}
        <div className="row">
          <button className="secondary" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

function PublishForm({ projectId, onPublished }: { projectId: string; onPublished: (p: { release: Release; jobId: string }) => void }) {
  const [fields, setFields] = useState<PublishFields>({ title: "", genre: "", tags: "", visibility: "public", description: "" });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set = (field: keyof PublishFields) => (e: { target: { value: string } }) => setFields((f) => ({ ...f, [field]: e.target.value }));
  const tooManyTags = parseTags(fields.tags).length > maxTags;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onPublished(await api.post<Schema<"PublishResponse">>("/api/releases", publishBody(projectId, fields)));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit}>
      <label>
        Title
        <input value={fields.title} onChange={set("title")} required maxLength={200} autoFocus />
      </label>
      <label>
        Genre
        <input value={fields.genre} onChange={set("genre")} maxLength={50} placeholder="house, lo-fi, drum & bass…" />
      </label>
      <label>
        Tags
        <input value={fields.tags} onChange={set("tags")} placeholder="Separated by commas, at most 10" />
      </label>
      {tooManyTags && <ErrorText error={new Error(`At most ${maxTags} tags.`)} />}
      <label>
        Visibility
        <select value={fields.visibility} onChange={set("visibility")}>
          {visibilities.map((v) => (
            <option key={v.value} value={v.value}>
              {v.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Description
        <textarea value={fields.description} onChange={set("description")} maxLength={5000} rows={4} />
      </label>
      <ErrorText error={error} />
      <button type="submit" disabled={busy || tooManyTags || fields.title.trim() === ""}>
        Publish
      </button>
    </form>
  );
}

function PublishProgress({ release, jobId }: { release: Release; jobId: string }) {
  const job = useJob(jobId);
  const done = job?.status === "succeeded";
  return (
    <div className="stack">
      <p>
        Publishing <strong>{release.title}</strong>
        {job && !done ? <span className="muted"> — {jobStage(job)}</span> : null}
      </p>
      <ProgressBar value={done ? 100 : (job?.progress ?? 0)} label="Publishing" />
      {job?.status === "failed" && <ErrorText error={new Error(job.error ?? "The release could not be made.")} />}
      {job?.status === "cancelled" && <ErrorText error={new Error("The release job was cancelled.")} />}
      {done && (
        <p className="ok">
          It is out. <Link to={`/releases/${release.id}`}>Open release</Link>
        </p>
      )}
    </div>
  );
}
