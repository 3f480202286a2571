// The DAW editor (loaded on demand): the transport bar on top, the arrangement with the side panel, the
// piano roll of a selected MIDI clip and the mixer below. Every change is an op sent over SignalR; what
// others change arrives the same way and is drawn without a reload. This page holds the state the parts
// share (playback, selection, zoom, uploads, automation write) and the keyboard shortcuts.
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { api, describe } from "../api/client";
import { whenAssetReady, type Asset } from "../api/jobs";
import type { Schema } from "../api/types";
import { uploadFile } from "../api/uploads";
import { ErrorText, ProgressBar } from "../ui/ui";
import { useProjectAssets } from "./assets";
import { AutomationWriter, recordInterval } from "./automation";
import { ClipStretch } from "./ClipStretch";
import { Mixer } from "./Mixer";
import { findClip, projectEnd, type Project } from "./model";
import { quartersPerBar, tempoMap } from "./tempo";
import { StepGrid } from "./Instruments";
import { PianoRoll } from "./PianoRoll";
import { instrumentOf } from "./sampler";
import { Audition, loopClipOps, type Loop, type LoopTaken } from "./loops";
import { Playback, type Region } from "./playback";
import { TakeLane } from "./recording/TakeLane";
import { useRecording } from "./recording/useRecording";
import { useProjectSession, type OpDraft } from "./session";
import { SidePanel, type Side } from "./SidePanel";
import { Timeline } from "./Timeline";
import { TempoChanges } from "./TempoChanges";
import { TransportBar } from "./TransportBar";
import { useSelection } from "./useSelection";

const PublishDialog = lazy(() => import("../streaming/PublishDialog").then((m) => ({ default: m.PublishDialog })));

const peerColors = ["#4fc3f7", "#ba68c8", "#81c784", "#ffd54f", "#f06292", "#4db6ac"];

interface Upload { id: number; name: string; progress: number; error?: string }
let uploadIds = 0;

