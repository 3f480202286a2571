// The loop library beside the arrangement: free loops and one-shots, browsed by instrument, kind, key and tempo;
// heard in time with the project; dragged onto a track, or added at the playhead, already following its tempo.
import { useState } from "react";
import { api, query, type Page } from "../api/client";
import { musicalKeys } from "../streaming/search";
import { formatTime, Loading, useLoad } from "../ui/ui";
import { instruments, loopDragType, type Loop } from "./loops";
import type { Project } from "./model";
import { tempoMap } from "./tempo";

/** How far from the project's tempo "near" reaches: a tenth either way, which the stretcher hides well. */
const near = 0.1;

export interface LoopFilters {
  q: string;
  instrument: string;
  kind: string;
  key: string;
  nearTempo: boolean;
}

/** The library search for the filters, at the project's tempo where "near" is asked. */
export function loopsQuery(f: LoopFilters, tempo: number): string {
  return query({
    q: f.q.trim(), instrument: f.instrument, kind: f.kind, key: f.key, first: 50,
    bpmMin: f.nearTempo ? Math.round(tempo * (1 - near)) : null, bpmMax: f.nearTempo ? Math.round(tempo * (1 + near)) : null,
  });
}

interface Props {
  project: Project;
  canEdit: boolean;
  position: () => number;
  /** The loop being heard, if any. */
  auditioning: string | null;
  onAudition: (loop: Loop | null) => void;
  onAdd: (loop: Loop) => void;
}

export function LoopBrowser({ project, canEdit, position, auditioning, onAudition, onAdd }: Props) {
  const [filters, setFilters] = useState<LoopFilters>({ q: "", instrument: "", kind: "", key: "", nearTempo: false });
  const tempo = Math.round(tempoMap(project).tempoAt(position()));
  const search = loopsQuery(filters, tempo);
  const state = useLoad(() => api.get<Page<Loop>>(`/api/loops${search}`), [search]);
  const set = (change: Partial<LoopFilters>) => setFilters((f) => ({ ...f, ...change }));
  return (
    <section aria-label="Loops">
      <div className="form loop-filters">
        <input type="search" placeholder="Search loops" aria-label="Search loops" value={filters.q} onChange={(e) => set({ q: e.target.value })} />
        <select aria-label="Instrument" value={filters.instrument} onChange={(e) => set({ instrument: e.target.value })}>
          <option value="">Any instrument</option>
          {instruments.map((i) => <option key={i} value={i}>{i}</option>)}
        </select>
        <select aria-label="Kind" value={filters.kind} onChange={(e) => set({ kind: e.target.value })}>
          <option value="">Loops and one-shots</option>
          <option value="loop">Loops</option>
          <option value="one-shot">One-shots</option>
        </select>
        <select aria-label="Key" value={filters.key} onChange={(e) => set({ key: e.target.value })}>
          <option value="">Any key</option>
          {musicalKeys.map((k) => <option key={k} value={k}>{k}</option>)}
        </select>
        <label className="row">
          <input type="checkbox" checked={filters.nearTempo} onChange={(e) => set({ nearTempo: e.target.checked })} /> Near {tempo} BPM
        </label>
      </div>
      <Loading state={state}>
        {state.data?.items.length === 0 && <p className="muted">No loops match. Free sample packs marked for the library appear here.</p>}
        <ul className="list">
          {state.data?.items.map((loop) => (
            <li
              key={loop.id}
              className="row"
              draggable={canEdit}
              onDragStart={(e) => {
                e.dataTransfer.setData(loopDragType, JSON.stringify(loop));
                e.dataTransfer.effectAllowed = "copy";
              }}
              title={`${loop.pack} by ${loop.seller}`}
            >
              <button
                className="secondary small"
                aria-label={`${auditioning === loop.id ? "Stop" : "Hear"} ${loop.name}`}
                onClick={() => onAudition(auditioning === loop.id ? null : loop)}
              >
                {auditioning === loop.id ? "■" : "▶"}
              </button>
              <span>{loop.name}</span>
              <span className="muted">
                {loop.instrument} · {loop.bpm ? `${Math.round(loop.bpm * 10) / 10} BPM · ${loop.beats} beats` : `one-shot · ${formatTime(loop.durationSeconds)}`}
                {loop.key ? ` · ${loop.key}` : ""}
              </span>
              {canEdit && (
                <button className="secondary small" onClick={() => onAdd(loop)} aria-label={`Add ${loop.name}`}>
                  Add
                </button>
              )}
            </li>
          ))}
        </ul>
      </Loading>
    </section>
  );
}
