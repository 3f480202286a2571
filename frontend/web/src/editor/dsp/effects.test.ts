import { describe, expect, it } from "vitest";
import { Chain, type ChainEffect } from "./chain";
import { createEffect, type Parameters } from "./effects";

const rate = 48000;
const context = { sampleRate: rate, channels: 2, tempo: 120 };
const sine = (frequency: number, frames: number, amplitude = 0.5) =>
  Float32Array.from({ length: frames }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / rate));
const stereo = (signal: Float32Array) => [Float32Array.from(signal), Float32Array.from(signal)];
const peak = (x: Float32Array, from = 0) => x.subarray(from).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const db = (gain: number) => 20 * Math.log10(gain);
const run = (type: string, parameters: Parameters, channels: Float32Array[], block = channels[0].length) => {
  const effect = createEffect(type, parameters, context)!;
  for (let at = 0; at < channels[0].length; at += block) effect.process(channels, at, Math.min(block, channels[0].length - at));
  return channels;
};

describe("the built-in effects in the browser", () => {
  it("EQ bands boost, cut and filter where the cookbook says", () => {
    const [boosted] = run("eq-peak", { frequency: 1000, q: 1, gainDb: 12 }, stereo(sine(1000, rate)));
    expect(db(peak(boosted, rate / 2) / 0.5)).toBeCloseTo(12, 1);
    const [filtered] = run("eq-lowpass", { frequency: 1000, q: 0.707 }, stereo(sine(4000, rate)));
    expect(db(peak(filtered, rate / 2) / 0.5)).toBeLessThan(-22);
    const [shelved] = run("eq-highshelf", { frequency: 1000, q: 0.707, gainDb: -6 }, stereo(sine(12000, rate)));
    expect(db(peak(shelved, rate / 2) / 0.5)).toBeCloseTo(-6, 0);
  });

  it("the compressor settles on its curve, and a key drives it", () => {
    const parameters = { thresholdDb: -20, ratio: 4, attackMs: 1, releaseMs: 50, kneeDb: 0, makeupDb: 0 };
    const [out] = run("compressor", parameters, stereo(sine(200, rate, 1)));
    expect(db(peak(out, rate / 2))).toBeCloseTo(-15, 0); // 20 dB over, a quarter of it kept
    const keyed = createEffect("compressor", parameters, context)!;
    const quiet = stereo(sine(200, rate, 0.05));
    keyed.key = stereo(sine(200, rate, 1));
    keyed.process(quiet, 0, rate);
    expect(db(peak(quiet[0], rate / 2) / 0.05)).toBeCloseTo(-15, 0); // ducked by the key's excess, not its own
  });

  it("the limiter holds true peaks under the ceiling, a look-ahead late", () => {
    const [out] = run("limiter", { ceilingDb: -3, releaseMs: 50, lookaheadMs: 5 }, stereo(sine(997, rate, 1)), 128);
    expect(db(peak(out))).toBeLessThanOrEqual(-3);
    expect(db(peak(out, rate / 2))).toBeGreaterThan(-3.6);
    const [impulse] = run("limiter", { ceilingDb: -1, releaseMs: 50, lookaheadMs: 5 }, stereo(Float32Array.from({ length: 1000 }, (_, i) => (i === 10 ? 0.1 : 0))));
    expect(impulse.findIndex((v) => v !== 0)).toBe(10 + 240);
  });

  it("the delay echoes after its time or its beats at the tempo", () => {
    const impulse = () => stereo(Float32Array.from({ length: rate }, (_, i) => (i === 0 ? 1 : 0)));
    const [echo] = run("delay", { timeMs: 10, beats: 0, feedback: 0.5, mix: 0.5 }, impulse());
    expect([echo[0], echo[480], echo[960]]).toEqual([0.5, 0.5, 0.25]);
    const [synced] = run("delay", { timeMs: 10, beats: 0.5, feedback: 0, mix: 1 }, impulse());
    expect(synced.findIndex((v) => v !== 0)).toBe(12000); // half a beat at 120 BPM
  });

  it("the reverb rings longer for a larger room", () => {
    const decay = (roomSize: number) => {
      const [tail] = run("reverb", { roomSize, damping: 0.5, mix: 1 }, stereo(Float32Array.from({ length: 2 * rate }, (_, i) => (i === 0 ? 1 : 0))));
      const energy = (from: number) => tail.subarray(from, from + 4800).reduce((s, v) => s + v * v, 0);
      return db(energy(rate / 2) / energy(4800)) / 2;
    };
    expect(decay(0.9)).toBeGreaterThan(decay(0.2) + 10);
  });

  it("gives the same samples in 128-frame quanta as in the engine's 8192-frame blocks", () => {
    const signal = Float32Array.from({ length: 3 * 8192 }, (_, i) => Math.sin(i / 7) * (i % 4000 < 2000 ? 1 : 0.1));
    for (const [type, p] of [
      ["compressor", { thresholdDb: -30, ratio: 8, attackMs: 5, releaseMs: 100, kneeDb: 6, makeupDb: 3 }],
      ["limiter", { ceilingDb: -6, releaseMs: 20, lookaheadMs: 3 }],
      ["reverb", { roomSize: 0.7, damping: 0.3, mix: 0.4 }],
    ] as const) {
      expect(run(type, p, stereo(signal), 128), type).toEqual(run(type, p, stereo(signal), 8192));
    }
  });
});

describe("a chain in the worklet", () => {
  const gain = (gainDb: number, lanes: ChainEffect["lanes"] = {}): ChainEffect => ({ id: "g", type: "gain", parameters: { gainDb }, fixed: [], lanes });
  const ones = () => [new Float32Array(128).fill(1), new Float32Array(128).fill(1)];

  it("follows an automation lane at the timeline position, every 64 frames", () => {
    const chain = new Chain(rate, rate);
    chain.configure({ effects: [gain(0, { gainDb: [{ time: 1000, value: 0, curve: "hold" }, { time: 1064, value: -20, curve: "hold" }] })], passes: [{ frame: 500, from: 1000 }] });
    const block = ones();
    chain.process(block, 500);
    expect([block[0][0], block[0][63], block[0][64], block[1][127]].map((v) => Math.round(db(v)))).toEqual([0, 0, -20, -20]);
  });

  it("keeps an effect and its state when a parameter moves, starts it again when a fixed one changes", () => {
    const chain = new Chain(rate, rate);
    const delay = (feedback: number, timeMs = 1): ChainEffect => ({ id: "d", type: "delay", parameters: { timeMs, beats: 0, feedback, mix: 1 }, fixed: ["timeMs", "beats"], lanes: {} });
    chain.configure({ effects: [delay(0)] });
    const first = [Float32Array.from({ length: 128 }, (_, i) => (i === 100 ? 1 : 0)), new Float32Array(128)];
    chain.process(first, 0);
    chain.configure({ effects: [delay(0.5)] }); // the echo in the line is still there
    const second = [new Float32Array(128), new Float32Array(128)];
    chain.process(second, 128);
    expect(second[0][100 + 48 - 128]).toBe(1);
    chain.configure({ effects: [delay(0.5, 2)] });
    const third = [new Float32Array(128), new Float32Array(128)];
    chain.process(third, 256);
    expect(third[0].every((v) => v === 0)).toBe(true);
    chain.configure({ effects: [] });
    expect(chain.length).toBe(0);
  });
});