export default function EditorPage() {
  const { projectId = "" } = useParams();
  const session = useProjectSession(projectId);
  const { project, role, peers } = session;
  const canEdit = role === "owner" || role === "editor";
  const names = useUserNames(project, peers.map((p) => p.userId));
  const assets = useProjectAssets(project);

  const playback = useRef(new Playback());
  const stopped = useRef(0); // the playhead while not playing, in samples
  const [playing, setPlaying] = useState(false);
  const [loopOn, setLoopOn] = useState(false);
  const [loop, setLoop] = useState<Region | null>(null);
  const [metronome, setMetronome] = useState(false);
  const [snapToGrid, setSnapToGrid] = useState(true);
  const [tempoOpen, setTempoOpen] = useState(false);
  const [pxPerSecond, setPxPerSecond] = useState(60);
  const selection = useSelection(project);
  const { clipId: selectedClip, trackId: selectedTrack, select, selectTrack } = selection;
  const [side, setSide] = useState<Side>("comments");
  const [publishing, setPublishing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [uploads, setUploads] = useState<Upload[]>([]);
  // Automation write: volume and pan moved while playing are recorded (editor/automation.ts) and sent as lanes.
  const [writing, setWriting] = useState(false);
  const writer = useRef<AutomationWriter | null>(null);
  const latest = useRef(project);
  latest.current = project;

  const activeLoop = loopOn ? loop : null;
  const position = useCallback(() => (playback.current.playing ? playback.current.position(activeLoop) : stopped.current), [activeLoop]);

  const edit = useCallback(
    (...ops: OpDraft[]) => {
      void session.submit(...ops).then(
        (reasons) => setNotice(reasons.length ? reasons.join(" ") : null),
        (error) => setNotice(describe(error)),
      );
    },
    [session],
  );

  // Share the playhead with the others while it moves.
  useEffect(() => {
    let last = -1;
    const timer = setInterval(() => {
      const at = Math.round(position());
      if (at !== last) session.sharePresence({ playhead: at, selection: selectedClip ? [selectedClip] : [] });
      last = at;
    }, 150);
    return () => clearInterval(timer);
  }, [position, selectedClip, session]);

  /** Sends what automation write recorded, as one op per lane; `stopped` ends the pass (else moved controls stay latched). */
  const sendWrites = useCallback(
    (at: number, stopped: boolean) => {
      const ops = latest.current && writer.current?.recording ? writer.current.take(latest.current, at, stopped) : [];
      if (ops.length) edit(...ops);
    },
    [edit],
  );

  const moveControl = useCallback(
    (trackId: string | null, target: "volume" | "pan", value: number) => {
      if (!writing || !playback.current.playing || !project) return;
      writer.current ??= new AutomationWriter(recordInterval * project.sampleRate);
      writer.current.move(trackId, target, position(), value);
      playback.current.hold(trackId, target, value);
    },
    [writing, project, position],
  );

  // While writing, what was recorded goes out every few seconds, so collaborators see the lane grow.
  useEffect(() => {
    if (!playing || !writing) return;
    const timer = setInterval(() => sendWrites(position(), false), 4000);
    return () => clearInterval(timer);
  }, [playing, writing, sendWrites, position]);

  useEffect(() => {
    if (project) playback.current.update(project);
  }, [project]);
  useEffect(() => {
    if (project) playback.current.preload(project);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [project?.id, assets.length]);
  useEffect(() => () => playback.current.stop(), []);
  // Library loops are heard on the playback's context, so their time is the transport's.
  const audition = useRef(new Audition(() => playback.current.audioContext()));
  const [auditioning, setAuditioning] = useState<string | null>(null);
  useEffect(() => () => audition.current.stop(), []);

  const rec = useRecording({ playback: playback.current, project, submit: session.submit, onNotice: setNotice });
  const { recording, toggleRecord: recordOrStop } = rec;
  const toggleRecord = useCallback(() => {
    const at = Math.round(position());
    if (recording) stopped.current = at;
    void recordOrStop(at, activeLoop, metronome).then(setPlaying, (e) => {
      setPlaying(false);
      setNotice(describe(e));
    });
  }, [recording, recordOrStop, position, activeLoop, metronome]);

  const togglePlay = useCallback(() => {
    if (!project) return;
    if (recording) {
      toggleRecord();
    } else if (playback.current.playing) {
      stopped.current = Math.round(playback.current.position(activeLoop));
      sendWrites(stopped.current, true);
      playback.current.stop();
      setPlaying(false);
    } else {
      void playback.current.play(project, stopped.current, activeLoop, metronome).catch((e) => setNotice(describe(e)));
      setPlaying(true);
    }
  }, [project, activeLoop, metronome, sendWrites, recording, toggleRecord]);

  const seek = useCallback(
    (at: number) => {
      if (playback.current.playing) sendWrites(playback.current.position(activeLoop), true);
      stopped.current = at;
      if (playback.current.playing && project) void playback.current.play(project, at, activeLoop, metronome);
    },
    [project, activeLoop, metronome, sendWrites],
  );

  const split = useCallback(() => {
    if (!project || !selectedClip) return;
    const found = findClip(project, selectedClip);
    const at = Math.round(position());
    if (found && at > found.clip.start && at < found.clip.start + found.clip.length) edit({ kind: "clip.split", payload: { clipId: selectedClip, at } });
    else setNotice("Put the playhead inside the selected clip to split it.");
  }, [project, selectedClip, position, edit]);

  const remove = useCallback(() => {
    if (selectedClip) edit({ kind: "clip.remove", payload: { clipId: selectedClip } });
    select(null, null);
  }, [selectedClip, edit, select]);

  const zoomIn = useCallback(() => setPxPerSecond((v) => Math.min(800, v * 1.5)), []);
  const zoomOut = useCallback(() => setPxPerSecond((v) => Math.max(2, v / 1.5)), []);

  // Keyboard shortcuts, except while typing in a field.
  useEffect(() => {
    const keys = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest("input, textarea, select, [contenteditable]")) return;
      const mod = e.ctrlKey || e.metaKey;
      if (e.key === " ") togglePlay();
      else if (mod && e.key.toLowerCase() === "z") edit({ kind: e.shiftKey ? "redo" : "undo", payload: {} });
      else if (mod && e.key.toLowerCase() === "y") edit({ kind: "redo", payload: {} });
      else if (!canEdit || mod) return;
      else if (e.key === "Delete" || e.key === "Backspace") remove();
      else if (e.key === "s") split();
      else if (e.key === "l") setLoopOn((v) => !v);
      else if (e.key === "m") setMetronome((v) => !v);
      else if (e.key === "r") toggleRecord();
      else if (e.key === "+" || e.key === "=") zoomIn();
      else if (e.key === "-") zoomOut();
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", keys);
    return () => window.removeEventListener("keydown", keys);
  }, [togglePlay, edit, remove, split, canEdit, zoomIn, zoomOut, toggleRecord]);

  /** A clip of the whole asset at `at`, on the track (or a new one named after the file). */
  const place = useCallback(
    async (asset: Asset, trackId: string | null, at: number) => {
      if (!project) return;
      const length = Math.max(1, Math.round((asset.durationSeconds ?? 1) * project.sampleRate));
      const target = trackId ?? crypto.randomUUID();
      const ops: OpDraft[] = trackId ? [] : [{ kind: "track.add", payload: { trackId: target, name: asset.fileName.replace(/\.[^.]+$/, "").slice(0, 64), kind: "audio" } }];
      ops.push({ kind: "clip.add", payload: { trackId: target, start: at, length, assetId: asset.id } });
      const reasons = await session.submit(...ops);
      if (reasons.length) throw new Error(reasons.join(" "));
    },
    [project, session],
  );

  /** Takes a library loop into the caller's audio and drops it at `at`, following the project's tempo. */
  const placeLoop = useCallback(
    async (loop: Loop, trackId: string | null, at: number) => {
      if (!project) return;
      const taken = await api.post<LoopTaken>(`/api/loops/${loop.id}/library`);
      await whenAssetReady(taken.asset.id);
      const reasons = await session.submit(...loopClipOps(project, taken.loop, taken.asset.id, trackId, at));
      if (reasons.length) throw new Error(reasons.join(" "));
    },
    [project, session],
  );

  const addFiles = useCallback(
    async (files: File[], trackId: string | null, at: number) => {
      if (!project) return;
      for (const file of files) {
        const id = ++uploadIds;
        setUploads((u) => [...u, { id, name: file.name, progress: 0 }]);
        const update = (change: Partial<Upload>) => setUploads((u) => u.map((x) => (x.id === id ? { ...x, ...change } : x)));
        try {
          const uploaded = await uploadFile(file, { onProgress: (f) => update({ progress: f * 90 }) });
          await place(await whenAssetReady(uploaded.id), trackId, at);
          setUploads((u) => u.filter((x) => x.id !== id));
        } catch (error) {
          update({ error: describe(error) });
        }
      }
    },
    [project, place],
  );

  if (session.error) return <main className="page"><ErrorText error={session.error} /><Link to="/projects">Back to projects</Link></main>;
  if (session.ended) return <main className="page"><p className="error">{session.ended}</p><Link to="/projects">Back to projects</Link></main>;
  if (!project) return <p className="muted page">Opening the project…</p>;

  const bars = (n: number) => Math.round(tempoMap(project).positionOf(n * quartersPerBar(project)));
  const others = peers.map((p, i) => ({ ...p, color: peerColors[i % peerColors.length] }));
  const here = [...new Map(others.map((p) => [p.userId, p])).values()];
  const midi = selection.clip?.track.kind === "midi" ? selection.clip : undefined;
  const kit = midi && instrumentOf(midi.track);
  const audioClip = selection.clip?.track.kind === "audio" && selection.clip.clip.assetId ? selection.clip : undefined;

  return (
    <main className="editor">
      <TransportBar
        project={project}
        canEdit={canEdit}
        playing={playing}
        loopOn={loopOn}
        metronome={metronome}
        snapToGrid={snapToGrid}
        writing={writing}
        onToggleWrite={() => {
          if (writing && playback.current.playing) sendWrites(position(), true);
          setWriting((v) => !v);
        }}
        clipSelected={!!selectedClip}
        recording={recording}
        armed={!!rec.armed}
        monitoring={rec.monitoring}
        latency={rec.latency}
        onToggleRecord={toggleRecord}
        onToggleMonitor={() => rec.monitor(!rec.monitoring)}
        onCalibrate={() => void rec.calibrate()}
        here={here}
        names={names}
        onTogglePlay={togglePlay}
        onToggleLoop={() => {
          if (!loop) setLoop({ start: 0, end: Math.max(bars(4), Math.min(projectEnd(project), bars(8))) });
          setLoopOn((v) => !v);
        }}
        onToggleMetronome={() => setMetronome((v) => !v)}
        onToggleSnap={() => setSnapToGrid((v) => !v)}
        tempoOpen={tempoOpen}
        onToggleTempo={() => setTempoOpen((v) => !v)}
        onZoomIn={zoomIn}
        onZoomOut={zoomOut}
        onSplit={split}
        onRemove={remove}
        onAddFiles={(files) => void addFiles(files, selectedTrack, Math.round(position()))}
        onPublish={() => setPublishing(true)}
        onEdit={edit}
      />
      {tempoOpen && <TempoChanges project={project} canEdit={canEdit} playhead={position} onEdit={edit} />}
      {(notice || uploads.length > 0) && (
        <div className="editor-bar" aria-live="polite">
          {notice && <p className="error" role="alert">{notice} <button className="link" onClick={() => setNotice(null)}>Dismiss</button></p>}
          {uploads.map((u) => (
            <div key={u.id} className="row">
              <span>{u.name}</span>
              {u.error ? <span className="error">{u.error}</span> : <ProgressBar value={u.progress} label={`Uploading ${u.name}`} />}
            </div>
          ))}
        </div>
      )}
      <div className="editor-main">
        <Timeline
          project={project}
          pxPerSecond={pxPerSecond}
          position={position}
          loop={loop && loopOn ? loop : null}
          snapToGrid={snapToGrid}
          selected={selectedClip}
          canEdit={canEdit}
          peers={others}
          onSelect={select}
          onSeek={seek}
          onLoop={(region) => {
            setLoop(region);
            setLoopOn(!!region);
          }}
          onEdit={edit}
          onDropFiles={(files, trackId, at) => void addFiles(files, trackId, at)}
          onDropLoop={(dropped, trackId, at) => void placeLoop(dropped, trackId, at).catch((e) => setNotice(describe(e)))}
        />
        <SidePanel
          project={project}
          role={role}
          position={position}
          names={names}
          onEdit={edit}
          side={side}
          onSide={setSide}
          canEdit={canEdit}
          selectedTrack={selectedTrack}
          assets={assets}
          onPlace={(asset) => {
            const track = project.tracks.find((t) => t.id === selectedTrack && t.kind === "audio");
            void place(asset, track?.id ?? null, Math.round(position())).catch((e) => setNotice(describe(e)));
          }}
          auditioning={auditioning}
          onAudition={(heard) => {
            audition.current.stop();
            setAuditioning(heard?.id ?? null);
            if (heard) {
              void audition.current.play(heard, project, position(), playback.current.playing)
                .catch((e) => { setAuditioning(null); setNotice(describe(e)); });
            }
          }}
          onAddLoop={(added) => {
            const track = project.tracks.find((t) => t.id === selectedTrack && t.kind === "audio");
            void placeLoop(added, track?.id ?? null, Math.round(position())).catch((e) => setNotice(describe(e)));
          }}
        />
      </div>
      {midi && (kit?.type === "drums"
        ? <StepGrid project={project} clip={midi.clip} kit={kit} canEdit={canEdit} onEdit={edit} />
        : <PianoRoll project={project} clip={midi.clip} color={midi.track.color} canEdit={canEdit} onEdit={edit} />)}
      {audioClip && <TakeLane track={audioClip.track} clip={audioClip.clip} assets={assets} canEdit={canEdit} onEdit={edit} />}
      {audioClip && <ClipStretch project={project} clip={audioClip.clip} canEdit={canEdit} onEdit={edit} />}
      <Mixer
        project={project}
        canEdit={canEdit}
        selectedTrack={selectedTrack}
        onSelectTrack={(id) => { selectTrack(id); setSide("effects"); }}
        onEdit={edit}
        recording={writing && playing}
        onMove={moveControl}
        armed={rec.armed}
        onArm={(trackId) => void rec.arm(trackId)}
      />
      {publishing && (
        <Suspense fallback={null}>
          <PublishDialog projectId={project.id} onClose={() => setPublishing(false)} />
        </Suspense>
      )}
    </main>
  );
}

/** Display names for the collaborators and whoever is connected, read once per user. */
function useUserNames(project: Project | null, extra: string[]) {
  const [names, setNames] = useState<Record<string, string>>({});
  const ids = useMemo(
    () => [...new Set([...(project?.collaborators.map((c) => c.userId) ?? []), ...(project?.comments.map((c) => c.authorId) ?? []), ...extra])].sort().join(","),
    [project?.collaborators, project?.comments, extra],
  );
  useEffect(() => {
    for (const id of ids.split(",").filter(Boolean)) {
      if (names[id]) continue;
      void api.get<Schema<"UserResponse">>(`/api/users/${id}`).then((u) => setNames((n) => ({ ...n, [id]: u.displayName })), () => undefined);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ids]);
  return useCallback((id: string) => names[id] ?? "Someone", [names]);
}
