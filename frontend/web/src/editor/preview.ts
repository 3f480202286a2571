// Plugin tracks in the studio. Hosted plugins run on the server, so a track with one is heard through a preview the
// engine renders (GET /api/projects/{id}/tracks/{trackId}/preview): a window of the track's clips through its whole
// effect chain, before its fader, pan and routing, which the browser applies as for any track. Windows are fetched
// ahead of the playhead (a short first one, so sound starts soon); an edit to what the preview depends on fetches a
// new one from the playhead, which takes over from the old one when it arrives, so the old sound plays until then.
// A bounce ("Mix in the browser") fetches every window before it renders.
import { request } from "../api/client";
import type { Track } from "./model";

/** An effect type that names a hosted plugin (`vst2:…`, `lv2:…`) rather than a built-in effect. */
export const isPlugin = (type: string) => type.startsWith("vst2:") || type.startsWith("lv2:");

/** Whether the studio hears the track through a server preview: it runs a hosted plugin. */
export const hasPlugins = (track: Track) => track.kind !== "bus" && track.effects.some((e) => !e.bypass && isPlugin(e.type));

/** What a track's preview depends on: its clips, its chain and the chain's lanes (not its fader, pan or routing). */
export const previewKey = (track: Track) =>
  JSON.stringify([track.clips, track.effects, track.automation.filter((l) => l.target.startsWith("effect:"))]);

/** Seconds of the first window (sound soon) and of the ones after it (few requests). */
export const firstWindow = 4;
export const nextWindow = 15;

/** The windows to fetch from timeline sample `from` to `to`, as [from, seconds] at the project's `rate`. */
export function windows(from: number, to: number, rate: number): [number, number][] {
  const out: [number, number][] = [];
  for (let at = from, n = 0; at < to && n < 1000; n++) {
    const seconds = Math.min(n === 0 ? firstWindow : nextWindow, (to - at) / rate);
    out.push([Math.round(at), seconds]);
    at += seconds * rate;
  }
  return out;
}

export class TrackPreview {
  private playing: { source: AudioBufferSourceNode; generation: number }[] = [];
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private cache = new Map<string, Promise<AudioBuffer>>();

  constructor(private readonly context: BaseAudioContext, private readonly projectId: string, private readonly trackId: string,
    private readonly output: AudioNode, private readonly rate: number) {}

  /** Plays the track from timeline sample `from` at context time `when`, up to `to`; what played before stops when this starts. */
  play(from: number, when: number, to: number, key: string) {
    const generation = ++this.generation;
    if (this.timer) clearTimeout(this.timer);
    const list = windows(from, to, this.rate);
    const next = (index: number) => {
      if (index >= list.length || generation !== this.generation) return;
      const [at, seconds] = list[index];
      const start = when + (at - from) / this.rate;
      void this.window(at, seconds, key).then((buffer) => {
        if (generation !== this.generation) return;
        const source = this.context.createBufferSource();
        source.buffer = buffer;
        source.connect(this.output);
        // Arrived late: start where the playhead is by now.
        const begin = Math.max(start, this.context.currentTime + 0.01);
        source.start(begin, begin - start);
        for (const old of this.playing) if (old.generation !== generation) try { old.source.stop(begin); } catch { /* never started */ }
        this.playing = [...this.playing.filter((p) => p.generation === generation), { source, generation }];
        // The next window is asked for a few seconds before this one ends.
        const ahead = (start + seconds - 3 - this.context.currentTime) * 1000;
        this.timer = setTimeout(() => next(index + 1), Math.max(0, ahead));
      }, () => undefined);
    };
    next(0);
  }

  /** For an offline render (a bounce): fetches every window from `from` to `to` and schedules it from context time `when`. */
  async scheduleAll(from: number, when: number, to: number, key: string) {
    for (const [at, seconds] of windows(from, to, this.rate)) {
      const source = this.context.createBufferSource();
      source.buffer = await this.window(at, seconds, key);
      source.connect(this.output);
      source.start(when + (at - from) / this.rate);
      this.playing.push({ source, generation: this.generation });
    }
  }

  stop() {
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    for (const { source } of this.playing) try { source.stop(); } catch { /* never started */ }
    this.playing = [];
  }

  private window(from: number, seconds: number, key: string): Promise<AudioBuffer> {
    const id = `${from}:${seconds}:${key}`;
    let buffer = this.cache.get(id);
    if (!buffer) {
      buffer = request(`/api/projects/${this.projectId}/tracks/${this.trackId}/preview?from=${from}&seconds=${seconds}`)
        .then((r) => r.arrayBuffer())
        .then((bytes) => this.context.decodeAudioData(bytes));
      buffer.catch(() => this.cache.delete(id));
      // A loop asks for the same windows pass after pass; keep a few.
      if (this.cache.size >= 8) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(id, buffer);
    }
    return buffer;
  }
}
