// The project as the server sends it, and the client's copy of the server's op application: applying
// the broadcast (normalized) ops in version order to the join snapshot gives the server's project. Kinds
// the editor does not apply itself (notes, the server-only restore kinds) make the session reload the
// snapshot instead, so the copy can lag but never diverge.
import type { Schema } from "../api/types";

export type Role = Schema<"ProjectRole">;
export type Curve = Schema<"FadeCurve">;

export type Fade = Schema<"Fade">;
export type Note = Schema<"MidiNote">;
export type Clip = Schema<"Clip">;
export type Effect = Schema<"Effect">;
export type Zone = Schema<"SampleZone">;
export type Track = Schema<"Track">;
export type Comment = Schema<"Comment">;
export type Lane = Schema<"AutomationLane">;
/** The project document; its dates are left out, since applied ops do not keep them current in the copy. */
export type Project = Omit<Schema<"ProjectDocument">, "createdAt" | "updatedAt">;

/** An applied op; its payload is always a JSON object (the document types it as any JSON). */
export type AppliedOp = Omit<Schema<"AppliedOpResponse">, "payload"> & { payload: Record<string, unknown> };

/** Samples in one quarter note at a tempo (the project's from its start unless another is given; tempo.ts has the map). */
export const samplesPerBeat = (p: Pick<Project, "sampleRate" | "tempo">, tempo = p.tempo) => (p.sampleRate * 60) / tempo;

/** Samples in one bar at a tempo (a beat is the time signature's denominator note). */
export const samplesPerBar = (p: Pick<Project, "sampleRate" | "tempo" | "timeSignature">, tempo = p.tempo) =>
  samplesPerBeat(p, tempo) * p.timeSignature.numerator * (4 / p.timeSignature.denominator);

/** A position snapped to the nearest multiple of `grid` samples. */
export const snap = (position: number, grid: number) => Math.max(0, Math.round(Math.round(position / grid) * grid));

/** The project's length: the end of its last clip. */
export const projectEnd = (p: Project) => Math.max(0, ...p.tracks.flatMap((t) => t.clips.map((c) => c.start + c.length)));

export function findClip(p: Project, clipId: string): { track: Track; clip: Clip } | undefined {
  for (const track of p.tracks) {
    const clip = track.clips.find((c) => c.id === clipId);
    if (clip) return { track, clip };
  }
  return undefined;
}

type Payload = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const move = <T>(list: T[], item: T, index: number) => {
  const rest = list.filter((x) => x !== item);
  rest.splice(index, 0, item);
  return rest;
};

const mapTracks = (p: Project, f: (t: Track) => Track): Project => ({ ...p, tracks: p.tracks.map(f) });

const mapClip = (p: Project, clipId: string, f: (c: Clip) => Clip): Project =>
  mapTracks(p, (t) => (t.clips.some((c) => c.id === clipId) ? { ...t, clips: t.clips.map((c) => (c.id === clipId ? f(c) : c)) } : t));

const mapTrack = (p: Project, trackId: string, f: (t: Track) => Track): Project => mapTracks(p, (t) => (t.id === trackId ? f(t) : t));

/** Applies `f` to the chain holding the effect, wherever it is (a track or the master). */
function mapChain(p: Project, effectId: string, f: (chain: Effect[], effect: Effect) => Effect[]): Project {
  const master = p.master.effects.find((e) => e.id === effectId);
  if (master) return { ...p, master: { ...p.master, effects: f(p.master.effects, master) } };
  return mapTracks(p, (t) => {
    const effect = t.effects.find((e) => e.id === effectId);
    return effect ? { ...t, effects: f(t.effects, effect) } : t;
  });
}

const mapComment = (p: Project, id: string, f: (c: Comment) => Comment): Project => ({
  ...p,
  comments: p.comments.map((c) => (c.id === id ? f(c) : c)),
});

const defined = <T extends object>(values: T) => Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;

/** The project after one applied op, or null when the editor leaves that kind to a snapshot reload. */
export function applyOp(p: Project, op: Pick<AppliedOp, "kind" | "payload" | "userId" | "at" | "version">): Project | null {
  const x = op.payload as Payload;
  const next = applyKind(p, op.kind, x, op);
  return next && { ...next, version: op.version };
}

