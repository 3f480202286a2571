// The caller's audio files (uploads, renders, purchases kept in the library), newest first: any ready one is
// placed at the playhead, on the selected audio track or a new one, as dropping it would.
import { api, type Page } from "../api/client";
import type { Asset } from "../api/jobs";
import { formatTime, Loading, useLoad } from "../ui/ui";

export function LibraryPanel({ canEdit, onPlace }: { canEdit: boolean; onPlace: (asset: Asset) => void }) {
  const state = useLoad(() => api.get<Page<Asset>>("/api/assets?first=50"), []);
  return (
    <section aria-label="My audio">
      <div className="row">
        <h3>My audio</h3>
        <button className="link" onClick={state.reload}>Refresh</button>
      </div>
      <Loading state={state}>
        {state.data?.items.length === 0 && <p className="muted">Files you upload, render or buy appear here.</p>}
        <ul className="list">
          {state.data?.items.map((a) => (
            <li key={a.id} className="row">
              <span title={a.fileName}>{a.fileName}</span>
              <span className="muted">{a.status === "ready" ? formatTime(a.durationSeconds ?? 0) : a.status}</span>
              {canEdit && (
                <button className="secondary small" disabled={a.status !== "ready"} onClick={() => onPlace(a)} aria-label={`Place ${a.fileName}`}>
                  Place
                </button>
              )}
            </li>
          ))}
        </ul>
      </Loading>
    </section>
  );
}
