// Plays the arrangement in the browser with the Web Audio API: every clip's asset decoded once, each
// clip a buffer source with its gain and fades, MIDI clips' notes on the track's built-in instrument (sampler.ts) or the
// engine's voice (synth.ts), each
// track its built-in effects (an AudioWorklet running the engine's algorithms, dsp/), a fader gain, a panner
// (the engine's pan law: a gain per channel) and a mute gain (routed to its bus or the master), the master's effects and fader, a metronome, and a loop
// region. Volume and pan lanes (a track's, the master's volume) drive the fader and panner: each pass
// schedules the lane's course over the played window on the AudioParam, sampled every 10 ms; effect lanes
// run in the worklet at the engine's control rate. A track with a hosted plugin is heard through the server's preview
// of its clips and chain (preview.ts), into its fader like any track's sound (a bounce fetches it all first).
// `bounce` plays the same graph into an OfflineAudioContext: the mix as the browser hears it, as a file.
import { api, request } from "../api/client";
import type { Schema } from "../api/types";
import { assetPath, Cache } from "./assets";
import { fill, laneOf, type Point } from "./automation";
import type { ChainEffect, ChainMessage } from "./dsp/chain";
import chainWorklet from "./dsp/chain.worklet.ts?worker&url";
import type { StretchOptions } from "./dsp/stretch.worklet";
import stretchWorklet from "./dsp/stretch.worklet.ts?worker&url";
import { projectEnd, type Clip, type Effect, type Project, type Track } from "./model";
import { quartersPerBeat, tempoMap } from "./tempo";
import { hasPlugins, previewKey, TrackPreview } from "./preview";
import { instrument, instrumentOf, parameterOf, playSampled, type Instrument } from "./sampler";
import { blockStart, loadSoundFont, playFontNote } from "./soundfont/player";
import type { SoundFont } from "./soundfont/sf2";
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

/**
 * The engine's pan law (the renderer's `Pan`): constant power, made unity in the centre, each channel scaled by its
 * own gain (a balance): left cos θ·√2, right sin θ·√2, θ = (pan + 1)·π/4. The browser's StereoPannerNode folds one
 * channel into the other instead, so the studio would not sound like the export.
 */
export function panGains(pan: number): [number, number] {
  const theta = ((Math.max(-1, Math.min(1, pan)) + 1) * Math.PI) / 4;
  return [Math.cos(theta) * Math.SQRT2, Math.sin(theta) * Math.SQRT2];
}

/** The panner's nodes: its two channels apart, each through its gain, and back together. */
interface Panner { input: AudioNode; output: AudioNode; left: AudioParam; right: AudioParam }

function createPanner(context: BaseAudioContext): Panner {
  const split = context.createChannelSplitter(2);
  const merge = context.createChannelMerger(2);
  const [left, right] = [context.createGain(), context.createGain()];
  split.connect(left, 0).connect(merge, 0, 0);
  split.connect(right, 1).connect(merge, 0, 1);
  return { input: split, output: merge, left: left.gain, right: right.gain };
}

/** A track's nodes: its effects (absent where the browser has no AudioWorklet), fader, panner and mute. */
/**
 * A track's nodes: effects, `post` (after them: pre-fader sends start here), fader, panner, mute. `instrument` is where
 * its built-in instrument's voices go in (its level lane moves it); `sends` feed buses, by bus id.
 */
interface TrackNodes {
  fx: AudioWorkletNode | null; post: GainNode; gain: GainNode; pan: Panner; mute: GainNode; instrument: GainNode;
  sends: Map<string, { level: GainNode; mute: GainNode; preFader: boolean }>;
}

/**
 * A built-in instrument's level lane, as the gain over the level its voices are played at (the engine's: the lane's
 * level less the set one, in dB, sample by sample); null without one.
 */
export function instrumentLevel(track: Track, catalog: ReadonlyMap<string, EffectSpec>): { points: Point[]; map: (v: number) => number } | null {
  const inst = instrumentOf(track);
  const points = inst && laneOf(track.automation, `effect:${inst.id}:gainDb`)?.points;
  if (!inst || !points?.length) return null;
  const set = parameterOf(inst, catalog.get(inst.type), "gainDb");
  return { points, map: (v) => dbToGain(v - set) };
}

