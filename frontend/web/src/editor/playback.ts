// Plays the arrangement in the browser with the Web Audio API: every clip's asset decoded once, each
// clip a buffer source with its gain and fades, MIDI clips' notes on the engine's voice (synth.ts), each
// track a fader gain, a panner and a mute gain (routed to its bus or the master), a metronome, and a loop
// region. Volume and pan lanes (a track's, the master's volume) drive the fader and panner: each pass
// schedules the lane's course over the played window on the AudioParam, sampled every 10 ms. Effects are
// not previewed here; renders run the real engine.
import { request } from "../api/client";
import { assetPath, Cache } from "./assets";
import { fill, laneOf, type Point } from "./automation";
import { samplesPerBeat, type Clip, type Project, type Track } from "./model";
import { playNote, release } from "./synth";

export interface Region { start: number; end: number }

export const dbToGain = (db: number) => (db <= -96 ? 0 : Math.pow(10, db / 20));

/** How often a lane is sampled onto an AudioParam (seconds); the param ramps linearly between samples. */
export const automationStep = 0.01;

/**
 * The values to hand `setValueCurveAtTime` for a lane over [from, to] (samples): one every `step` seconds and one at
 * `to`, each through `map` (dB to gain for volume). At least one value; two or more when `to` is after `from`.
 */
export function laneCurve(points: readonly Point[], from: number, to: number, rate: number, map: (v: number) => number = (v) => v, step = automationStep): Float32Array {
  const stride = step * rate;
  const steps = Math.max(0, Math.ceil((to - from) / stride));
  const values = fill(points, from, steps, stride);
  const out = new Float32Array(steps + 1);
  for (let i = 0; i < steps; i++) out[i] = map(values[i]);
  out[steps] = map(fill(points, to, 1)[0]);
  return out;
}

/** What the mixer's settings make of each track's nodes: the mute gain (0 or 1), and the fader and pan unless a lane drives them (null). */
export function mixSettings(project: Project): { tracks: Map<string, { mute: number; gain: number | null; pan: number | null }>; master: number | null } {
  const audible = audibleTracks(project.tracks);
  const tracks = new Map(project.tracks.map((t) => [t.id, {
    mute: audible.has(t.id) ? 1 : 0,
    gain: laneOf(t.automation, "volume") ? null : dbToGain(t.volumeDb),
    pan: laneOf(t.automation, "pan") ? null : t.pan,
  }]));
  return { tracks, master: laneOf(project.master.automation, "volume") ? null : dbToGain(project.master.volumeDb) };
}

interface TrackNodes { gain: GainNode; pan: StereoPannerNode; mute: GainNode }
/** An automated param: the lane it was last scheduled from, so an edited lane is scheduled again while playing. */
interface Driven { param: AudioParam; points: readonly Point[] | null; map: (v: number) => number }

/** Which tracks sound: with any solo on, only soloed tracks (and the buses they feed); never muted ones. */
export function audibleTracks(tracks: Track[]): Set<string> {
  const soloed = tracks.filter((t) => t.solo);
  if (soloed.length === 0) return new Set(tracks.filter((t) => !t.mute).map((t) => t.id));
  const audible = new Set<string>();
  for (const track of soloed) {
    for (let t: Track | undefined = track; t && !audible.has(t.id); t = tracks.find((b) => b.id === t!.output)) audible.add(t.id);
  }
  return new Set([...audible].filter((id) => !tracks.find((t) => t.id === id)!.mute));
}

/** The part of a clip that sounds in the window [from, to) of the timeline, in samples. */
export function clipWindow(clip: Clip, from: number, to: number): { at: number; offset: number; length: number } | null {
  const start = Math.max(clip.start, from);
  const end = Math.min(clip.start + clip.length, to);
  if (end <= start) return null;
  return { at: start - from, offset: clip.offset + (start - clip.start), length: end - start };
}

