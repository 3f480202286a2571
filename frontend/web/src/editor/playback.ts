// Plays the arrangement in the browser with the Web Audio API: every clip's asset decoded once, each
// clip a buffer source with its gain and fades, MIDI clips' notes on the engine's voice (synth.ts), each
// track a gain and a panner (routed to its bus or the master), a metronome, and a loop region. Effects are
// not previewed here; renders run the real engine.
import { request } from "../api/client";
import { assetPath, Cache } from "./assets";
import { samplesPerBeat, type Clip, type Project, type Track } from "./model";
import { playNote, release } from "./synth";

export interface Region { start: number; end: number }

const dbToGain = (db: number) => (db <= -96 ? 0 : Math.pow(10, db / 20));

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
  private tracks = new Map<string, { gain: GainNode; pan: StereoPannerNode }>();
  private master: GainNode | null = null;
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
    for (const track of project.tracks) {
      const gain = context.createGain();
      const pan = context.createStereoPanner();
      gain.connect(pan);
      this.tracks.set(track.id, { gain, pan });
    }
    for (const track of project.tracks) {
      const out = (track.output && this.tracks.get(track.output)?.gain) || this.master;
      this.tracks.get(track.id)!.pan.connect(out);
    }
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

  /** Mixer changes take effect while playing. */
  update(project: Project) {
    const audible = audibleTracks(project.tracks);
    for (const track of project.tracks) {
      const nodes = this.tracks.get(track.id);
      if (!nodes) continue;
      nodes.gain.gain.value = audible.has(track.id) ? dbToGain(track.volumeDb) : 0;
      nodes.pan.pan.value = track.pan;
    }
    if (this.master) this.master.gain.value = dbToGain(project.master.volumeDb);
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
  }
}
