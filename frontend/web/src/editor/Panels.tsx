// The editor's side panels: timeline comments, version history (undo/redo, snapshots, restore, fork),
// sharing (collaborators and invitations) and export (render with a progress bar, then download; or the mix as
// the browser plays it, rendered in the page).
import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { api } from "../api/client";
import { downloadAsset, saveBlob, useStartedJob } from "../api/jobs";
import type { Schema } from "../api/types";
import { ErrorText, formatTime, JobProgress, useLoad } from "../ui/ui";
import type { Project, Role } from "./model";
import { bounce } from "./playback";
import { wavOf } from "./wav";
import type { OpDraft } from "./session";

export interface PanelProps {
  project: Project;
  role: Role;
  /** The playhead now, in samples. */
  position: () => number;
  names: (userId: string) => string;
  onEdit: (op: OpDraft) => void;
}

export function CommentsPanel({ project, role, position, names, onEdit }: PanelProps) {
  const [text, setText] = useState("");
  const [replyTo, setReplyTo] = useState<string | null>(null);
  const canComment = role !== "viewer";
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    onEdit({ kind: "comment.add", payload: { text, position: Math.round(position()), ...(replyTo ? { replyTo } : {}) } });
    setText("");
    setReplyTo(null);
  };
  const comments = [...project.comments].sort((a, b) => a.position - b.position);
  return (
    <section aria-label="Comments">
      <h3>Comments</h3>
      <ul className="list">
        {comments.map((c) => (
          <li key={c.id} className={c.resolved ? "muted" : ""}>
            <div className="row">
              <strong>{names(c.authorId)}</strong>
              <span className="muted">at {formatTime(c.position / project.sampleRate)}</span>
              {c.resolved && <span className="ok">resolved</span>}
            </div>
            <p>{c.text}</p>
            {c.replies.map((r) => (
              <p key={r.id} style={{ marginLeft: "1rem" }}>
                <strong>{names(r.authorId)}</strong> {r.text}
              </p>
            ))}
            {canComment && (
              <div className="row">
                <button className="link" onClick={() => setReplyTo(c.id)}>Reply</button>
                <button className="link" onClick={() => onEdit({ kind: "comment.resolve", payload: { commentId: c.id, resolved: !c.resolved } })}>
                  {c.resolved ? "Reopen" : "Resolve"}
                </button>
                <button className="link" onClick={() => onEdit({ kind: "comment.delete", payload: { commentId: c.id } })}>Delete</button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {canComment && (
        <form onSubmit={submit} className="stack">
          <label>
            {replyTo ? "Reply" : "Comment at the playhead"}
            <textarea value={text} onChange={(e) => setText(e.target.value)} maxLength={2000} rows={2} />
          </label>
          <div className="row">
            <button type="submit">{replyTo ? "Reply" : "Comment"}</button>
            {replyTo && <button type="button" className="secondary" onClick={() => setReplyTo(null)}>Cancel</button>}
          </div>
        </form>
      )}
    </section>
  );
}

export function HistoryPanel({ project, role, onEdit }: PanelProps) {
  const navigate = useNavigate();
  const snapshots = useLoad(() => api.get<Schema<"NamedSnapshot">[]>(`/api/projects/${project.id}/snapshots`), [project.id]);
  const list = snapshots.data ?? [];
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState("");
  const canEdit = role === "owner" || role === "editor";
  const act = (f: () => Promise<unknown>) => () => void f().then(() => setError(null), setError);
  return (
    <section aria-label="History">
      <h3>History</h3>
      {canEdit && (
        <div className="row">
          <button className="secondary" onClick={() => onEdit({ kind: "undo", payload: {} })} title="Ctrl+Z">Undo</button>
          <button className="secondary" onClick={() => onEdit({ kind: "redo", payload: {} })} title="Ctrl+Shift+Z">Redo</button>
        </div>
      )}
      {canEdit && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            act(async () => {
              await api.post(`/api/projects/${project.id}/snapshots`, { name });
              setName("");
              snapshots.reload();
            })();
          }}
        >
          <input aria-label="Snapshot name" placeholder={`Version ${project.version}`} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
          <button type="submit" className="small">Save version</button>
        </form>
      )}
      <ErrorText error={error ?? snapshots.error} />
      <ul className="list">
        {list.map((s) => (
          <li key={`${s.version}-${s.name}`}>
            <div className="row">
              <strong>{s.name}</strong>
              <span className="muted">v{s.version}</span>
            </div>
            <div className="row">
              {canEdit && <button className="link" onClick={act(() => api.post(`/api/projects/${project.id}/versions/${s.version}/restore`))}>Restore</button>}
              <button
                className="link"
                onClick={act(async () => {
                  const fork = await api.post<Schema<"ProjectDocument">>(`/api/projects/${project.id}/fork`, { version: s.version, name: `${project.name} (${s.name})` });
                  navigate(`/projects/${fork.id}`);
                })}
              >
                Fork
              </button>
            </div>
          </li>
        ))}
      </ul>
      <button
        className="secondary"
        onClick={act(async () => {
          const fork = await api.post<Schema<"ProjectDocument">>(`/api/projects/${project.id}/fork`, { name: `${project.name} (fork)` });
          navigate(`/projects/${fork.id}`);
        })}
      >
        Fork this version
      </button>
    </section>
  );
}

export function SharePanel({ project, role, names }: PanelProps) {
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState("");
  const owner = role === "owner";
  const invite = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get("email"));
    api.post(`/api/projects/${project.id}/invitations`, { email, role: form.get("role") }).then(() => {
      setError(null);
      setDone(`Invitation sent to ${email}: they join when they open the link with that address.`);
    }, setError);
  };
  return (
    <section aria-label="Share">
      <h3>People</h3>
      <ul className="list">
        {project.collaborators.map((c) => (
          <li key={c.userId} className="row">
            <span>{names(c.userId)}</span>
            <span className="muted">{c.role}</span>
            <span className="spacer" />
            {owner && c.role !== "owner" && (
              <button className="link" onClick={() => void api.delete(`/api/projects/${project.id}/collaborators/${c.userId}`).catch(setError)}>Remove</button>
            )}
          </li>
        ))}
      </ul>
      {owner && (
        <form onSubmit={invite} className="stack">
          <label>
            Invite by email
            <input name="email" type="email" required />
          </label>
          <label>
            Role
            <select name="role" defaultValue="editor">
              <option value="editor">Editor</option>
              <option value="commenter">Commenter</option>
              <option value="viewer">Viewer</option>
            </select>
          </label>
          <button type="submit">Invite</button>
        </form>
      )}
      <ErrorText error={error} />
      {done && <p className="ok">{done}</p>}
    </section>
  );
}