export class Playback {
  private context: AudioContext | null = null;
  private buffers = new Cache<AudioBuffer>();
  private sources: AudioScheduledSourceNode[] = [];
  private tracks = new Map<string, TrackNodes>();
  private master: GainNode | null = null;
  private driven = new Map<string, Driven>();
  // The pass playing now: when it started (context time), from where, to where (samples), and the project it follows.
  private pass: { when: number; from: number; to: number } | null = null;
  private project: Project | null = null;
  // When each scheduled pass starts (context time) and from where (samples); a loop adds one per pass.
  private passes: { when: number; from: number }[] = [{ when: 0, from: 0 }];
  private sampleRate = 48000;
  private loopTimer: ReturnType<typeof setTimeout> | null = null;
  playing = false;

  /** Decodes the assets of every clip ahead of playback. */
  preload(project: Project) {
    for (const t of project.tracks) for (const c of t.clips) if (c.assetId) void this.buffer(project.id, c.assetId).catch(() => undefined);
  }

  private buffer(projectId: string, assetId: string): Promise<AudioBuffer> {
    return this.buffers.get(assetId, () =>
      request(`${assetPath(projectId, assetId)}/audio`)
        .then((r) => r.arrayBuffer())
        .then((bytes) => this.audio().decodeAudioData(bytes)),
    );
  }

  private audio(): AudioContext {
    this.context ??= new AudioContext({ latencyHint: "interactive" });
    return this.context;
  }

  /** Starts at `from` (samples); with a loop region, plays it over and over. */
  async play(project: Project, from: number, loop: Region | null, metronome: boolean) {
    this.stop();
    const context = this.audio();
    await context.resume();
    this.sampleRate = project.sampleRate;
    this.master = context.createGain();
    this.master.connect(context.destination);
    this.tracks.clear();
    this.driven.clear();
    // Fader (a volume lane drives it), panner (a pan lane), then mute and solo, so muting never fights a lane.
    for (const track of project.tracks) {
      const gain = context.createGain();
      const pan = context.createStereoPanner();
      const mute = context.createGain();
      gain.connect(pan).connect(mute);
      this.tracks.set(track.id, { gain, pan, mute });
    }
    for (const track of project.tracks) {
      const out = (track.output && this.tracks.get(track.output)?.gain) || this.master;
      this.tracks.get(track.id)!.mute.connect(out);
    }
    this.project = project;
    this.update(project);
    this.playing = true;
    this.passes = [];
    const begin = loop && (from < loop.start || from >= loop.end) ? loop.start : from;
    await this.schedule(project, begin, loop, metronome, context.currentTime + 0.05);
  }

  private async schedule(project: Project, from: number, loop: Region | null, metronome: boolean, when: number) {
    const context = this.audio();
    const to = loop ? loop.end : Number.MAX_SAFE_INTEGER;
    const rate = project.sampleRate;
    this.passes = [...this.passes.slice(-1), { when, from }];
    this.pass = { when, from, to: loop ? loop.end : Number.MAX_SAFE_INTEGER };
    this.automate(this.project ?? project, false);
    for (const track of project.tracks) {
      const input = this.tracks.get(track.id)!.gain;
      for (const clip of track.clips) {
        if (clip.muted) continue;
        if (!clip.assetId) {
          if (track.kind === "midi") this.notes(clip, from, to, when, rate, input);
          continue;
        }
        const part = clipWindow(clip, from, to);
        if (!part) continue;
        const buffer = await this.buffer(project.id, clip.assetId).catch(() => null);
        if (!buffer || !this.playing) continue;
        const source = context.createBufferSource();
        source.buffer = buffer;
        const gain = context.createGain();
        this.fades(gain.gain, clip, part, when, rate);
        source.connect(gain).connect(input);
        source.start(when + part.at / rate, part.offset / rate, part.length / rate);
        this.sources.push(source);
      }
    }
    if (metronome) this.clicks(project, from, loop ? loop.end : from + rate * 60 * 10, when);
    if (loop) {
      const next = when + (loop.end - from) / rate;
      this.loopTimer = setTimeout(() => this.playing && void this.schedule(project, loop.start, loop, metronome, next), Math.max(0, (next - context.currentTime - 0.2) * 1000));
    }
  }