function applyKind(p: Project, kind: string, x: Payload, op: Pick<AppliedOp, "userId" | "at">): Project | null {
  switch (kind) {
    case "project.set":
      return {
        ...p,
        ...defined({ name: x.name, description: x.description, tempo: x.tempo, timeSignature: x.timeSignature }),
        key: x.key === undefined ? p.key : x.key || null,
      };
    case "master.set":
      return { ...p, master: { ...p.master, volumeDb: x.volumeDb ?? p.master.volumeDb } };
    case "track.add": {
      const track: Track = {
        id: x.trackId, name: x.name, kind: x.kind ?? "audio", color: x.color, volumeDb: 0, pan: 0,
        mute: false, solo: false, output: null, effects: [], clips: [], automation: [], sends: [],
      };
      const tracks = [...p.tracks];
      tracks.splice(x.index ?? tracks.length, 0, track);
      return { ...p, tracks };
    }
    case "track.remove":
      return {
        ...p,
        tracks: p.tracks.filter((t) => t.id !== x.trackId).map((t) => ({
          ...t, output: t.output === x.trackId ? null : t.output, sends: t.sends.filter((s) => s.bus !== x.trackId),
        })),
        comments: p.comments.map((c) => (c.trackId === x.trackId ? { ...c, trackId: null } : c)),
      };
    case "track.rename":
      return mapTrack(p, x.trackId, (t) => ({ ...t, name: x.name }));
    case "track.recolor":
      return mapTrack(p, x.trackId, (t) => ({ ...t, color: x.color }));
    case "track.reorder": {
      const track = p.tracks.find((t) => t.id === x.trackId);
      return track ? { ...p, tracks: move(p.tracks, track, x.index) } : p;
    }
    case "track.send":
      return mapTrack(p, x.trackId, (t) => {
        if (x.remove) return { ...t, sends: t.sends.filter((s) => s.bus !== x.busId) };
        const had = t.sends.find((s) => s.bus === x.busId);
        const send = { bus: x.busId, levelDb: x.levelDb ?? had?.levelDb ?? 0, preFader: x.preFader ?? had?.preFader ?? false };
        return { ...t, sends: had ? t.sends.map((s) => (s === had ? send : s)) : [...t.sends, send] };
      });
    case "track.set":
      return mapTrack(p, x.trackId, (t) => ({
        ...t,
        ...defined({ volumeDb: x.volumeDb, pan: x.pan, mute: x.mute, solo: x.solo }),
        output: x.output === undefined ? t.output : x.output === "master" ? null : x.output,
      }));
    case "clip.add": {
      const clip: Clip = {
        id: x.clipId, start: x.start, length: x.length, assetId: x.assetId ?? null, offset: x.offset ?? 0,
        gainDb: x.gainDb ?? 0, fadeIn: { length: 0, curve: "linear" }, fadeOut: { length: 0, curve: "linear" }, muted: false,
        notes: (x.notes ?? []).map((n: Payload) => ({ id: n.noteId, pitch: n.pitch, velocity: n.velocity, start: n.start, length: n.length })),
        sourceTempo: null, transpose: 0, cents: 0, preserveFormants: false,
      };
      return mapTrack(p, x.trackId, (t) => ({ ...t, clips: [...t.clips, clip] }));
    }
    case "clip.move": {
      const found = findClip(p, x.clipId);
      if (!found) return p;
      const moved = { ...found.clip, start: x.start ?? found.clip.start };
      const target = x.trackId ?? found.track.id;
      return mapTracks(p, (t) => {
        const clips = t.clips.filter((c) => c.id !== x.clipId);
        return t.id === target ? { ...t, clips: [...clips, moved] } : clips.length === t.clips.length ? t : { ...t, clips };
      });
    }
    case "clip.resize":
      return mapClip(p, x.clipId, (c) => {
        const start = x.start ?? c.start;
        const fadeIn = Math.min(c.fadeIn.length, x.length);
        return {
          ...c, start, length: x.length,
          offset: c.assetId ? c.offset + (start - c.start) : 0,
          fadeIn: { ...c.fadeIn, length: fadeIn },
          fadeOut: { ...c.fadeOut, length: Math.min(c.fadeOut.length, x.length - fadeIn) },
        };
      });
    case "clip.split": {
      const found = findClip(p, x.clipId);
      if (!found) return p;
      const c = found.clip;
      const cut = x.at - c.start;
      const right: Clip = {
        ...c, id: x.newClipId, start: x.at, length: c.length - cut, offset: c.assetId ? c.offset + cut : 0,
        fadeIn: { length: 0, curve: "linear" },
        fadeOut: { length: Math.min(c.fadeOut.length, c.length - cut), curve: c.fadeOut.curve },
        notes: c.notes.filter((n) => n.start >= cut).map((n) => ({ ...n, start: n.start - cut })),
      };
      const left: Clip = {
        ...c, length: cut, fadeIn: { ...c.fadeIn, length: Math.min(c.fadeIn.length, cut) },
        fadeOut: { length: 0, curve: c.fadeOut.curve }, notes: c.notes.filter((n) => n.start < cut),
      };
      return mapTrack(p, found.track.id, (t) => ({ ...t, clips: [...t.clips.map((k) => (k.id === c.id ? left : k)), right] }));
    }
    case "clip.remove":
      return mapTracks(p, (t) => (t.clips.some((c) => c.id === x.clipId) ? { ...t, clips: t.clips.filter((c) => c.id !== x.clipId) } : t));
    case "clip.set":
      return mapClip(p, x.clipId, (c) => ({ ...c, ...defined({ gainDb: x.gainDb, fadeIn: x.fadeIn, fadeOut: x.fadeOut, muted: x.muted }) }));
    case "clip.stretch":
      return mapClip(p, x.clipId, (c) => ({
        ...c, sourceTempo: x.sourceTempo ?? null, transpose: x.transpose ?? 0, cents: x.cents ?? 0, preserveFormants: x.preserveFormants ?? false,
      }));
    case "effect.add": {
      const effect: Effect = { id: x.effectId, type: x.type, parameters: { ...(x.parameters ?? {}) }, bypass: x.bypass ?? false, sidechainTrackId: null, state: null, zones: [], soundFont: null };
      const insert = (chain: Effect[]) => {
        const next = [...chain];
        next.splice(x.index ?? next.length, 0, effect);
        return next;
      };
      return x.trackId ? mapTrack(p, x.trackId, (t) => ({ ...t, effects: insert(t.effects) })) : { ...p, master: { ...p.master, effects: insert(p.master.effects) } };
    }
    case "effect.remove":
      return mapChain(p, x.effectId, (chain, e) => chain.filter((k) => k !== e));
    case "effect.reorder":
      return mapChain(p, x.effectId, (chain, e) => move(chain, e, x.index));
    case "effect.bypass":
      return mapChain(p, x.effectId, (chain, e) => chain.map((k) => (k === e ? { ...e, bypass: x.bypass } : k)));
    case "effect.set":
      return mapChain(p, x.effectId, (chain, e) => {
        const parameters = { ...e.parameters, ...x.parameters };
        for (const name of (x.unset as string[] | undefined) ?? []) delete parameters[name];
        return chain.map((k) => (k === e ? { ...e, parameters } : k));
      });
    case "tempo.set":
      return { ...p, tempoChanges: (x.changes as { position: number; tempo: number }[]).map((c) => ({ position: c.position, tempo: c.tempo })) };
    case "effect.zones": {
      // The server fills what a zone leaves out with these defaults.
      const zones: Zone[] = (x.zones as Partial<Zone>[]).map((z) => ({ root: 60, low: 0, high: 127, lowVelocity: 1, highVelocity: 127, ...z }) as Zone);
      return mapChain(p, x.effectId, (chain, e) => chain.map((k) => (k === e ? { ...e, zones } : k)));
    }
    case "effect.soundfont":
      return mapChain(p, x.effectId, (chain, e) => chain.map((k) => (k === e ? { ...e, soundFont: x.soundFont ?? null } : k)));
    case "effect.state":
      return mapChain(p, x.effectId, (chain, e) => chain.map((k) => (k === e ? { ...e, state: x.state ?? null } : k)));
    case "automation.set": {
      // The lane is replaced where it is, added at the end, or removed when it has no points (as the server does).
      const set = (lanes: Lane[]): Lane[] =>
        x.points.length === 0
          ? lanes.filter((l) => l.target !== x.target)
          : lanes.some((l) => l.target === x.target)
            ? lanes.map((l) => (l.target === x.target ? { target: x.target, points: x.points } : l))
            : [...lanes, { target: x.target, points: x.points }];
      return x.trackId ? mapTrack(p, x.trackId, (t) => ({ ...t, automation: set(t.automation) })) : { ...p, master: { ...p.master, automation: set(p.master.automation) } };
    }
    case "effect.sidechain":
      return mapChain(p, x.effectId, (chain, e) => chain.map((k) => (k === e ? { ...e, sidechainTrackId: x.trackId ?? null } : k)));
    case "note.add":
      return mapClip(p, x.clipId, (c) => ({
        ...c,
        notes: [...c.notes, { id: x.noteId, pitch: x.pitch, velocity: x.velocity, start: x.start, length: x.length }],
      }));
    case "note.move":
      return mapClip(p, x.clipId, (c) => ({
        ...c,
        notes: c.notes.map((n) => (n.id === x.noteId ? { ...n, ...defined({ pitch: x.pitch, velocity: x.velocity, start: x.start, length: x.length }) } : n)),
      }));
    case "note.remove":
      return mapClip(p, x.clipId, (c) => ({ ...c, notes: c.notes.filter((n) => n.id !== x.noteId) }));
    case "comment.add":
      if (x.replyTo)
        return mapComment(p, x.replyTo, (c) => ({ ...c, replies: [...c.replies, { id: x.commentId, authorId: op.userId, text: x.text, createdAt: op.at }] }));
      return {
        ...p,
        comments: [...p.comments, { id: x.commentId, authorId: op.userId, position: x.position, trackId: x.trackId ?? null, text: x.text, resolved: false, createdAt: op.at, replies: [] }],
      };
    case "comment.edit":
      return {
        ...p,
        comments: p.comments.map((c) =>
          c.id === x.commentId ? { ...c, text: x.text } : { ...c, replies: c.replies.map((r) => (r.id === x.commentId ? { ...r, text: x.text } : r)) },
        ),
      };
    case "comment.resolve":
      return mapComment(p, x.commentId, (c) => ({ ...c, resolved: x.resolved ?? true }));
    case "comment.delete":
      return {
        ...p,
        comments: p.comments.filter((c) => c.id !== x.commentId).map((c) => ({ ...c, replies: c.replies.filter((r) => r.id !== x.commentId) })),
      };
    default:
      return null;
  }
}
