// Automation lanes in the browser: the engine's evaluator (Jacameno.Audio.Rendering.AutomationEnvelope, the same
// curves and edges, so what the editor draws and plays is what a render does), the editing of a lane's points
// (kept in time order, as the server requires), the ranges of the controls a lane can drive, and the thinning
// and merging of a recorded pass. Every edit ends as one `automation.set` op carrying the whole lane.
import type { Schema } from "../api/types";
import type { Lane, Project, Track } from "./model";

export type AutomationCurve = Schema<"AutomationCurve">;
export type Point = Lane["points"][number];

export const curves: { curve: AutomationCurve; label: string }[] = [
  { curve: "linear", label: "Linear" },
  { curve: "hold", label: "Hold (step)" },
  { curve: "exponential", label: "Exponential (slow, then fast)" },
  { curve: "logarithmic", label: "Logarithmic (fast, then slow)" },
  { curve: "sCurve", label: "S-curve" },
];

/** How far along the way from a point to the next a control is, for a fraction `t` (0..1) of the time. */
export function shape(curve: AutomationCurve, t: number): number {
  switch (curve) {
    case "hold":
      return 0;
    case "exponential":
      return t * t;
    case "logarithmic":
      return 1 - (1 - t) * (1 - t);
    case "sCurve":
      return t * t * (3 - 2 * t);
    default:
      return t;
  }
}

/** The index of the last point at or before `time`, or −1 when `time` is before the first. */
function lastAtOrBefore(points: readonly Point[], time: number): number {
  let [low, high, found] = [0, points.length - 1, -1];
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (points[middle].time <= time) [found, low] = [middle, middle + 1];
    else high = middle - 1;
  }
  return found;
}

function between(from: Point, to: Point, time: number): number {
  const t = (time - from.time) / (to.time - from.time);
  return from.value + (to.value - from.value) * shape(from.curve, t);
}

/**
 * The lane's value at `time` (samples): before the first point the first value, after the last the last; between
 * two points the first's curve. Equal times make a jump (the later point wins from its time on).
 */
export function valueAt(points: readonly Point[], time: number): number {
  if (points.length === 0) throw new Error("An automation lane needs at least one point.");
  const segment = lastAtOrBefore(points, time);
  if (segment < 0) return points[0].value;
  if (segment === points.length - 1) return points[segment].value;
  return between(points[segment], points[segment + 1], time);
}

/** `count` values from `start`, `step` samples apart (1: every sample, as the engine's Fill). */
export function fill(points: readonly Point[], start: number, count: number, step = 1): Float64Array {
  const output = new Float64Array(count);
  if (count === 0) return output;
  let segment = lastAtOrBefore(points, start);
  for (let i = 0; i < count; i++) {
    const time = start + i * step;
    while (segment + 1 < points.length && points[segment + 1].time <= time) segment++;
    output[i] = segment < 0 ? points[0].value : segment === points.length - 1 ? points[segment].value : between(points[segment], points[segment + 1], time);
  }
  return output;
}

// --- Editing: each helper returns a new array in time order; the caller sends it as the whole lane. ---

/** The lane with `point` inserted after any points at the same time; returns the lane and the new point's index. */
export function insertPoint(points: readonly Point[], point: Point): { points: Point[]; index: number } {
  const index = lastAtOrBefore(points, point.time) + 1;
  return { points: [...points.slice(0, index), point, ...points.slice(index)], index };
}

/**
 * The lane with point `index` moved to (`time`, `value`): its time stays between its neighbours' (a drag does not
 * reorder the lane), and never below 0.
 */
export function movePoint(points: readonly Point[], index: number, time: number, value: number): Point[] {
  const low = index > 0 ? points[index - 1].time : 0;
  const high = index < points.length - 1 ? points[index + 1].time : Number.MAX_SAFE_INTEGER;
  const clamped = Math.round(Math.min(high, Math.max(low, time)));
  return points.map((p, i) => (i === index ? { ...p, time: clamped, value } : p));
}

export function removePoint(points: readonly Point[], index: number): Point[] {
  return points.filter((_, i) => i !== index);
}

export function setCurve(points: readonly Point[], index: number, curve: AutomationCurve): Point[] {
  return points.map((p, i) => (i === index ? { ...p, curve } : p));
}

/** The op that makes `points` the lane of `target` (no points removes it); `trackId` null for the master. */
export const laneOp = (trackId: string | null, target: string, points: readonly Point[]) => ({
  kind: "automation.set",
  payload: { ...(trackId ? { trackId } : {}), target, points: points.map((p) => ({ time: Math.round(p.time), value: p.value, curve: p.curve })) },
});

export const laneOf = (lanes: readonly Lane[], target: string) => lanes.find((l) => l.target === target);