/** Where a track's signal goes in: its effects when it has a worklet, else straight on to its fader. */
const inputOf = (nodes: { fx: AudioWorkletNode | null; post: GainNode }) => nodes.fx ?? nodes.post;

type EffectSpec = Schema<"EffectSpec">;
/** Sidechain keys a track's effects may listen to at once (the worklet's inputs after its own). */
export const sidechainInputs = 4;

/**
 * What the worklet of a chain runs: the built-in effects that are not bypassed, every parameter (the catalog's
 * defaults fill what the project leaves out), which are fixed while running, the lanes of each, and the input of a
 * compressor's key (`keys`: the key tracks in input order).
 */
export function chainOf(effects: readonly Effect[], lanes: readonly { target: string; points: Point[] }[], catalog: ReadonlyMap<string, EffectSpec>,
  keys: readonly string[] = []): ChainEffect[] {
  return effects.flatMap((effect) => {
    const spec = catalog.get(effect.type);
    if (!spec || spec.instrument || effect.bypass) return [];
    const parameters = Object.fromEntries(spec.parameters.map((p) => [p.name, effect.parameters[p.name] ?? Number(p.default)]));
    const own = lanes.filter((l) => l.target.startsWith(`effect:${effect.id}:`) && l.points.length > 0);
    const key = effect.sidechainTrackId ? keys.indexOf(effect.sidechainTrackId) : -1;
    return [{
      id: effect.id, type: effect.type, parameters,
      fixed: spec.parameters.filter((p) => p.automatable === false).map((p) => p.name),
      lanes: Object.fromEntries(own.map((l) => [l.target.slice(`effect:${effect.id}:`.length), l.points])),
      ...(key >= 0 ? { key: key + 1 } : {}),
    }];
  });
}

/**
 * The tracks a track's compressors are keyed by and that have a chain to listen to (`chained`), in the order of the
 * worklet's inputs (as many as it has): what the worklet is told and how the graph is wired both come from here.
 */
export const sidechainKeys = (track: Track, chained: (trackId: string) => boolean) =>
  [...new Set(track.effects.filter((e) => !e.bypass && e.sidechainTrackId && e.sidechainTrackId !== track.id && chained(e.sidechainTrackId))
    .map((e) => e.sidechainTrackId!))].slice(0, sidechainInputs);

let catalogLoad: Promise<Map<string, EffectSpec>> | null = null;
/** The built-in effects' specs, loaded once; none (effects unheard) when they cannot be had. */
function effectCatalog(): Promise<Map<string, EffectSpec>> {
  catalogLoad ??= api.get<EffectSpec[]>("/api/effects").then((specs) => new Map(specs.map((s) => [s.type, s])), () => {
    catalogLoad = null;
    return new Map();
  });
  return catalogLoad;
}
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

/** Loads the worklets (effect chains, the clip stretcher) into a context: false where the browser has none or refuses them. */
async function loadWorklet(context: BaseAudioContext): Promise<boolean> {
  if (!("audioWorklet" in context) || typeof AudioWorkletNode === "undefined") return false;
  return Promise.all([chainWorklet, stretchWorklet].map((m) => context.audioWorklet.addModule(m))).then(() => true, () => false);
}

/** How the engine plays a clip stretched: output ÷ source length (following the project's tempo) and semitones. */
export function stretchOf(clip: Clip, projectTempo: number): { ratio: number; semitones: number } | null {
  const ratio = clip.sourceTempo ? Math.min(20, Math.max(0.05, clip.sourceTempo / projectTempo)) : 1;
  const semitones = clip.transpose + clip.cents / 100;
  return ratio === 1 && semitones === 0 ? null : { ratio, semitones };
}

