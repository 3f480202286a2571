// The loop library in the studio: what dropping a loop does to the project, and hearing a loop in time with it.
// A loop is played at the project's tempo (the stretcher, as a clip that follows the tempo is) and in phase with its
// bars, so it sounds as it will once dropped; a one-shot is played as it is.
import { request } from "../api/client";
import type { Schema } from "../api/types";
export { instruments } from "../market/market";
import { Stretcher } from "./dsp/stretch";
import type { Project } from "./model";
import type { OpDraft } from "./session";
import { tempoMap } from "./tempo";

export type Loop = Schema<"LoopSummary">;
export type LoopTaken = Schema<"LoopTaken">;

/** What a dragged loop carries. */
export const loopDragType = "application/x-jacameno-loop";


/** The project's length in samples of `beats` quarter notes from `at`, at the tempo there (as the engine stretches a clip). */
const beatsLong = (project: Project, at: number, beats: number) => Math.round((beats * 60 * project.sampleRate) / tempoMap(project).tempoAt(at));

/**
 * The ops that drop a taken loop at `at` on the track (or on a new track named after it): a clip of the whole file
 * which, for a loop, follows the project's tempo from its own (its beats long at the tempo where it starts).
 */
export function loopClipOps(project: Project, loop: Loop, assetId: string, trackId: string | null, at: number, ids: () => string = () => crypto.randomUUID()): OpDraft[] {
  const target = trackId ?? ids();
  const clipId = ids();
  const length = loop.bpm && loop.beats ? beatsLong(project, at, loop.beats) : Math.max(1, Math.round(loop.durationSeconds * project.sampleRate));
  const ops: OpDraft[] = trackId ? [] : [{ kind: "track.add", payload: { trackId: target, name: loop.name.slice(0, 64), kind: "audio" } }];
  ops.push({ kind: "clip.add", payload: { trackId: target, clipId, start: at, length, assetId } });
  if (loop.bpm) ops.push({ kind: "clip.stretch", payload: { clipId, sourceTempo: loop.bpm, transpose: 0, cents: 0, preserveFormants: false } });
  return ops;
}

/**
 * Where in a loop of `beats` quarter notes the project is at beat `beat` (in quarter notes from the loop's start,
 * 0 ≤ x < beats): loops are cut on bar lines, so a loop heard from bar 1 of the project is in phase with it.
 */
export const loopPhase = (beat: number, beats: number) => ((beat % beats) + beats) % beats;

/** The loop's channels stretched from its tempo to `tempo` (the studio's stretcher, offline). */
export function stretchedLoop(channels: Float32Array[], loopBpm: number, tempo: number): Float32Array<ArrayBuffer>[] {
  const ratio = loopBpm / tempo;
  const frames = Math.round(channels[0].length * ratio);
  const out = channels.map(() => new Float32Array(frames));
  new Stretcher(channels, ratio, 0, 0).process(out, frames);
  return out;
}

/**
 * Plays one loop at a time through the studio's audio context, over and over: in time and in phase with the
 * transport while it plays (`position` gives where it is), at the tempo under the playhead while it does not.
 */
export class Audition {
  private source: AudioBufferSourceNode | null = null;
  private decoded = new Map<string, Promise<AudioBuffer>>();
  playing: string | null = null;

  constructor(private readonly context: () => AudioContext) {}

  async play(loop: Loop, project: Project, position: number, transportPlaying: boolean) {
    this.stop();
    this.playing = loop.id;
    const context = this.context();
    await context.resume();
    const decoded = await this.decode(loop);
    if (this.playing !== loop.id) return;
    const source = context.createBufferSource();
    source.connect(context.destination);
    this.source = source;
    if (!loop.bpm || !loop.beats) {
      source.buffer = decoded;
      source.start();
      source.onended = () => { if (this.source === source) this.stop(); };
      return;
    }
    const map = tempoMap(project);
    // Start a little ahead, where the transport will then be, in phase with its bars.
    const lead = 0.05;
    const at = transportPlaying ? position + lead * project.sampleRate : position;
    const tempo = map.tempoAt(at);
    const channels = Array.from({ length: decoded.numberOfChannels }, (_, c) => decoded.getChannelData(c));
    const stretched = stretchedLoop(channels, loop.bpm, tempo);
    const buffer = context.createBuffer(stretched.length, stretched[0].length, context.sampleRate);
    stretched.forEach((x, c) => buffer.copyToChannel(x, c));
    source.buffer = buffer;
    source.loop = true;
    const phase = transportPlaying ? loopPhase(map.beatAt(at), loop.beats) : 0;
    source.start(context.currentTime + (transportPlaying ? lead : 0), (phase * 60) / tempo);
  }

  stop() {
    this.playing = null;
    try {
      this.source?.stop();
    } catch {
      /* never started */
    }
    this.source?.disconnect();
    this.source = null;
  }

  private decode(loop: Loop): Promise<AudioBuffer> {
    let decoded = this.decoded.get(loop.id);
    if (!decoded) {
      decoded = request(`/api/loops/${loop.id}/audio`).then((r) => r.arrayBuffer()).then((bytes) => this.context().decodeAudioData(bytes));
      this.decoded.set(loop.id, decoded);
      decoded.catch(() => this.decoded.delete(loop.id));
    }
    return decoded;
  }
}