  /** The clip's notes that sound in the window; one already sounding at `from` plays on from where it is. */
  private notes(clip: Clip, from: number, to: number, when: number, rate: number, input: AudioNode) {
    const part = clipWindow(clip, from, to);
    if (!part || clip.notes.length === 0) return;
    const context = this.audio();
    const gain = context.createGain();
    this.fades(gain.gain, clip, part, when, rate);
    gain.connect(input);
    const end = Math.min(clip.start + clip.length, to);
    for (const note of clip.notes) {
      const at = clip.start + note.start;
      const into = Math.max(0, (from - at) / rate);
      if (into >= note.length / rate + release || at >= end || this.sources.length > 20000) continue;
      this.sources.push(...playNote(context, gain, when + Math.max(0, at - from) / rate, note, rate, when + (end - from) / rate, into));
    }
  }

  private fades(param: AudioParam, clip: Clip, part: { at: number; offset: number; length: number }, when: number, rate: number) {
    const level = dbToGain(clip.gainDb);
    const t0 = when + part.at / rate;
    const intoClip = part.offset - clip.offset; // samples already past the clip's start
    const fadeInLeft = clip.fadeIn.length - intoClip;
    param.setValueAtTime(fadeInLeft > 0 ? (level * intoClip) / Math.max(1, clip.fadeIn.length) : level, t0);
    if (fadeInLeft > 0) param.linearRampToValueAtTime(level, t0 + fadeInLeft / rate);
    const fadeOutStart = clip.length - clip.fadeOut.length - intoClip;
    if (clip.fadeOut.length > 0 && fadeOutStart < part.length) {
      const at = t0 + Math.max(0, fadeOutStart) / rate;
      param.setValueAtTime(level, at);
      param.linearRampToValueAtTime(0, t0 + (clip.length - intoClip) / rate);
    }
  }

  private clicks(project: Project, from: number, to: number, when: number) {
    const context = this.audio();
    const beat = samplesPerBeat(project) * (4 / project.timeSignature.denominator);
    const rate = project.sampleRate;
    for (let n = Math.ceil(from / beat); n * beat < to && this.sources.length < 5000; n++) {
      const t = when + (n * beat - from) / rate;
      const osc = context.createOscillator();
      const env = context.createGain();
      osc.frequency.value = n % project.timeSignature.numerator === 0 ? 1500 : 1000;
      env.gain.setValueAtTime(0.3, t);
      env.gain.exponentialRampToValueAtTime(0.001, t + 0.04);
      osc.connect(env).connect(this.master!);
      osc.start(t);
      osc.stop(t + 0.05);
      this.sources.push(osc);
    }
  }

  /** Mixer changes take effect while playing; a lane that drives a control is left to drive it (and scheduled again when edited). */
  update(project: Project) {
    const mix = mixSettings(project);
    this.project = project;
    for (const track of project.tracks) {
      const nodes = this.tracks.get(track.id);
      const settings = mix.tracks.get(track.id)!;
      if (!nodes) continue;
      nodes.mute.gain.value = settings.mute;
      if (settings.gain !== null) this.set(`${track.id}:volume`, nodes.gain.gain, settings.gain);
      if (settings.pan !== null) this.set(`${track.id}:pan`, nodes.pan.pan, settings.pan);
    }
    if (this.master && mix.master !== null) this.set("master:volume", this.master.gain, mix.master);
    if (this.pass) this.automate(project, true);
  }

