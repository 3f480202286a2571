// The built-in instruments as the studio plays them: the engine's Sampler (audio/Rendering/Sampler.cs), so what is
// heard here is what a render gives. A note starts a buffer source in every zone that answers its key and velocity,
// played 2^((key − root)/12) times as fast (Chromium reads it with linear interpolation, as the engine does), through a
// gain drawn with the engine's envelope. A sampler lets go of a note where it ends (or where its clip ends) and fades
// over the release; a one-shot sampler and the drums play each sample to its end.
import type { Schema } from "../api/types";
import type { Effect, Note, Track, Zone } from "./model";
import { envelopePoints, type Envelope } from "./synth";

type EffectSpec = Schema<"EffectSpec">;

/** The built-in instrument types (a soundfont plays through soundfont/player.ts). */
export const instrumentTypes = ["sampler", "drums", "soundfont"] as const;

export const isInstrument = (type: string) => (instrumentTypes as readonly string[]).includes(type);

/** The built-in instrument a track plays its notes on: the first of a MIDI track's chain, when it is one and not bypassed. */
export function instrumentOf(track: Track): Effect | null {
  const first = track.effects[0];
  return track.kind === "midi" && first && isInstrument(first.type) && !first.bypass ? first : null;
}

/** What an instrument's settings make of a note: its envelope, whether it plays to the end, its level, its zones. */
export interface Instrument { envelope: Envelope; oneShot: boolean; gain: number; sensitivity: number; zones: Zone[] }

/** A built-in instrument's parameter: its own value, or the catalog's default. */
export const parameterOf = (effect: Effect, spec: EffectSpec | undefined, name: string) =>
  effect.parameters[name] ?? Number(spec?.parameters.find((p) => p.name === name)?.default ?? 0);

/** The instrument of an effect, its parameters' defaults from the catalog's spec. */
export function instrument(effect: Effect, spec: EffectSpec | undefined): Instrument {
  const value = (name: string) => parameterOf(effect, spec, name);
  const drums = effect.type === "drums";
  return {
    envelope: drums
      ? { attack: 0, decay: 0, sustain: 1, release: 0 }
      : { attack: value("attackMs") / 1000, decay: value("decayMs") / 1000, sustain: value("sustain"), release: value("releaseMs") / 1000 },
    oneShot: drums || value("oneShot") >= 0.5,
    gain: Math.pow(10, value("gainDb") / 20),
    sensitivity: value("velocity"),
    zones: effect.zones,
  };
}

/** A note's level before its envelope: gain × (1 − s + s·(velocity/127)²) for the velocity sensitivity s. */
export const noteLevel = (gain: number, sensitivity: number, velocity: number) => gain * (1 - sensitivity + sensitivity * Math.pow(velocity / 127, 2));

/** The zones a note plays: every one whose keys and velocities hold it. */
export const zonesFor = (zones: readonly Zone[], pitch: number, velocity: number) =>
  zones.filter((z) => pitch >= z.low && pitch <= z.high && velocity >= z.lowVelocity && velocity <= z.highVelocity);

/**
 * Schedules one note on `out` at context time `when`, `into` seconds into it (0 from its start), its key let go after
 * `held` seconds (where the note or its clip ends); `buffers` are the zones' audio by asset id. Returns its sources.
 */
export function playSampled(context: BaseAudioContext, out: AudioNode, when: number, note: Note, held: number, into: number,
  inst: Instrument, buffers: ReadonlyMap<string, AudioBuffer>): AudioBufferSourceNode[] {
  const hold = inst.oneShot ? Infinity : held;
  const points = envelopePoints(hold, into, inst.envelope);
  const peak = noteLevel(inst.gain, inst.sensitivity, note.velocity);
  return zonesFor(inst.zones, note.pitch, note.velocity).flatMap((zone) => {
    const buffer = buffers.get(zone.assetId);
    const step = Math.pow(2, (note.pitch - zone.root) / 12);
    if (!buffer || into * step >= buffer.duration) return [];
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.playbackRate.value = step;
    const env = context.createGain();
    env.gain.setValueAtTime(points[0][1] * peak, when);
    for (const [t, level] of points.slice(1)) env.gain.linearRampToValueAtTime(level * peak, when + t);
    source.connect(env).connect(out);
    source.start(when, into * step);
    if (Number.isFinite(hold)) source.stop(when + hold + inst.envelope.release - into);
    return [source];
  });
}
