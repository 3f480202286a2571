// The arrangement: a ruler in bars and beats, one row per track (its header and its lane of clips), the
// playhead, collaborators' playheads and comment pins. Clips move (also to another track), trim at either
// edge and fade by dragging; a drag is drawn locally and becomes one op when the pointer is released.
// Audio files dropped on a lane (or below the tracks) are uploaded and placed where they were dropped; a
// double-click on a MIDI track's lane adds a one-bar clip there, whose notes are drawn in miniature. A track's
// automation lane (AutomationLane.tsx) shows as a row under it, toggled on its header; the master's, under the tracks.
// Only the clips in and near the visible part are drawn, so a session of thousands of clips scrolls and
// zooms as lightly as a small one.
import { Fragment, useCallback, useEffect, useRef, useState, useMemo, type PointerEvent as ReactPointerEvent } from "react";
import { targetsOf, type Target } from "./automation";
import { AutomationHead, AutomationRow, laneHeight, useParameterCatalog, type LaneOwner } from "./AutomationLane";
import { ClipView, type DragMode } from "./ClipView";
import { loopDragType, type Loop } from "./loops";
import type { Clip, Project, Track } from "./model";
import { barStart, quartersPerBar, quartersPerBeat, snapTo, tempoMap } from "./tempo";
import type { Region } from "./playback";
import type { OpDraft, Peer } from "./session";
import { useViewport } from "./useViewport";

export const headWidth = 200;
const rulerHeight = 24;
const rowHeight = 72;

interface Props {
  project: Project;
  pxPerSecond: number;
  /** The playhead now, in samples: read every frame, so playing does not re-render the arrangement. */
  position: () => number;
  loop: Region | null;
  snapToGrid: boolean;
  selected: string | null;
  canEdit: boolean;
  peers: (Peer & { color: string })[];
  onSelect: (clipId: string | null, trackId: string | null) => void;
  onSeek: (position: number) => void;
  onLoop: (region: Region | null) => void;
  onEdit: (op: OpDraft) => void;
  onDropFiles: (files: File[], trackId: string | null, position: number) => void;
  /** A library loop dragged in from the loop browser. */
  onDropLoop: (loop: Loop, trackId: string | null, position: number) => void;
}

type Drag = { clipId: string; mode: DragMode; x0: number; clip: Clip; trackId: string };
type Preview = { clipId: string; start: number; length: number; trackId: string; fadeIn: number; fadeOut: number };