  /** A control's own setting, once no lane drives it (what a lane had scheduled is dropped first). */
  private set(key: string, param: AudioParam, value: number) {
    if (this.driven.delete(key)) param.cancelScheduledValues(0);
    param.value = value;
  }

  /**
   * Schedules the volume and pan lanes over the pass playing now: from where it is (or starts) to the pass's end,
   * or without a loop to the lane's last point (the param holds the last value after it). With `changedOnly`, only
   * lanes whose points differ from what was scheduled (an edit while playing, a collaborator's included).
   */
  private automate(project: Project, changedOnly: boolean) {
    const lanes: [string, AudioParam | undefined, Point[] | undefined, (v: number) => number][] = [];
    for (const track of project.tracks) {
      const nodes = this.tracks.get(track.id);
      lanes.push([`${track.id}:volume`, nodes?.gain.gain, laneOf(track.automation, "volume")?.points, dbToGain]);
      lanes.push([`${track.id}:pan`, nodes?.pan.pan, laneOf(track.automation, "pan")?.points, (v) => Math.max(-1, Math.min(1, v))]);
    }
    lanes.push(["master:volume", this.master?.gain, laneOf(project.master.automation, "volume")?.points, dbToGain]);
    for (const [key, param, points, map] of lanes) {
      if (!param || !points?.length) continue;
      const driven = this.driven.get(key);
      // A control held by a hand (recording) stays where the hand puts it until playback stops.
      if (changedOnly && driven && (driven.points === points || driven.points === null)) continue;
      this.driven.set(key, { param, points, map });
      this.drive(param, points, map);
    }
  }

  private drive(param: AudioParam, points: readonly Point[], map: (v: number) => number) {
    const pass = this.pass!;
    const context = this.audio();
    const rate = this.sampleRate;
    // Not before now: a lane edited mid-pass takes over from the playhead.
    const start = Math.max(pass.when, context.currentTime);
    const from = pass.from + (start - pass.when) * rate;
    const to = Math.min(pass.to, Math.max(from, points[points.length - 1].time));
    const values = laneCurve(points, from, to, rate, map);
    try {
      param.cancelScheduledValues(start);
      if (values.length < 2) param.setValueAtTime(values[0], start);
      // A millisecond short of the pass's end, so the next pass's curve never overlaps this one.
      else param.setValueCurveAtTime(values, start, Math.max(0.001, (to - from) / rate - 0.001));
    } catch {
      param.setValueAtTime(values[values.length - 1], start); // a curve the param refused: hold the value
    }
  }

  /** While a control is moved to record it, it is heard as it is moved: what its lane had scheduled stops. */
  hold(trackId: string | null, target: "volume" | "pan", value: number) {
    const nodes = trackId ? this.tracks.get(trackId) : null;
    const param = target === "pan" ? nodes?.pan.pan : trackId ? nodes?.gain.gain : this.master?.gain;
    if (!param || !this.context) return;
    const now = this.context.currentTime;
    param.cancelScheduledValues(0);
    param.setValueAtTime(target === "pan" ? value : dbToGain(value), now);
    this.driven.set(`${trackId ?? "master"}:${target}`, { param, points: null, map: (v) => v });
  }

  /** The timeline position now, in samples (loops wrap). */
  position(loop: Region | null): number {
    const now = this.context?.currentTime ?? 0;
    const pass = [...this.passes].reverse().find((p) => p.when <= now) ?? this.passes[0];
    if (!this.playing) return this.passes[this.passes.length - 1].from;
    const position = pass.from + Math.max(0, now - pass.when) * this.sampleRate;
    return loop && position >= loop.end ? loop.end : position;
  }

  stop() {
    this.playing = false;
    if (this.loopTimer) clearTimeout(this.loopTimer);
    for (const s of this.sources) {
      try {
        s.stop();
      } catch {
        /* never started */
      }
    }
    this.sources = [];
    this.master?.disconnect();
    this.master = null;
    this.pass = null;
    this.driven.clear();
  }
}
