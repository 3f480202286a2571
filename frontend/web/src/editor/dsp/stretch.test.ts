// The studio's stretcher keeps pitch when it scales time, keeps time when it transposes, and keeps time with the
// source: a click train stretched lands its clicks where the ratio puts them.
import { describe, expect, it } from "vitest";
import { Stretcher } from "./stretch";

const rate = 48000;
const sine = (hz: number, seconds: number) => Float32Array.from({ length: rate * seconds }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / rate));

function run(source: Float32Array[], ratio: number, semitones: number, frames: number, from = 0): Float32Array {
  const stretcher = new Stretcher(source, ratio, semitones, from);
  const out = [new Float32Array(frames)];
  for (let at = 0; at < frames; at += 128) stretcher.process(out, Math.min(128, frames - at), at);
  return out[0];
}

/** Upward zero crossings per second over [from, to). */
const frequency = (x: Float32Array, from: number, to: number) => {
  let ups = 0;
  for (let i = from + 1; i < to; i++) if (x[i - 1] < 0 && x[i] >= 0) ups++;
  return ups / ((to - from) / rate);
};

describe("the studio's stretcher", () => {
  it("scales time without changing pitch", () => {
    const out = run([sine(440, 2)], 1.5, 0, 3 * rate);
    expect(frequency(out, rate / 2, 2.5 * rate)).toBeGreaterThan(436);
    expect(frequency(out, rate / 2, 2.5 * rate)).toBeLessThan(444);
    // It starts at full level and lasts as long as the ratio says (1.5 × 2 s), then is silent.
    expect(Math.max(...out.subarray(0, 2000).map(Math.abs))).toBeGreaterThan(0.45);
    expect(Math.max(...out.subarray(2.9 * rate, 2.95 * rate).map(Math.abs))).toBeGreaterThan(0.3);
  });

  it("transposes without changing length", () => {
    const out = run([sine(440, 2)], 1, 7, 2 * rate);
    const hz = frequency(out, rate / 4, 1.75 * rate);
    expect(Math.abs(1200 * Math.log2(hz / (440 * Math.pow(2, 7 / 12))))).toBeLessThan(10); // cents
    expect(Math.max(...out.subarray(1.9 * rate, 1.95 * rate).map(Math.abs))).toBeGreaterThan(0.3);
  });

  it("keeps time with the source: clicks every 100 ms come every 200 ms at twice the length, from any start", () => {
    const clicks = new Float32Array(2 * rate);
    for (let at = 0; at < clicks.length; at += rate / 10) for (let i = 0; i < 48; i++) clicks[at + i] = Math.sin((2 * Math.PI * i) / 48);
    const out = run([clicks], 2, 0, 3 * rate, 0.5 * rate);
    // Started half a second in: the click at source 0.6 s comes 0.2 s into the output, 0.7 s at 0.4 s, ...
    for (let n = 1; n <= 6; n++) {
      const expected = Math.round(n * 0.2 * rate);
      let [peak, where] = [0, 0];
      for (let i = expected - 0.05 * rate; i < expected + 0.05 * rate; i++) if (Math.abs(out[i]) > peak) [peak, where] = [Math.abs(out[i]), i];
      expect(Math.abs(where - expected) / rate).toBeLessThan(0.012);
    }
  });

  it("plays a mono source on every channel it is given", () => {
    const stretcher = new Stretcher([sine(440, 1)], 1.2, 0, 0);
    const out = [new Float32Array(1024), new Float32Array(1024)];
    stretcher.process(out, 1024);
    expect(Array.from(out[1])).toEqual(Array.from(out[0]));
  });
});