// --- Targets: what a lane drives, and its range. ---

export interface Target { target: string; label: string; min: number; max: number; unit: string; value: number }

/**
 * A built-in effect's parameters as the catalog describes them (`automatable` false for those fixed when playback
 * starts); hosted plugins' as they declare them.
 */
export interface ParameterInfo { name: string; label: string; min: number; max: number; unit: string; default: number; automatable?: boolean }

// Until the catalog is in: the parameters the engine fixes when playback starts (the delay's line, the limiter's).
const fixedParameters: Record<string, string[]> = { delay: ["timeMs", "beats"], limiter: ["ceilingDb", "releaseMs", "lookaheadMs"] };

/** The volume lane is drawn from −60 dB (as the fader goes) to +12; the op takes −96..12. */
export const volumeRange = { min: -60, max: 12 };

/**
 * What the lanes of a track (or the master, without one) can drive: volume and pan (tracks only), then each effect's
 * automatable parameters from `parameters(effect)` (the catalog's or the plugin's), else the effect's current ones.
 */
export function targetsOf(track: Track | null, project: Project, parameters: (type: string) => ParameterInfo[] | undefined): Target[] {
  const targets: Target[] = [
    { target: "volume", label: "Volume", ...volumeRange, unit: "dB", value: track ? track.volumeDb : project.master.volumeDb },
  ];
  if (track) targets.push({ target: "pan", label: "Pan", min: -1, max: 1, unit: "", value: track.pan });
  for (const send of track?.sends ?? []) {
    const bus = project.tracks.find((t) => t.id === send.bus)?.name ?? "bus";
    targets.push({ target: `send:${send.bus}`, label: `Send to ${bus}`, ...volumeRange, unit: "dB", value: send.levelDb });
  }
  const effects = track ? track.effects : project.master.effects;
  effects.forEach((effect, n) => {
    const known = parameters(effect.type);
    const list: ParameterInfo[] = known ?? Object.entries(effect.parameters).map(([name, v]) => ({
      name, label: name, min: Math.min(0, v), max: Math.max(1, v * 2), unit: "", default: v,
    }));
    for (const p of list) {
      if (p.automatable === false || (!known && fixedParameters[effect.type]?.includes(p.name))) continue;
      targets.push({
        target: `effect:${effect.id}:${p.name}`, label: `${n + 1}. ${effect.type.split(":").pop()} · ${p.label}`,
        min: p.min, max: p.max, unit: p.unit, value: effect.parameters[p.name] ?? p.default,
      });
    }
  });
  // Lanes the picker would not offer (an effect's parameter not described) still show up under their own name.
  for (const lane of track ? track.automation : project.master.automation) {
    if (targets.some((t) => t.target === lane.target)) continue;
    const values = lane.points.map((p) => p.value);
    targets.push({ target: lane.target, label: lane.target, min: Math.min(0, ...values), max: Math.max(1, ...values), unit: "", value: values[0] ?? 0 });
  }
  return targets;
}

// --- Recording: a control moved during playback becomes points. ---

/** At most one point per 50 ms, and only when the value changed. */
export const recordInterval = 0.05;

/**
 * The points of one recorded pass over one lane, thinned as they come: a value is kept when it differs from the last
 * point's and at least `minGap` samples have passed since; one that comes sooner waits, and is kept when the pass
 * ends (so a gesture ends where the hand stopped) unless a later value took its place.
 */
export class Recording {
  readonly points: Point[] = [];
  private pending: { time: number; value: number } | null = null;
  constructor(private readonly minGap: number) {}

  /** Takes the control's value at `time`; false when it was not (or not yet) made a point. */
  add(time: number, value: number): boolean {
    const last = this.points[this.points.length - 1];
    if (last && time < last.time) return false; // time went back (a loop, a seek): a new pass takes it
    if (last && time - last.time < this.minGap) {
      this.pending = value === last.value ? null : { time, value };
      return false;
    }
    this.pending = null;
    if (last && value === last.value) return false;
    this.points.push({ time: Math.round(time), value, curve: "linear" });
    return true;
  }

  /**
   * The pass's points, with the value still waiting (no sooner than `minGap` after the last point); with `end` (where
   * the pass stopped) after the last point, the last value is held to there, as the control was.
   */
  finish(end?: number): Point[] {
    let last = this.points[this.points.length - 1];
    if (last && this.pending) {
      this.points.push((last = { time: Math.round(Math.max(this.pending.time, last.time + this.minGap)), value: this.pending.value, curve: "linear" }));
    }
    this.pending = null;
    if (last && end !== undefined && Math.round(end) > last.time) this.points.push({ time: Math.round(end), value: last.value, curve: "linear" });
    return this.points;
  }

