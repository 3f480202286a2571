// The studio's front page: my projects and those shared with me (paged), create, rename, delete, and
// open one in the editor. Invitations live in the editor's People panel.
import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { api, query } from "../api/client";
import type { Schema } from "../api/types";
import { usePaged } from "../api/usePaged";
import { ErrorText } from "../ui/ui";

type ProjectSummary = Schema<"ProjectListing">;

export function ProjectsPage() {
  const navigate = useNavigate();
  const [scope, setScope] = useState<"owned" | "shared">("owned");
  const [error, setError] = useState<unknown>(null);
  const projects = usePaged<ProjectSummary>(`/api/projects${query({ scope, first: 50 })}`);

  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    try {
      const project = await api.post<Schema<"ProjectDocument">>("/api/projects", { name: form.get("name"), tempo: Number(form.get("tempo")) || undefined });
      navigate(`/projects/${project.id}`);
    } catch (err) {
      setError(err);
    }
  };

  const rename = async (p: ProjectSummary) => {
    const name = window.prompt("New name", p.name);
    if (!name || name === p.name) return;
    await api.patch(`/api/projects/${p.id}`, { name }).then(projects.reload, setError);
  };

  const remove = async (p: ProjectSummary) => {
    if (!window.confirm(`Delete “${p.name}” for everyone? This cannot be undone.`)) return;
    await api.delete(`/api/projects/${p.id}`).then(projects.reload, setError);
  };

  return (
    <main className="page">
      <h1>Studio</h1>
      <form onSubmit={create} className="row card">
        <label>
          New project name
          <input name="name" required maxLength={100} placeholder="My next song" />
        </label>
        <label>
          Tempo
          <input name="tempo" type="number" min={20} max={999} defaultValue={120} style={{ width: 80 }} />
        </label>
        <button type="submit">Create project</button>
      </form>
      <ErrorText error={error} />
      <div className="tabs" role="tablist" style={{ marginTop: "1rem" }}>
        <button role="tab" aria-selected={scope === "owned"} onClick={() => setScope("owned")}>My projects</button>
        <button role="tab" aria-selected={scope === "shared"} onClick={() => setScope("shared")}>Shared with me</button>
      </div>
      <ErrorText error={projects.error} />
      {projects.loading && projects.items.length === 0 ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          {projects.items.length === 0 && !projects.error && (
            <p className="muted">{scope === "owned" ? "No projects yet: create one above." : "Nobody has shared a project with you yet."}</p>
          )}
          <ul className="list">
            {projects.items.map((p) => (
              <li key={p.id} className="row">
                <Link to={`/projects/${p.id}`}>{p.name}</Link>
                <span className="spacer" />
                {scope === "owned" && (
                  <>
                    <button className="link" onClick={() => void rename(p)} aria-label={`Rename ${p.name}`}>Rename</button>
                    <button className="link" onClick={() => void remove(p)} aria-label={`Delete ${p.name}`}>Delete</button>
                  </>
                )}
              </li>
            ))}
          </ul>
          {projects.hasMore && !projects.loading && (
            <button className="secondary" onClick={projects.loadMore}>
              Load more
            </button>
          )}
        </>
      )}
    </main>
  );
}