export class Playback {
  private context: BaseAudioContext | null = null;
  private worklets: Promise<boolean> | null = null;
  private catalog: ReadonlyMap<string, EffectSpec> = new Map();
  private masterFx: AudioWorkletNode | null = null;
  // What each chain's worklet was last told, and which key tracks feed its inputs, so only changes are sent again.
  private told = new Map<AudioWorkletNode, string>();
  private wired = new Map<string, string>();
  private buffers = new Cache<AudioBuffer>();
  private sources: AudioScheduledSourceNode[] = [];
  // Stretched clips playing, each in its own worklet.
  private stretching: AudioWorkletNode[] = [];
  private tracks = new Map<string, TrackNodes>();
  private master: GainNode | null = null;
  private driven = new Map<string, Driven>();
  // Plugin tracks' previews, with the key of what each was fetched for.
  private previews = new Map<string, { preview: TrackPreview; key: string }>();
  // The pass playing now: when it started (context time), from where, to where (samples), and the project it follows.
  private pass: { when: number; from: number; to: number } | null = null;
  private project: Project | null = null;
  // When each scheduled pass starts (context time) and from where (samples); a loop adds one per pass.
  private passes: { when: number; from: number }[] = [{ when: 0, from: 0 }];
  private sampleRate = 48000;
  /** Rendering into an OfflineAudioContext (a bounce), where everything is scheduled before the render starts. */
  private get offline() {
    return typeof OfflineAudioContext !== "undefined" && this.context instanceof OfflineAudioContext;
  }
  private loopTimer: ReturnType<typeof setTimeout> | null = null;
  playing = false;

  /** `create`: the context to play into, made on first use (an OfflineAudioContext for a bounce). */
  constructor(private readonly create: () => BaseAudioContext = () => new AudioContext({ latencyHint: "interactive" })) {}

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

  private audio(): BaseAudioContext {
    this.context ??= this.create();
    return this.context;
  }

  /** The live context playback runs on, which recording shares so that captured frames and the timeline keep one clock. */
  audioContext(): AudioContext {
    return this.audio() as AudioContext;
  }

  /** When each pass of the transport started (context time) and from where (timeline samples): the newest two. */
  passStarts(): readonly { when: number; from: number }[] {
    return this.playing ? this.passes : [];
  }

  /**
   * A bar of metronome clicks ending at `at` (context time), for a playback started to begin then: the count-in before
   * recording. `bar`: its length in samples. Clicks already past are left out.
   */
  countIn(project: Project, at: number, bar: number, tempo: number) {
    if (this.playing) this.clicks(project, 0, bar, at - bar / project.sampleRate, tempo);
  }

  /** Starts at `from` (samples); with a loop region, plays it over and over. `at`: when, in context time (soon by default). */
  async play(project: Project, from: number, loop: Region | null, metronome: boolean, at?: number) {
    this.stop();
    const context = this.audio();
    if (!this.offline) await (context as AudioContext).resume();
    const [catalog, worklets] = await Promise.all([effectCatalog(), (this.worklets ??= loadWorklet(context))]);
    this.catalog = catalog;
    const when = at ?? context.currentTime + 0.05;
    const begin = loop && (from < loop.start || from >= loop.end) ? loop.start : from;
    // A worklet starts with its chain and the first pass (a message could come after an offline render's first quanta).
    const passes = [{ frame: Math.round(when * context.sampleRate), from: begin }];
    const chain = (message: ChainMessage) => {
      if (!worklets) return null;
      const node = new AudioWorkletNode(context, "effect-chain", {
        numberOfInputs: 1 + sidechainInputs, outputChannelCount: [2], channelCount: 2, channelCountMode: "explicit",
        processorOptions: { projectRate: project.sampleRate, message: { ...message, passes } },
      });
      this.told.set(node, JSON.stringify(message));
      return node;
    };
    this.sampleRate = project.sampleRate;
    this.master = context.createGain();
    this.master.connect(context.destination);
    this.masterFx = chain(this.masterMessage(project));
    this.masterFx?.connect(this.master);
    this.tracks.clear();
    this.driven.clear();
    // Effects, fader (a volume lane drives it), panner (a pan lane), then mute and solo, so muting never fights a lane.
    for (const track of project.tracks) {
      // Every track gets a chain here, so any of them may key another.
      const fx = chain(this.trackMessage(track, project, sidechainKeys(track, (id) => project.tracks.some((t) => t.id === id))));
      // Stereo from the fader on, a mono source heard on both channels (as the engine plays it).
      const gain = context.createGain();
      gain.channelCount = 2;
      gain.channelCountMode = "explicit";
      const pan = createPanner(context);
      const mute = context.createGain();
      const instrument = context.createGain();
      const post = context.createGain();
      instrument.connect(fx ?? post);
      fx?.connect(post);
      post.connect(gain);
      gain.connect(pan.input);
      pan.output.connect(mute);
      this.tracks.set(track.id, { fx, post, gain, pan, mute, instrument, sends: new Map() });
      if (hasPlugins(track)) {
        this.previews.set(track.id, { preview: new TrackPreview(context, project.id, track.id, post, project.sampleRate), key: previewKey(track) });
      }
    }
    for (const track of project.tracks) {
      const bus = track.output ? this.tracks.get(track.output) : undefined;
      this.tracks.get(track.id)!.mute.connect(bus ? inputOf(bus) : this.masterFx ?? this.master);
    }
    this.wireSends(project);
    this.project = project;
    this.update(project);
    this.playing = true;
    this.passes = [];
    await this.schedule(project, begin, loop, metronome, when);
  }