  /** Where the pass is: the last point's time (or the waiting value's), −1 before the first. */
  get end() { return this.pending?.time ?? this.points[this.points.length - 1]?.time ?? -1; }
}

/**
 * The lane after a recorded pass: the recorded points replace what the lane had from the first recorded time to
 * the last; outside that span it keeps its values (a point at each edge holds the old value there, so the
 * recording jumps in and out rather than bending the lane around it). `before` is the lane as it was (empty: the
 * control's own `setting` held everywhere). At most `limit` points: a longer recording is thinned evenly.
 */
export function mergeRecording(before: readonly Point[], recorded: readonly Point[], setting: number, limit = 1000): Point[] {
  if (recorded.length === 0) return [...before];
  const [first, last] = [recorded[0], recorded[recorded.length - 1]];
  const left = before.filter((p) => p.time < first.time);
  const right = before.filter((p) => p.time > last.time);
  // The old lane just before the span (where it came from) and at its end (where it goes on from).
  const next = before[left.length];
  const into = !before.length ? setting : !left.length ? before[0].value : next ? between(left[left.length - 1], next, first.time) : left[left.length - 1].value;
  const out = before.length ? valueAt(before, last.time) : setting;
  const lead: Point[] = into !== first.value && first.time > 0 ? [{ time: first.time, value: into, curve: "linear" }] : [];
  const tail: Point[] = out !== last.value ? [{ time: last.time, value: out, curve: curveAt(before, last.time) }] : [];
  let middle = recorded.map((p) => ({ ...p }));
  const room = limit - left.length - right.length - lead.length - tail.length;
  if (middle.length > room && room >= 2) {
    const all = middle;
    middle = Array.from({ length: room }, (_, i) => all[Math.round((i * (all.length - 1)) / (room - 1))]);
  }
  return [...left, ...lead, ...middle, ...tail, ...right];
}

/** The curve of the segment holding `time` (the way the old lane went on from there). */
function curveAt(points: readonly Point[], time: number): AutomationCurve {
  const i = lastAtOrBefore(points, time);
  return i < 0 || i === points.length - 1 ? "linear" : points[i].curve;
}

/**
 * Automation write: the passes recorded from moving controls during playback, per lane, until `take` turns them into
 * ops (when playback stops, and every few seconds while it plays). Time going back (a loop's next pass, a seek)
 * starts a new pass over the lane; each pass replaces the span it covered, in order.
 */
export class AutomationWriter {
  private passes = new Map<string, { trackId: string | null; target: "volume" | "pan"; done: Point[][]; current: Recording }>();
  constructor(private readonly minGap: number) {}

  /** A control's value at `time` (samples) while playing. */
  move(trackId: string | null, target: "volume" | "pan", time: number, value: number) {
    const key = `${trackId ?? "master"}:${target}`;
    let pass = this.passes.get(key);
    if (!pass) this.passes.set(key, (pass = { trackId, target, done: [], current: new Recording(this.minGap) }));
    if (time < pass.current.end) {
      pass.done.push(pass.current.finish());
      pass.current = new Recording(this.minGap);
    }
    pass.current.add(time, value);
  }

  get recording() { return this.passes.size > 0; }

  /**
   * One `automation.set` per lane written to since the last take, each the lane of `project` with the passes merged
   * in; the pass playing now ends at `now`. While playback goes on (`stopped` false) a control once moved keeps
   * writing its value (latched) until playback stops.
   */
  take(project: Project, now?: number, stopped = true): { kind: string; payload: Record<string, unknown> }[] {
    const ops = [];
    const latched: [string, { trackId: string | null; target: "volume" | "pan"; done: Point[][]; current: Recording }][] = [];
    for (const [key, { trackId, target, done, current }] of this.passes) {
      const points = current.finish(now);
      if (!stopped && points.length && now !== undefined) {
        const seed = new Recording(this.minGap);
        seed.add(now, points[points.length - 1].value);
        latched.push([key, { trackId, target, done: [], current: seed }]);
      }
      const track = trackId ? project.tracks.find((t) => t.id === trackId) : null;
      if (trackId && !track) continue;
      const lanes = track ? track.automation : project.master.automation;
      const setting = target === "pan" ? (track?.pan ?? 0) : track ? track.volumeDb : project.master.volumeDb;
      const before = laneOf(lanes, target)?.points ?? [];
      const after = [...done, points].reduce<Point[]>((lane, pass) => mergeRecording(lane, pass, setting), [...before]);
      if (after.length > 0 && JSON.stringify(after) !== JSON.stringify(before)) ops.push(laneOp(trackId, target, after));
    }
    this.passes = new Map(latched);
    return ops;
  }
}
