// The notes of one MIDI clip: a keyboard down the left, the clip's time across, a row per key. Click an empty
// cell to add a note (as long as the last one drawn, a beat at first), drag a note to move it in time and pitch,
// drag its right edge to lengthen it, double-click or right-click it to remove it. A drag is drawn locally and
// becomes one op when the pointer is released, as a clip does in the arrangement.
import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from "react";
import { samplesPerBeat, type Clip, type Note, type Project } from "./model";
import { tempoMap } from "./tempo";
import type { OpDraft } from "./session";

const lowest = 21; // A0
const highest = 108; // C8
export const rowHeight = 12;
export const pxPerBeat = 64;
export const keyWidth = 44;
const names = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];
export const pitchName = (pitch: number) => `${names[pitch % 12]}${Math.floor(pitch / 12) - 1}`;
const black = (pitch: number) => names[pitch % 12].length > 1;

interface Props {
  project: Project;
  clip: Clip;
  color: string;
  canEdit: boolean;
  onEdit: (op: OpDraft) => void;
}

type Drag = { note: Note; mode: "move" | "resize"; x0: number; y0: number };

export function PianoRoll({ project, clip, color, canEdit, onEdit }: Props) {
  // Drawn at the tempo where the clip starts; new notes snap to sixteenths through the tempo changes.
  const map = tempoMap(project);
  const beat = samplesPerBeat(project, map.tempoAt(clip.start));
  const step = beat / 4; // a sixteenth
  const toPx = (samples: number) => (samples / beat) * pxPerBeat;
  const toSamples = (px: number) => (px / pxPerBeat) * beat;
  const grid = useRef<HTMLDivElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const [preview, setPreview] = useState<Note | null>(null);
  const [length, setLength] = useState(beat);

  // Open on the clip's notes (or middle C).
  useEffect(() => {
    const pitches = clip.notes.map((n) => n.pitch);
    const middle = pitches.length ? (Math.min(...pitches) + Math.max(...pitches)) / 2 : 60;
    if (scroller.current) scroller.current.scrollTop = (highest - middle) * rowHeight - scroller.current.clientHeight / 2;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [clip.id]);

  // A drag's preview stays until its op comes back (or is rejected).
  useEffect(() => {
    if (!drag) setPreview(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [project.version]);

  const at = (e: { clientX: number; clientY: number }) => {
    const box = grid.current!.getBoundingClientRect();
    return { x: e.clientX - box.left, y: e.clientY - box.top };
  };

  function add(e: ReactPointerEvent) {
    if (!canEdit || e.button !== 0 || e.target !== grid.current) return;
    const { x, y } = at(e);
    const start = Math.round(map.positionOf(Math.floor(map.beatAt(clip.start + toSamples(x)) * 4 + 1e-9) / 4)) - clip.start;
    const pitch = highest - Math.floor(y / rowHeight);
    const fits = Math.min(length, clip.length - start);
    if (fits <= 0 || pitch < lowest || pitch > highest) return;
    onEdit({ kind: "note.add", payload: { clipId: clip.id, pitch, velocity: 100, start: Math.round(start), length: Math.round(fits) } });
  }

  function grab(e: ReactPointerEvent, note: Note) {
    e.stopPropagation();
    if (!canEdit || e.button !== 0) return;
    (e.target as Element).setPointerCapture?.(e.pointerId);
    const box = (e.currentTarget as Element).getBoundingClientRect();
    setDrag({ note, mode: box.width > 12 && e.clientX >= box.right - 6 ? "resize" : "move", x0: e.clientX, y0: e.clientY });
  }

  function move(e: ReactPointerEvent) {
    if (!drag) return;
    const { note } = drag;
    const dx = Math.round(toSamples(e.clientX - drag.x0) / step) * step;
    if (drag.mode === "resize") {
      setPreview({ ...note, length: Math.round(Math.min(clip.length - note.start, Math.max(step, note.length + dx))) });
    } else {
      const pitch = Math.min(highest, Math.max(lowest, note.pitch - Math.round((e.clientY - drag.y0) / rowHeight)));
      setPreview({ ...note, pitch, start: Math.round(Math.min(clip.length - note.length, Math.max(0, note.start + dx))) });
    }
  }

  function release() {
    if (!drag) return;
    const { note } = drag;
    setDrag(null);
    const p = preview;
    if (!p || (p.start === note.start && p.pitch === note.pitch && p.length === note.length)) return setPreview(null);
    if (drag.mode === "resize") setLength(p.length);
    onEdit({
      kind: "note.move",
      payload: {
        clipId: clip.id, noteId: note.id,
        ...(p.start !== note.start ? { start: p.start } : {}), ...(p.pitch !== note.pitch ? { pitch: p.pitch } : {}), ...(p.length !== note.length ? { length: p.length } : {}),
      },
    });
  }

  const remove = (e: React.MouseEvent, note: Note) => {
    e.preventDefault();
    if (canEdit) onEdit({ kind: "note.remove", payload: { clipId: clip.id, noteId: note.id } });
  };

  const width = toPx(clip.length);
  const keys = Array.from({ length: highest - lowest + 1 }, (_, i) => highest - i);
  const notes = clip.notes.map((n) => (preview && n.id === preview.id ? preview : n));
  return (
    <div className="piano-roll" ref={scroller} aria-label="Piano roll" onPointerMove={move} onPointerUp={release}>
      <div className="piano-body" style={{ width: keyWidth + width, height: keys.length * rowHeight }}>
        <div className="keys">
          {keys.map((p) => (
            <div key={p} className={`key${black(p) ? " black" : ""}`} style={{ height: rowHeight }}>
              {p % 12 === 0 ? pitchName(p) : ""}
            </div>
          ))}
        </div>
        <div
          className="note-grid"
          ref={grid}
          data-testid="note-grid"
          onPointerDown={add}
          style={{
            width,
            backgroundImage: `repeating-linear-gradient(to right, var(--line) 0 1px, transparent 1px ${pxPerBeat}px), repeating-linear-gradient(to bottom, rgba(255,255,255,0.04) 0 1px, transparent 1px ${rowHeight}px)`,
          }}
        >
          {notes.map((n) => (
            <div
              key={n.id}
              className="note"
              role="button"
              aria-label={`Note ${pitchName(n.pitch)}`}
              data-note-id={n.id}
              style={{ left: toPx(n.start), width: Math.max(3, toPx(n.length)), top: (highest - n.pitch) * rowHeight, height: rowHeight - 1, background: color, opacity: 0.45 + (0.55 * n.velocity) / 127 }}
              onPointerDown={(e) => grab(e, n)}
              onDoubleClick={(e) => remove(e, n)}
              onContextMenu={(e) => remove(e, n)}
            />
          ))}
        </div>
      </div>
    </div>
  );
}
