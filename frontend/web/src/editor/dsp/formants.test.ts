// Formants kept through a transposition: with nothing to correct the stage gives back its input sample for sample; a
// vowel-like sound (a 150 Hz pulse train through an 800 Hz resonance) transposed up a fourth or down a fifth keeps its
// resonance at 800 Hz, where plain transposition moves it to 1 068 Hz or 534 Hz.
import { describe, expect, it } from "vitest";
import { FormantKeeper, fft, type Pull } from "./formants";
import { Stretcher } from "./stretch";

const rate = 48000;

function pullAll(source: Pull, frames: number): Float32Array {
  const out = [new Float32Array(frames)];
  for (let at = 0; at < frames; at += 128) source.process(out, Math.min(128, frames - at), at);
  return out[0];
}

/** A pulse train at `f0` through a two-pole resonance at `formant` (100 Hz wide). */
function vowel(f0: number, formant: number, seconds: number): Float32Array {
  const x = new Float32Array(rate * seconds);
  const r = Math.exp((-Math.PI * 100) / rate);
  const [a1, a2] = [2 * r * Math.cos((2 * Math.PI * formant) / rate), -r * r];
  let [y1, y2] = [0, 0];
  for (let i = 0; i < x.length; i++) {
    const pulse = i % Math.round(rate / f0) === 0 ? 1 : 0;
    const y = pulse + a1 * y1 + a2 * y2;
    [y2, y1] = [y1, y];
    x[i] = 0.05 * y;
  }
  return x;
}

/** The frequency of the strongest harmonic of `f0` between 300 and 2000 Hz, from a 8192-point spectrum of the middle. */
function strongestHarmonic(x: Float32Array, f0: number): number {
  const n = 8192;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const from = Math.floor(x.length / 2 - n / 2);
  for (let i = 0; i < n; i++) re[i] = x[from + i] * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
  fft(re, im);
  let [best, strongest] = [0, 0];
  for (let h = 1; h * f0 < 2000; h++) {
    if (h * f0 < 300) continue;
    const k = Math.round((h * f0 * n) / rate);
    let level = 0;
    for (let j = k - 2; j <= k + 2; j++) level = Math.max(level, Math.hypot(re[j], im[j]));
    if (level > strongest) [best, strongest] = [h * f0, level];
  }
  return best;
}

describe("the studio's formant keeper", () => {
  it("gives back its input exactly when there is nothing to correct, each channel its own", () => {
    const [x, y] = [vowel(150, 800, 1), vowel(210, 1300, 1)];
    let at = 0;
    const both: Pull = {
      process(out, frames, offset = 0) {
        for (const [c, source] of [x, y].entries()) {
          out[c].fill(0, offset, offset + frames);
          out[c].set(source.subarray(at, Math.min(source.length, at + frames)), offset);
        }
        at += frames;
      },
    };
    const keeper = new FormantKeeper(both, 1, 2);
    const out = [new Float32Array(rate), new Float32Array(rate)];
    for (let n = 0; n < rate; n += 128) keeper.process(out, 128, n);
    let worst = 0;
    for (let i = 0; i < rate; i++) worst = Math.max(worst, Math.abs(out[0][i] - x[i]), Math.abs(out[1][i] - y[i]));
    expect(worst).toBeLessThan(1e-5);
  });

  it.each([5, -7])("keeps a vowel's resonance in place when it is transposed by %i semitones", (semitones) => {
    const x = vowel(150, 800, 2);
    const f0 = 150 * Math.pow(2, semitones / 12);
    const plain = pullAll(new Stretcher([x], 1, semitones, 0), 2 * rate);
    const kept = pullAll(new FormantKeeper(new Stretcher([x], 1, semitones, 0), Math.pow(2, semitones / 12), 1), 2 * rate);
    const [moved, held] = [strongestHarmonic(plain, f0), strongestHarmonic(kept, f0)];
    console.log(`strongest harmonic: ${moved.toFixed(0)} Hz transposed plainly, ${held.toFixed(0)} Hz with formants kept`);
    expect(Math.abs(moved - 800 * Math.pow(2, semitones / 12))).toBeLessThan(f0 / 2 + 1);
    expect(Math.abs(held - 800)).toBeLessThan(f0 / 2 + 1);
  });
});