export function ExportPanel({ project }: PanelProps) {
  const [format, setFormat] = useState("wav");
  const [error, setError] = useState<unknown>(null);
  const { job, jobId, start, running, error: startError } = useStartedJob();
  const mix = job?.status === "succeeded" ? job.result?.outputs.mix : undefined;
  const [bouncing, setBouncing] = useState(false);
  // The browser's own mix, in seconds rather than a job's wait: built-in effects and lanes, but no hosted plugins.
  const mixHere = async () => {
    setBouncing(true);
    try {
      saveBlob(wavOf(await bounce(project)), `${project.name} (browser mix).wav`);
    } catch (e) {
      setError(e);
    } finally {
      setBouncing(false);
    }
  };
  return (
    <section aria-label="Export">
      <h3>Export</h3>
      <div className="row">
        <select aria-label="Format" value={format} onChange={(e) => setFormat(e.target.value)}>
          {["wav", "flac", "mp3", "opus", "aac"].map((f) => (
            <option key={f} value={f}>{f.toUpperCase()}</option>
          ))}
        </select>
        <button onClick={() => void start(`/api/projects/${project.id}/renders`, { format })} disabled={running}>Render</button>
        <button className="secondary" onClick={() => void mixHere()} disabled={bouncing} title="The mix as the studio plays it, made in this browser; hosted plugins are left out">
          {bouncing ? "Mixing…" : "Mix in the browser"}
        </button>
      </div>
      <JobProgress job={job} jobId={jobId} label="Rendering" />
      {mix && (
        <button className="secondary" onClick={() => void downloadAsset(mix, `${project.name}.${format === "aac" ? "m4a" : format}`).catch(setError)}>
          Download the mix
        </button>
      )}
      <ErrorText error={error ?? startError} />
    </section>
  );
}
