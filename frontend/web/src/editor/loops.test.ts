// The loop library's studio side: the ops a drop makes (a clip its beats long at the project's tempo, following it),
// where a loop is in phase with the project, and the offline stretch an audition plays.
import { describe, expect, it } from "vitest";
import { loopClipOps, loopPhase, stretchedLoop, type Loop } from "./loops";
import type { Project } from "./model";

const project = { tempo: 120, sampleRate: 48000, timeSignature: { numerator: 4, denominator: 4 }, tempoChanges: [{ position: 480000, tempo: 90 }] } as unknown as Project;

const loop = (bpm: number | null, beats: number | null, durationSeconds: number): Loop => ({
  id: "l1", listingId: "p1", index: 0, name: "Dusty Groove", pack: "Boom Bap", seller: "Loop Maker", instrument: "drums",
  bpm, beats, key: null, durationSeconds, createdAt: "2030-01-01T00:00:00Z", kind: bpm ? "loop" : "one-shot",
});

const ids = () => {
  let n = 0;
  return () => `id${++n}`;
};

describe("dropping a loop", () => {
  it("adds a clip its beats long at the project's tempo, following it from the loop's own", () => {
    // 8 beats at 100 BPM (4.8 s) last 4 s at 120.
    expect(loopClipOps(project, loop(100, 8, 4.8), "a1", "t1", 96000, ids())).toEqual([
      { kind: "clip.add", payload: { trackId: "t1", clipId: "id1", start: 96000, length: 192000, assetId: "a1" } },
      { kind: "clip.stretch", payload: { clipId: "id1", sourceTempo: 100, transpose: 0, cents: 0, preserveFormants: false } },
    ]);
  });

  it("measures the clip at the tempo where it starts, as the engine stretches it", () => {
    // After the change to 90 BPM: 8 beats last 5.333 s.
    const ops = loopClipOps(project, loop(100, 8, 4.8), "a1", "t1", 480000, ids());
    expect(ops[0].payload.length).toBe(256000);
  });

  it("puts a one-shot on a new track as it is, named after it", () => {
    expect(loopClipOps(project, loop(null, null, 0.5), "a2", null, 0, ids())).toEqual([
      { kind: "track.add", payload: { trackId: "id1", name: "Dusty Groove", kind: "audio" } },
      { kind: "clip.add", payload: { trackId: "id1", clipId: "id2", start: 0, length: 24000, assetId: "a2" } },
    ]);
  });
});

describe("hearing a loop", () => {
  it("starts where the project is within the loop's bars", () => {
    expect(loopPhase(0, 8)).toBe(0);
    expect(loopPhase(9.5, 8)).toBe(1.5);
    expect(loopPhase(16, 4)).toBe(0);
  });

  it("is stretched to the project's tempo, keeping its pitch", () => {
    const rate = 48000;
    const tone = Float32Array.from({ length: rate * 2 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / rate));
    const [out] = stretchedLoop([tone], 100, 120);
    expect(out.length).toBe(Math.round(rate * 2 * (100 / 120)));
    // Zero crossings in the middle: still 440 Hz.
    let crossings = 0;
    for (let i = 20000; i < 60000; i++) if (out[i - 1] < 0 && out[i] >= 0) crossings++;
    expect(crossings / (40000 / rate)).toBeGreaterThan(437);
    expect(crossings / (40000 / rate)).toBeLessThan(443);
  });
});