export function Timeline(props: Props) {
  const { project, pxPerSecond, canEdit } = props;
  const rate = project.sampleRate;
  const toPx = (samples: number) => (samples / rate) * pxPerSecond;
  const toSamples = (px: number) => Math.max(0, Math.round((px / pxPerSecond) * rate));
  // The grid is the time signature's beat, through the tempo changes.
  const map = useMemo(() => tempoMap(project), [project.tempo, project.tempoChanges, project.sampleRate]); // eslint-disable-line react-hooks/exhaustive-deps
  const place = (samples: number) => (props.snapToGrid ? snapTo(map, samples, quartersPerBeat(project)) : Math.max(0, Math.round(samples)));
  const end = Math.max(...project.tracks.flatMap((t) => t.clips.map((c) => c.start + c.length)), rate * 60);
  const width = toPx(end) + 400;
  const scroller = useRef<HTMLDivElement>(null);
  const lanes = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [dropping, setDropping] = useState(false);
  const view = useViewport(scroller);
  // The automation lane shown under each track (by target), for the tracks whose lane is open.
  const [automation, setAutomation] = useState<Record<string, string>>({});
  const shown = (track: Track) => automation[track.id];
  const master: LaneOwner = { id: null, name: "Master", color: "#ff7a45", automation: project.master.automation };
  const chains = [...project.tracks.filter(shown).map((t) => t.effects), ...(automation.master ? [project.master.effects] : [])];
  const parameters = useParameterCatalog(chains.flatMap((chain) => chain.map((e) => e.type)), Object.keys(automation).length > 0);
  const toggle = (key: string, lanes: { target: string }[]) =>
    setAutomation(({ [key]: open, ...rest }) => (open ? rest : { ...rest, [key]: lanes[0]?.target ?? "volume" }));
  // Half a screen of margin each way, so what scrolls in is already drawn.
  const [fromPx, toPxEdge] = [view.left - headWidth - view.width / 2, view.left + view.width * 1.5];
  // Each track row's top: an open automation lane adds its height under its track.
  const tops = [rulerHeight];
  for (const t of project.tracks) tops.push(tops[tops.length - 1] + rowHeight + (shown(t) ? laneHeight : 0));
  const laneProps = { width, from: fromPx, to: toPxEdge, toPx, toSamples, place, canEdit, onEdit: props.onEdit, project };
  const rowVisible = (index: number) => {
    const top = tops[index];
    return top + rowHeight >= view.top - view.height / 2 && top <= view.top + view.height * 1.5;
  };
  const keep = (clip: Clip) => clip.id === drag?.clipId || clip.id === props.selected;
  const clipVisible = (clip: Clip) => keep(clip) || (toPx(clip.start + clip.length) >= fromPx && toPx(clip.start) <= toPxEdge);

  // A drag's preview stays until the op it became comes back as a new version (or is rejected).
  useEffect(() => {
    if (!drag) setPreview(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [project.version]);

  const laneX = (clientX: number) => clientX - lanes.current!.getBoundingClientRect().left;

  function startDrag(e: ReactPointerEvent, clip: Clip, trackId: string, mode: Drag["mode"]) {
    e.stopPropagation();
    props.onSelect(clip.id, trackId);
    if (!canEdit || e.button !== 0) return;
    (e.target as Element).setPointerCapture(e.pointerId);
    setDrag({ clipId: clip.id, mode, x0: e.clientX, clip, trackId });
  }

  const startDragNow = useRef(startDrag);
  startDragNow.current = startDrag;
  const onClipDown = useCallback((e: ReactPointerEvent, clip: Clip, trackId: string, mode: Drag["mode"]) => startDragNow.current(e, clip, trackId, mode), []);

  function dragTo(e: ReactPointerEvent) {
    if (!drag) return;
    const { clip } = drag;
    const dx = Math.round(((e.clientX - drag.x0) / pxPerSecond) * rate);
    const next: Preview = { clipId: clip.id, start: clip.start, length: clip.length, trackId: drag.trackId, fadeIn: clip.fadeIn.length, fadeOut: clip.fadeOut.length };
    if (drag.mode === "move") {
      next.start = place(clip.start + dx);
      const lane = document.elementsFromPoint(e.clientX, e.clientY).find((el) => el instanceof HTMLElement && el.dataset.trackId) as HTMLElement | undefined;
      const target = project.tracks.find((t) => t.id === lane?.dataset.trackId);
      if (target && target.kind === project.tracks.find((t) => t.id === drag.trackId)?.kind) next.trackId = target.id;
    } else if (drag.mode === "right") {
      next.length = Math.max(1, place(clip.start + clip.length + dx) - clip.start);
    } else if (drag.mode === "left") {
      const start = Math.min(place(clip.start + dx), clip.start + clip.length - 1);
      next.start = clip.assetId ? Math.max(start, clip.start - clip.offset) : start;
      next.length = clip.start + clip.length - next.start;
    } else if (drag.mode === "fadeIn") {
      next.fadeIn = Math.min(Math.max(0, clip.fadeIn.length + dx), clip.length - clip.fadeOut.length);
    } else {
      next.fadeOut = Math.min(Math.max(0, clip.fadeOut.length - dx), clip.length - clip.fadeIn.length);
    }
    setPreview(next);
  }

  function endDrag() {
    if (!drag) return;
    const { clip } = drag;
    setDrag(null);
    const p = preview;
    if (!p) return;
    if (drag.mode === "move" && (p.start !== clip.start || p.trackId !== drag.trackId))
      props.onEdit({ kind: "clip.move", payload: { clipId: clip.id, start: p.start, ...(p.trackId !== drag.trackId ? { trackId: p.trackId } : {}) } });
    else if ((drag.mode === "left" || drag.mode === "right") && (p.start !== clip.start || p.length !== clip.length))
      props.onEdit({ kind: "clip.resize", payload: { clipId: clip.id, length: p.length, ...(p.start !== clip.start ? { start: p.start } : {}) } });
    else if (drag.mode === "fadeIn" && p.fadeIn !== clip.fadeIn.length)
      props.onEdit({ kind: "clip.set", payload: { clipId: clip.id, fadeIn: { length: p.fadeIn, curve: clip.fadeIn.curve } } });
    else if (drag.mode === "fadeOut" && p.fadeOut !== clip.fadeOut.length)
      props.onEdit({ kind: "clip.set", payload: { clipId: clip.id, fadeOut: { length: p.fadeOut, curve: clip.fadeOut.curve } } });
    else setPreview(null);
  }

  function rulerDown(e: ReactPointerEvent<HTMLDivElement>) {
    const at = place(toSamples(laneX(e.clientX)));
    if (!e.shiftKey) return props.onSeek(at);
    // Shift-drag on the ruler draws the loop region.
    e.currentTarget.setPointerCapture(e.pointerId);
    const move = (ev: PointerEvent) => {
      const to = place(toSamples(laneX(ev.clientX)));
      if (to !== at) props.onLoop({ start: Math.min(at, to), end: Math.max(at, to) });
    };
    const up = () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
  }

  function drop(e: React.DragEvent, trackId: string | null) {
    e.preventDefault();
    e.stopPropagation();
    setDropping(false);
    const files = [...e.dataTransfer.files];
    const loop = e.dataTransfer.getData(loopDragType);
    if (!canEdit) return;
    if (files.length) props.onDropFiles(files, trackId, place(toSamples(laneX(e.clientX))));
    else if (loop) props.onDropLoop(JSON.parse(loop) as Loop, trackId, place(toSamples(laneX(e.clientX))));
  }

  // What collaborators have selected is outlined in their color.
  const peerSelection = new Map(props.peers.flatMap((p) => (p.presence.selection ?? []).map((id) => [id, p.color] as const)));
  const barQuarters = quartersPerBar(project);
  const bars = Math.ceil(map.beatAt(end) / barQuarters) + 4;
  const barAt = (i: number) => map.positionOf(i * barQuarters);
  const clipsOf = (track: Track) => {
    const own = track.clips.filter((c) => !(preview && c.id === preview.clipId && preview.trackId !== track.id));
    const moved = preview && preview.trackId === track.id && !own.some((c) => c.id === preview.clipId)
      ? project.tracks.flatMap((t) => t.clips).filter((c) => c.id === preview.clipId)
      : [];
    return [...own, ...moved].map((c) =>
      preview && c.id === preview.clipId
        ? { ...c, start: preview.start, length: preview.length, fadeIn: { ...c.fadeIn, length: preview.fadeIn }, fadeOut: { ...c.fadeOut, length: preview.fadeOut } }
        : c,
    );
  };

  return (
    <div
      className="arrangement"
      ref={scroller}
      onPointerMove={dragTo}
      onPointerUp={endDrag}
      onDragOver={(e) => {
        e.preventDefault();
        setDropping(true);
      }}
      onDragLeave={() => setDropping(false)}
      onDrop={(e) => drop(e, null)}
      onPointerDown={() => props.onSelect(null, null)}
    >
      <div className="arrangement-body" style={{ width: headWidth + width }}>
        {/* One sticky column of track heads (one layer), not a sticky head per row. */}
        <div className="heads">
          <div className="ruler-corner" />
          {project.tracks.map((track) => (
            <Fragment key={track.id}>
              <TrackHead
                track={track}
                automation={!!shown(track)}
                onAutomation={() => toggle(track.id, track.automation)}
              />
              {shown(track) && (
                <AutomationHead
                  track={track}
                  targets={targetsOf(track, project, parameters)}
                  target={shown(track)}
                  canEdit={canEdit}
                  onTarget={(target) => setAutomation((all) => ({ ...all, [track.id]: target }))}
                  onEdit={props.onEdit}
                />
              )}
            </Fragment>
          ))}
          <div className="track-head master-head" onPointerDown={(e) => e.stopPropagation()}>
            <div className="row">
              <div className="name" style={{ borderColor: master.color }}>Master</div>
              <span className="spacer" />
              <button className="small secondary" aria-label="Automation Master" aria-pressed={!!automation.master} onClick={() => toggle("master", master.automation)}
                title={`The master's volume lane${master.automation.length ? ` (${master.automation.length})` : ""}`}>
                A{master.automation.length > 0 ? "•" : ""}
              </button>
            </div>
          </div>
          {automation.master && (
            <AutomationHead track={master} targets={targetsOf(null, project, parameters)} target={automation.master} canEdit={canEdit}
              onTarget={(target) => setAutomation((all) => ({ ...all, master: target }))} onEdit={props.onEdit} />
          )}
          <div className="track-head muted">Drop audio files here for a new track</div>
        </div>
        <div className="lanes" ref={lanes} style={{ width }}>
          <div className="ruler" onPointerDown={rulerDown} aria-label="Ruler: click to move the playhead, shift-drag to set the loop">
            {Array.from({ length: bars }, (_, i) => (
              <div key={i} className="bar" style={{ left: toPx(barAt(i)), width: toPx(barAt(i + 1) - barAt(i)) }}>
                {i + 1}
              </div>
            ))}
            {props.loop && <div className="loop-region" style={{ left: toPx(props.loop.start), width: toPx(props.loop.end - props.loop.start) }} />}
            {project.comments.map((c) => (
              <div key={c.id} className="comment-pin" title={c.text} style={{ left: toPx(c.position) - 5 }} />
            ))}
          </div>
          {project.tracks.map((track, index) => (
            <Fragment key={track.id}>
            <div
              className="track-row track-lane"
              data-track-id={track.id}
              onDragOver={(e) => e.preventDefault()}
              onDrop={(e) => drop(e, track.id)}
              onDoubleClick={(e) => {
                if (track.kind !== "midi" || !canEdit || e.target !== e.currentTarget) return;
                const start = barStart(map, project, toSamples(laneX(e.clientX)));
                const length = Math.round(map.positionOf(map.beatAt(start) + barQuarters)) - start;
                props.onEdit({ kind: "clip.add", payload: { trackId: track.id, start, length } });
              }}
              aria-label={`Lane ${track.name}`}
            >
              {(rowVisible(index) ? clipsOf(track) : clipsOf(track).filter(keep)).filter(clipVisible).map((clip) => (
                <ClipView
                  key={clip.id}
                  clip={clip}
                  color={track.color}
                  left={toPx(clip.start)}
                  width={Math.max(2, toPx(clip.length))}
                  trackId={track.id}
                  projectId={project.id}
                  rate={rate}
                  pxPerSecond={pxPerSecond}
                  selected={clip.id === props.selected}
                  peerColor={peerSelection.get(clip.id)}
                  onDown={onClipDown}
                />
              ))}
            </div>
            {shown(track) && (
              <AutomationRow {...laneProps} track={track} target={pick(targetsOf(track, project, parameters), shown(track))} />
            )}
            </Fragment>
          ))}
          <div className="track-row master-row" />
          {automation.master && <AutomationRow {...laneProps} track={master} target={pick(targetsOf(null, project, parameters), automation.master)} />}
          <div className="track-row" onDragOver={(e) => e.preventDefault()} onDrop={(e) => drop(e, null)} />
          <Playhead position={props.position} toPx={toPx} />
          {props.peers
            .filter((p) => p.presence.playhead != null)
            .map((p) => (
              <div key={p.connectionId} className="peer-playhead" style={{ left: toPx(p.presence.playhead!), background: p.color }} />
            ))}
        </div>
        {dropping && canEdit && <div className="drop-hint" />}
      </div>
    </div>
  );
}

/** The target a lane shows: the one picked, else the first (a picked effect may have been removed). */
const pick = (targets: Target[], target: string) => targets.find((t) => t.target === target) ?? targets[0];

function TrackHead({ track, automation, onAutomation }: { track: Track; automation: boolean; onAutomation: () => void }) {
  return (
    <div className="track-head" onPointerDown={(e) => e.stopPropagation()}>
      <div className="row">
        <div className="name" style={{ borderColor: track.color }} title={track.name}>
          {track.name}
        </div>
        <span className="spacer" />
        <button
          className="small secondary"
          aria-label={`Automation ${track.name}`}
          aria-pressed={automation}
          title={`Automation lanes${track.automation.length ? ` (${track.automation.length})` : ""}`}
          onClick={onAutomation}
        >
          A{track.automation.length > 0 ? "•" : ""}
        </button>
      </div>
      <div className="muted">
        {track.kind} · {track.volumeDb.toFixed(1)} dB{track.mute ? " · muted" : ""}{track.solo ? " · solo" : ""}
      </div>
    </div>
  );
}

/** Moves itself every frame from `position()`, outside React's rendering. */
function Playhead({ position, toPx }: { position: () => number; toPx: (samples: number) => number }) {
  const line = useRef<HTMLDivElement>(null);
  const place = useRef(toPx);
  place.current = toPx;
  useEffect(() => {
    let frame = 0;
    const tick = () => {
      if (line.current) line.current.style.left = `${place.current(position())}px`;
      frame = requestAnimationFrame(tick);
    };
    tick();
    return () => cancelAnimationFrame(frame);
  }, [position]);
  return <div className="playhead" ref={line} data-testid="playhead" />;
}