  private trackMessage(track: Track, project: Project, keys: readonly string[]): ChainMessage {
    return { tempo: project.tempo, effects: chainOf(track.effects, track.automation, this.catalog, keys) };
  }

  private masterMessage(project: Project): ChainMessage {
    return { tempo: project.tempo, effects: chainOf(project.master.effects, project.master.automation, this.catalog) };
  }

  /** Tells each chain's worklet what it runs (when that changed) and wires the key tracks into its sidechain inputs. */
  private effects(project: Project) {
    const tell = (node: AudioWorkletNode | null, message: ChainMessage) => {
      const text = JSON.stringify(message);
      if (!node || this.told.get(node) === text) return;
      this.told.set(node, text);
      node.port.postMessage(message);
    };
    for (const track of project.tracks) {
      const nodes = this.tracks.get(track.id);
      if (!nodes?.fx) continue;
      const keys = sidechainKeys(track, (id) => !!this.tracks.get(id)?.fx);
      tell(nodes.fx, this.trackMessage(track, project, keys));
      if (this.wired.get(track.id) === keys.join()) continue;
      // A key is the other track's signal after its effects, before its fader: as the engine keys a compressor.
      for (const other of this.tracks.values()) if (other !== nodes) try { other.fx?.disconnect(nodes.fx); } catch { /* was not connected */ }
      keys.forEach((key, n) => this.tracks.get(key)!.fx!.connect(nodes.fx!, 0, n + 1));
      this.wired.set(track.id, keys.join());
    }
    tell(this.masterFx, this.masterMessage(project));
  }

