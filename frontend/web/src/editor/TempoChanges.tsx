// The tempo map's editor, opened from the transport bar: the project's tempo from the start, then each change with its
// bar and beat and its tempo, which can be edited or removed; "Add at the playhead" puts one on the bar the playhead
// is in. Every change sends the whole list as one tempo.set op (undoable, seen live by collaborators).
import { useState } from "react";
import type { Project } from "./model";
import type { OpDraft } from "./session";
import { barStart, quartersPerBar, quartersPerBeat, tempoMap } from "./tempo";

type Change = { position: number; tempo: number };

/** Bar and beat (from 1) of a position, through the tempo changes. */
export function barBeat(project: Project, position: number): string {
  const beat = tempoMap(project).beatAt(position);
  const bar = Math.floor(beat / quartersPerBar(project) + 1e-9);
  return `${bar + 1}.${Math.floor((beat - bar * quartersPerBar(project)) / quartersPerBeat(project) + 1e-9) + 1}`;
}

export function TempoChanges({ project, canEdit, playhead, onEdit }: { project: Project; canEdit: boolean; playhead: () => number; onEdit: (op: OpDraft) => void }) {
  const [tempo, setTempo] = useState(project.tempo);
  const changes = project.tempoChanges;
  const send = (next: Change[]) => onEdit({ kind: "tempo.set", payload: { changes: [...next].sort((a, b) => a.position - b.position) } });
  const valid = (bpm: number) => Number.isFinite(bpm) && bpm >= 20 && bpm <= 999;
  const add = () => {
    const at = barStart(tempoMap(project), project, playhead());
    if (at <= 0 || !valid(tempo)) return;
    send([...changes.filter((c) => c.position !== at), { position: at, tempo }]);
  };
  return (
    <section className="tempo-changes" aria-label="Tempo changes">
      <span className="muted">{project.tempo} BPM from the start</span>
      {changes.map((change) => (
        <span key={change.position} className="row">
          <span>bar {barBeat(project, change.position)}</span>
          <input type="number" aria-label={`Tempo from bar ${barBeat(project, change.position)}`} min={20} max={999} defaultValue={change.tempo} disabled={!canEdit}
            style={{ width: "5em" }} onBlur={(e) => {
              const bpm = Number(e.target.value);
              if (valid(bpm) && bpm !== change.tempo) send(changes.map((c) => (c === change ? { ...c, tempo: bpm } : c)));
            }} />
          {canEdit && <button className="small danger" aria-label={`Remove the tempo change at bar ${barBeat(project, change.position)}`}
            onClick={() => send(changes.filter((c) => c !== change))}>✕</button>}
        </span>
      ))}
      {canEdit && (
        <span className="row">
          <input type="number" aria-label="New tempo" min={20} max={999} value={tempo} style={{ width: "5em" }} onChange={(e) => setTempo(Number(e.target.value))} />
          <button className="small" onClick={add} title="A tempo change on the bar the playhead is in (not the first bar: that is the project's tempo)">Add at the playhead</button>
        </span>
      )}
    </section>
  );
}
