// The voice MIDI notes play on while editing: the engine's NoteSynth (audio/Rendering/NoteSynth.cs), so what is
// heard here is what a render gives. Two sines (the note, and its octave at 0.3) under a piecewise-linear
// envelope: attack, decay to a sustain level, release after the note ends.
import type { Note } from "./model";

export const attack = 0.005;
export const decay = 0.3;
export const sustain = 0.6;
export const release = 0.1;
const octaveLevel = 0.3;

export const frequency = (pitch: number) => 440 * Math.pow(2, (pitch - 69) / 12);

/** The voice's peak for a velocity: a quarter of full scale at 127, quadratic below. */
export const peak = (velocity: number) => 0.25 * Math.pow(Math.min(127, Math.max(0, velocity)) / 127, 2);

/** A piecewise-linear envelope in seconds (sustain 0-1): the engine's `Envelope` (audio/Rendering/Sampler.cs). */
export interface Envelope { attack: number; decay: number; sustain: number; release: number }

/** The voice's envelope. */
export const voice: Envelope = { attack, decay, sustain, release };

const holding = (e: Envelope, t: number) =>
  t < e.attack ? t / e.attack : t < e.attack + e.decay ? 1 - ((1 - e.sustain) * (t - e.attack)) / e.decay : e.sustain;

/** The envelope's level (0-1) `t` seconds into a note held for `held` seconds. */
export function envelope(t: number, held: number, e: Envelope = voice): number {
  if (t < 0) return 0;
  if (t < held) return holding(e, t);
  return e.release <= 0 ? 0 : Math.max(0, holding(e, held) * (1 - (t - held) / e.release));
}

/**
 * The envelope's corners, [seconds, level]: ramping linearly between them draws it exactly. From `into` seconds
 * into the note (playback started while it sounds), with times counted from there. A note never let go (`held`
 * infinite, a one-shot) has no release corner.
 */
export function envelopePoints(held: number, into = 0, e: Envelope = voice): [number, number][] {
  const corners = [0, e.attack, e.attack + e.decay].filter((t, i) => t < held && (i === 0 || t > 0));
  const points: [number, number][] = corners.map((t) => [t, holding(e, t)] as [number, number]);
  if (Number.isFinite(held)) points.push([held, holding(e, held)], [held + e.release, 0]);
  if (into <= 0) return points;
  return [[0, envelope(into, held, e)], ...points.filter(([t]) => t > into).map(([t, level]) => [t - into, level] as [number, number])];
}

/**
 * Schedules one note on `out` at context time `when`, `into` seconds into it (0 from its start), silenced at
 * `until` at the latest (its clip's end, as in the engine); returns its oscillators, to stop them early.
 */
export function playNote(context: BaseAudioContext, out: AudioNode, when: number, note: Note, rate: number, until = Infinity, into = 0): OscillatorNode[] {
  const held = note.length / rate;
  const env = context.createGain();
  env.gain.setValueAtTime(0, when);
  for (const [t, level] of envelopePoints(held, into)) env.gain.linearRampToValueAtTime(level * peak(note.velocity), when + t);
  env.connect(out);
  return [1, 2].map((harmonic) => {
    const osc = context.createOscillator();
    osc.frequency.value = frequency(note.pitch) * harmonic;
    if (harmonic === 1) osc.connect(env);
    else {
      const quiet = context.createGain();
      quiet.gain.value = octaveLevel;
      osc.connect(quiet).connect(env);
    }
    osc.start(when);
    osc.stop(Math.min(when + held + release - into, until));
    return osc;
  });
}