  private async schedule(project: Project, from: number, loop: Region | null, metronome: boolean, when: number) {
    const context = this.audio();
    const worklets = await (this.worklets ?? Promise.resolve(false));
    const tempo = tempoMap(project);
    const to = loop ? loop.end : Number.MAX_SAFE_INTEGER;
    const rate = project.sampleRate;
    this.passes = [...this.passes.slice(-1), { when, from }];
    this.pass = { when, from, to: loop ? loop.end : Number.MAX_SAFE_INTEGER };
    // The worklets place their effect lanes on the timeline by the passes' first frames.
    const passes = this.passes.map((p) => ({ frame: Math.round(p.when * context.sampleRate), from: p.from }));
    for (const fx of this.chains()) fx.port.postMessage({ passes } satisfies ChainMessage);
    this.automate(this.project ?? project, false);
    for (const track of project.tracks) {
      const input = inputOf(this.tracks.get(track.id)!);
      const preview = this.previews.get(track.id);
      if (preview) {
        const end = loop ? loop.end : projectEnd(project);
        if (this.offline) await preview.preview.scheduleAll(from, when, end, preview.key).catch(() => undefined);
        else preview.preview.play(from, when, end, preview.key);
        continue;
      }
      const builtIn = instrumentOf(track);
      const font = builtIn?.type === "soundfont" && builtIn.soundFont ? await loadSoundFont(builtIn.soundFont).catch(() => null) : null;
      const sampled = builtIn && builtIn.type !== "soundfont" && await this.instrument(project.id, instrument(builtIn, this.catalog.get(builtIn.type)));
      for (const clip of track.clips) {
        if (clip.muted) continue;
        if (!clip.assetId) {
          const voices = this.tracks.get(track.id)!.instrument;
          if (font) this.fontNotes(clip, from, to, when, rate, voices, font, builtIn!);
          else if (sampled) this.sampled(clip, from, to, when, rate, voices, sampled);
          else if (track.kind === "midi") this.notes(clip, from, to, when, rate, input);
          continue;
        }
        const part = clipWindow(clip, from, to);
        if (!part) continue;
        const buffer = await this.buffer(project.id, clip.assetId).catch(() => null);
        if (!buffer || !this.playing) continue;
        const stretch = stretchOf(clip, tempo.tempoAt(clip.start));
        if (stretch && worklets) {
          this.stretched(clip, part, stretch, buffer, when, rate, input);
          continue;
        }
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

  /**
   * A stretched or transposed clip's part, through the stretcher worklet (the engine's placement: output sample j of the
   * clip reads the source at j ÷ ratio, from its offset × ratio on), then its gain and fades. Only the source it can
   * reach is handed over, with room for the stretcher's search either side.
   */
  private stretched(clip: Clip, part: { at: number; offset: number; length: number }, stretch: { ratio: number; semitones: number },
    buffer: AudioBuffer, when: number, rate: number, input: AudioNode) {
    const context = this.audio();
    const scale = buffer.sampleRate / rate; // project samples to the buffer's
    const source = ((Math.round(clip.offset * stretch.ratio) + part.offset - clip.offset) / stretch.ratio) * scale;
    const first = Math.max(0, Math.floor(source) - 4096);
    const last = Math.min(buffer.length, Math.ceil(source + (part.length * scale) / stretch.ratio) + 4096);
    const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c).slice(first, Math.max(first, last)));
    const options: StretchOptions = {
      source: channels, from: source - first, ratio: stretch.ratio, semitones: stretch.semitones, formants: clip.preserveFormants,
      start: Math.round((when + part.at / rate) * context.sampleRate), frames: Math.round(part.length * (context.sampleRate / rate)),
    };
    const node = new AudioWorkletNode(context, "clip-stretch", { numberOfInputs: 0, outputChannelCount: [2], processorOptions: options });
    const gain = context.createGain();
    this.fades(gain.gain, clip, part, when, rate);
    node.connect(gain).connect(input);
    this.stretching.push(node);
  }

  /** An instrument with its zones' audio decoded (those that cannot be had are left silent). */
  private async instrument(projectId: string, inst: Instrument) {
    const buffers = new Map<string, AudioBuffer>();
    await Promise.all([...new Set(inst.zones.map((z) => z.assetId))].map((id) =>
      this.buffer(projectId, id).then((b) => void buffers.set(id, b), () => undefined)));
    return { ...inst, buffers };
  }

  /**
   * The clip's notes on a built-in instrument, in the window. As in the engine, an instrument lets go of a note where its
   * clip ends, and the clip's gain and fades are not applied (they shape audio clips; notes have velocities).
   */
  private sampled(clip: Clip, from: number, to: number, when: number, rate: number, input: AudioNode, inst: Instrument & { buffers: Map<string, AudioBuffer> }) {
    const context = this.audio();
    const end = clip.start + clip.length;
    for (const note of clip.notes) {
      const at = clip.start + note.start;
      if (at >= Math.min(end, to) || this.sources.length > 20000) continue;
      const held = Math.min(note.length, end - at) / rate;
      const into = Math.max(0, (from - at) / rate);
      if (!inst.oneShot && into >= held + inst.envelope.release) continue;
      this.sources.push(...playSampled(context, input, when + Math.max(0, at - from) / rate, note, held, into, inst, inst.buffers));
    }
  }

  /**
   * The clip's notes on a SoundFont preset, in the window: each from the start of FluidSynth's block it falls in, let go
   * at the block where it (or its clip) ends, as the server plays them; one begun before the window plays on from there.
   */
  private fontNotes(clip: Clip, from: number, to: number, when: number, rate: number, input: AudioNode, font: SoundFont, effect: Effect) {
    const value = (name: string) => parameterOf(effect, this.catalog.get("soundfont"), name);
    const context = this.audio();
    const end = clip.start + clip.length;
    for (const note of clip.notes) {
      const [start, stop] = [clip.start + note.start, Math.min(clip.start + note.start + note.length, end)];
      const [on, off] = [blockStart(start), blockStart(stop)];
      if (start >= Math.min(end, to) || stop <= start || this.sources.length > 20000) continue;
      // A note already sounding where playback starts plays on from there (its envelope and sample where they are).
      const into = Math.max(0, (from - on) / rate);
      try {
        this.sources.push(...playFontNote(context, input, when + Math.max(0, on - from) / rate, into, note, (off - on) / rate, font,
          value("bank"), value("program"), dbToGain(value("gainDb"))));
      } catch {
        // A note the browser refuses to schedule (a region's values out of any sensible range) is left out, not the rest.
      }
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

  /**
   * Metronome clicks on the beats in [from, to) of the timeline, through the tempo changes, the first of each bar higher;
   * `tempo`, for a count-in: a steady one instead.
   */
  private clicks(project: Project, from: number, to: number, when: number, tempo?: number) {
    const context = this.audio();
    const map = tempoMap(tempo === undefined ? project : { ...project, tempo, tempoChanges: [] });
    const quarters = quartersPerBeat(project);
    const rate = project.sampleRate;
    for (let n = Math.ceil(map.beatAt(from) / quarters - 1e-9); map.positionOf(n * quarters) < to && this.sources.length < 5000; n++) {
      const t = when + (map.positionOf(n * quarters) - from) / rate;
      if (t < context.currentTime) continue;
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
    this.wireSends(project);
    for (const track of project.tracks) {
      const nodes = this.tracks.get(track.id);
      const settings = mix.tracks.get(track.id)!;
      if (!nodes) continue;
      nodes.mute.gain.value = settings.mute;
      for (const send of track.sends) {
        const sent = nodes.sends.get(send.bus);
        if (!sent) continue;
        sent.mute.gain.value = settings.mute;
        if (!laneOf(track.automation, `send:${send.bus}`)) this.set(`${track.id}:send:${send.bus}`, sent.level.gain, dbToGain(send.levelDb));
      }
      if (!instrumentLevel(track, this.catalog)) this.set(`${track.id}:instrument`, nodes.instrument.gain, 1);
      if (settings.gain !== null) this.set(`${track.id}:volume`, nodes.gain.gain, settings.gain);
      if (settings.pan !== null) {
        const [left, right] = panGains(settings.pan);
        this.set(`${track.id}:pan:left`, nodes.pan.left, left);
        this.set(`${track.id}:pan:right`, nodes.pan.right, right);
      }
    }
    if (this.master && mix.master !== null) this.set("master:volume", this.master.gain, mix.master);
    this.effects(project);
    this.followPreviews(project);
    if (this.pass) this.automate(project, true);
  }

  /**
   * Connects each track's sends to their buses, as the engine feeds them: pre-fader from after its effects, post-fader
   * from after its fader and pan; a send that went or changed sides is taken down first. Levels are set by `update`.
   */
  private wireSends(project: Project) {
    if (!this.context) return;
    for (const track of project.tracks) {
      const nodes = this.tracks.get(track.id);
      if (!nodes) continue;
      for (const [bus, sent] of nodes.sends) {
        if (track.sends.some((s) => s.bus === bus && s.preFader === sent.preFader && this.tracks.has(bus))) continue;
        sent.level.disconnect();
        sent.mute.disconnect();
        nodes.sends.delete(bus);
        this.driven.delete(`${track.id}:send:${bus}`);
      }
      for (const send of track.sends) {
        const bus = this.tracks.get(send.bus);
        if (!bus || nodes.sends.has(send.bus)) continue;
        const [level, mute] = [this.context.createGain(), this.context.createGain()];
        (send.preFader ? nodes.post : nodes.mute).connect(level).connect(mute).connect(inputOf(bus));
        nodes.sends.set(send.bus, { level, mute, preFader: send.preFader });
      }
    }
  }

  /** A plugin track edited while playing gets a new preview from the playhead, which takes over when it arrives. */
  private followPreviews(project: Project) {
    const pass = this.pass;
    if (!this.playing || !pass || !this.context) return;
    for (const track of project.tracks) {
      const entry = this.previews.get(track.id);
      const key = entry && previewKey(track);
      if (!entry || key === entry.key) continue;
      entry.key = key!;
      const when = Math.max(pass.when, this.context.currentTime + 0.05);
      const at = pass.from + (when - pass.when) * this.sampleRate;
      entry.preview.play(at, when, Math.min(pass.to, projectEnd(project)), entry.key);
    }
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
      const pan = laneOf(track.automation, "pan")?.points;
      lanes.push([`${track.id}:pan:left`, nodes?.pan.left, pan, (v) => panGains(v)[0]]);
      lanes.push([`${track.id}:pan:right`, nodes?.pan.right, pan, (v) => panGains(v)[1]]);
      const level = instrumentLevel(track, this.catalog);
      lanes.push([`${track.id}:instrument`, nodes?.instrument.gain, level?.points, level?.map ?? dbToGain]);
      for (const send of track.sends) {
        lanes.push([`${track.id}:send:${send.bus}`, nodes?.sends.get(send.bus)?.level.gain, laneOf(track.automation, `send:${send.bus}`)?.points, dbToGain]);
      }
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
    const held: [string, AudioParam | undefined, number][] = target === "pan"
      ? [[`${trackId}:pan:left`, nodes?.pan.left, panGains(value)[0]], [`${trackId}:pan:right`, nodes?.pan.right, panGains(value)[1]]]
      : [[`${trackId ?? "master"}:volume`, trackId ? nodes?.gain.gain : this.master?.gain, dbToGain(value)]];
    if (!this.context) return;
    const now = this.context.currentTime;
    for (const [key, param, v] of held) {
      if (!param) continue;
      param.cancelScheduledValues(0);
      param.setValueAtTime(v, now);
      this.driven.set(key, { param, points: null, map: (x) => x });
    }
  }

  private chains(): AudioWorkletNode[] {
    return [...this.tracks.values()].map((t) => t.fx).concat(this.masterFx).filter((n): n is AudioWorkletNode => n !== null);
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
    for (const { preview } of this.previews.values()) preview.stop();
    this.previews.clear();
    if (this.loopTimer) clearTimeout(this.loopTimer);
    for (const s of this.sources) {
      try {
        s.stop();
      } catch {
        /* never started */
      }
    }
    this.sources = [];
    for (const node of this.stretching) {
      node.port.postMessage("stop");
      node.disconnect();
    }
    this.stretching = [];
    // A worklet runs until told to end (a reverb's tail would otherwise keep it alive).
    for (const fx of this.chains()) {
      fx.port.postMessage({ end: true } satisfies ChainMessage);
      fx.disconnect();
    }
    this.masterFx = null;
    this.told.clear();
    this.wired.clear();
    this.master?.disconnect();
    this.master = null;
    this.pass = null;
    this.driven.clear();
  }
}

/** The mix from the start to the end of the last clip as the browser plays it, effects and lanes included, rendered offline. */
export async function bounce(project: Project): Promise<AudioBuffer> {
  const length = Math.max(1, ...project.tracks.flatMap((t) => t.clips.map((c) => c.start + c.length)));
  const context = new OfflineAudioContext(2, length, project.sampleRate);
  const playback = new Playback(() => context);
  await playback.play(project, 0, null, false, 0);
  return context.startRendering();
}
