// The editor's top bar: back to the projects, the project's name, play, record (monitor, calibrate), loop, metronome, tempo and time
// signature, snap and zoom, the editing buttons (tracks, audio, split, delete), who is here and Publish.
import { useState } from "react";
import { Link } from "react-router";
import type { Project } from "./model";
import type { OpDraft } from "./session";

const signatures = ["4/4", "3/4", "2/4", "5/4", "6/8", "7/8", "12/8"];

interface Props {
  project: Project;
  canEdit: boolean;
  playing: boolean;
  loopOn: boolean;
  metronome: boolean;
  snapToGrid: boolean;
  /** The tempo map's editor is open. */
  tempoOpen: boolean;
  onToggleTempo: () => void;
  /** Automation write: moving a volume or pan control while playing records its lane. */
  writing: boolean;
  /** A clip is selected, for Split and Delete. */
  clipSelected: boolean;
  /** Recording a take now; a track is armed to record on; the microphone is heard; the measured round trip (seconds). */
  recording: boolean;
  armed: boolean;
  monitoring: boolean;
  latency: number;
  onToggleRecord: () => void;
  onToggleMonitor: () => void;
  onCalibrate: () => void;
  /** One avatar per user here, in their color. */
  here: { userId: string; color: string }[];
  names: (userId: string) => string;
  onTogglePlay: () => void;
  onToggleLoop: () => void;
  onToggleMetronome: () => void;
  onToggleSnap: () => void;
  onToggleWrite: () => void;
  onZoomIn: () => void;
  onZoomOut: () => void;
  onSplit: () => void;
  onRemove: () => void;
  onAddFiles: (files: File[]) => void;
  onPublish: () => void;
  onEdit: (op: OpDraft) => void;
}

export function TransportBar(props: Props) {
  const { project, canEdit, names } = props;
  const signature = `${project.timeSignature.numerator}/${project.timeSignature.denominator}`;
  return (
    <div className="editor-bar" role="toolbar" aria-label="Transport and project">
      <Link to="/projects" aria-label="Back to projects">←</Link>
      <ProjectName project={project} canEdit={canEdit} onEdit={props.onEdit} />
      <button onClick={props.onTogglePlay} aria-label={props.playing ? "Stop" : "Play"} title="Space">{props.playing ? "■" : "▶"}</button>
      {canEdit && (
        <>
          <button className={props.recording ? "danger" : "secondary"} aria-label={props.recording ? "Stop recording" : "Record"} aria-pressed={props.recording}
            disabled={!props.armed && !props.recording} onClick={props.onToggleRecord}
            title="R: counts in a bar, then records on the armed track from the playhead (with the loop on, a take per pass)">
            ●
          </button>
          <button className="secondary" aria-pressed={props.monitoring} disabled={!props.armed} onClick={props.onToggleMonitor} title="Hear the microphone while recording">
            Monitor
          </button>
          <button className="secondary" disabled={!props.armed} onClick={props.onCalibrate}
            title={`Measure the round trip from the speakers to the microphone, so that takes land in time (now ${Math.round(props.latency * 1000)} ms)`}>
            Calibrate
          </button>
        </>
      )}
      <button className="secondary" aria-pressed={props.loopOn} title="Loop (L); shift-drag on the ruler to set the region" onClick={props.onToggleLoop}>
        Loop
      </button>
      <button className="secondary" aria-pressed={props.metronome} onClick={props.onToggleMetronome} title="Metronome (M)">Click</button>
      <label className="inline">
        BPM
        <NumberField label="Tempo" value={project.tempo} min={20} max={999} disabled={!canEdit} onCommit={(tempo) => props.onEdit({ kind: "project.set", payload: { tempo } })} />
      </label>
      <button className="secondary small" aria-label="Tempo map" aria-pressed={props.tempoOpen} onClick={props.onToggleTempo}
        title="Tempo changes over the project">{project.tempoChanges.length > 0 ? `+${project.tempoChanges.length}` : "Map"}</button>
      <select
        aria-label="Time signature"
        value={signature}
        disabled={!canEdit}
        onChange={(e) => {
          const [numerator, denominator] = e.target.value.split("/").map(Number);
          props.onEdit({ kind: "project.set", payload: { timeSignature: { numerator, denominator } } });
        }}
      >
        {signatures.map((s) => <option key={s}>{s}</option>)}
        {!signatures.includes(signature) && <option>{signature}</option>}
      </select>
      <button className="secondary" aria-pressed={props.snapToGrid} onClick={props.onToggleSnap}>Snap</button>
      {canEdit && (
        <button className="secondary" aria-pressed={props.writing} aria-label="Automation write" onClick={props.onToggleWrite}
          title="Automation write: while playing, moving a track's volume or pan (or the master volume) records its lane">
          Write
        </button>
      )}
      <button className="secondary small" aria-label="Zoom out" onClick={props.onZoomOut}>−</button>
      <button className="secondary small" aria-label="Zoom in" onClick={props.onZoomIn}>+</button>
      {canEdit && (
        <>
          <button className="secondary" onClick={() => props.onEdit({ kind: "track.add", payload: { kind: "audio" } })}>Add track</button>
          <button className="secondary" onClick={() => props.onEdit({ kind: "track.add", payload: { kind: "midi", name: "MIDI" } })} title="Double-click its lane to add a clip">
            Add MIDI track
          </button>
          <label className="button secondary">
            Add audio
            <input
              type="file"
              accept="audio/*,.wav,.flac,.mp3,.ogg,.m4a"
              multiple
              hidden
              aria-label="Add audio files"
              onChange={(e) => {
                props.onAddFiles([...(e.target.files ?? [])]);
                e.target.value = "";
              }}
            />
          </label>
          <button className="secondary" onClick={props.onSplit} disabled={!props.clipSelected} title="S">Split</button>
          <button className="secondary" onClick={props.onRemove} disabled={!props.clipSelected} title="Delete">Delete</button>
        </>
      )}
      <span className="spacer" />
      <div className="avatars" aria-label="Who is here">
        {props.here.map((p) => (
          <span key={p.userId} className="avatar" style={{ background: p.color }} title={names(p.userId)} aria-label={names(p.userId)}>
            {names(p.userId).slice(0, 1).toUpperCase()}
          </span>
        ))}
      </div>
      {canEdit && <button onClick={props.onPublish}>Publish</button>}
    </div>
  );
}

function ProjectName({ project, canEdit, onEdit }: { project: Project; canEdit: boolean; onEdit: (op: OpDraft) => void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft && draft !== project.name) onEdit({ kind: "project.set", payload: { name: draft } });
    setDraft(null);
  };
  return (
    <input
      aria-label="Project name"
      value={draft ?? project.name}
      disabled={!canEdit}
      maxLength={100}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === "Enter" && commit()}
      style={{ fontWeight: 700, maxWidth: 220 }}
    />
  );
}

function NumberField(props: { label: string; value: number; min: number; max: number; disabled?: boolean; onCommit: (v: number) => void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    const v = Number(draft);
    if (draft !== null && Number.isFinite(v) && v >= props.min && v <= props.max && v !== props.value) props.onCommit(v);
    setDraft(null);
  };
  return (
    <input
      aria-label={props.label}
      type="number"
      min={props.min}
      max={props.max}
      step="any"
      style={{ width: 72 }}
      value={draft ?? props.value}
      disabled={props.disabled}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === "Enter" && commit()}
    />
  );
}
