import { describe, expect, it } from "vitest";
import { calibrationBurst, findDelay } from "./latency";
import { blockPart, captureFrames, overlapping, timelineLength } from "./takes";
import { interleaved, streamedWavHeader } from "./wavStream";

describe("latency calibration", () => {
  it("finds the burst's echo to the sample, through gain, noise and a smeared (filtered) path", () => {
    const burst = calibrationBurst();
    for (const delay of [0, 1, 137, 2205, 9000]) {
      const heard = new Float32Array(48000);
      let noise = 1;
      for (let i = 0; i < heard.length; i++) {
        noise = (noise * 16807) % 2147483647;
        heard[i] = ((noise / 2147483647) - 0.5) * 0.05; // room noise
      }
      // Quieter, through a one-pole low-pass (a speaker and a microphone are no wire).
      let y = 0;
      for (let i = 0; i < burst.length; i++) {
        y = 0.7 * burst[i] + 0.3 * y;
        heard[delay + i] += 0.3 * y;
      }
      expect(findDelay(burst, heard)).toBe(delay);
    }
  });

  it("says null when nothing like the burst was heard (no loopback)", () => {
    const heard = new Float32Array(48000).map((_, i) => Math.sin(i / 7) * 0.5);
    expect(findDelay(calibrationBurst(), heard)).toBeNull();
    expect(findDelay(calibrationBurst(), new Float32Array(48000))).toBeNull();
  });
});

describe("takes", () => {
  it("keeps the frames sung to the window: the capture frames are the played frames plus the latency", () => {
    // A pass from timeline sample 96 000 (2 s at 48 kHz) at context time 10 s; 44.1 kHz context; 12.5 ms round trip.
    const { first, last } = captureFrames({ when: 10, from: 96000 }, 144000, 192000, 48000, 44100, 0.0125);
    expect(first).toBe(Math.round((10 + 1 + 0.0125) * 44100));
    expect(last).toBe(Math.round((10 + 2 + 0.0125) * 44100));
    expect(timelineLength(last - first, 48000, 44100)).toBe(48000);
  });

  it("cuts blocks at the take's ends", () => {
    expect(blockPart(1000, 2048, 1500, 10_000)).toEqual({ from: 500, to: 2048 });
    expect(blockPart(1000, 2048, 0, 1100)).toEqual({ from: 0, to: 100 });
    expect(blockPart(1000, 2048, 3048, 5000)).toBeNull();
    expect(blockPart(1000, 2048, 0, 1000)).toBeNull();
  });

  it("finds the takes a new take is recorded over", () => {
    const clips = [{ id: "a", start: 0, length: 100 }, { id: "b", start: 100, length: 100 }, { id: "c", start: 250, length: 10 }];
    expect(overlapping(clips, 50, 150).map((c) => c.id)).toEqual(["a", "b"]);
    expect(overlapping(clips, 200, 250)).toEqual([]);
    expect(overlapping(clips, 0, 1000, "b").map((c) => c.id)).toEqual(["a", "c"]);
  });
});

describe("streamed WAV", () => {
  it("says its sizes are unknown and carries interleaved float32 samples", () => {
    const header = new DataView(streamedWavHeader(2, 48000).buffer);
    const text = (at: number) => String.fromCharCode(...new Uint8Array(header.buffer, at, 4));
    expect([text(0), text(8), text(12), text(36)]).toEqual(["RIFF", "WAVE", "fmt ", "data"]);
    expect([header.getUint32(4, true), header.getUint32(40, true)]).toEqual([0xffffffff, 0xffffffff]);
    expect([header.getUint16(20, true), header.getUint16(22, true), header.getUint32(24, true), header.getUint16(32, true), header.getUint16(34, true)])
      .toEqual([3, 2, 48000, 8, 32]);
    const samples = new DataView(interleaved([new Float32Array([0.5, 1]), new Float32Array([-0.5, -1])]).buffer);
    expect([0, 4, 8, 12].map((at) => samples.getFloat32(at, true))).toEqual([0.5, -0.5, 1, -1]);
  });
});

describe("take lane", () => {
  it("picking a take unmutes it and mutes the others, sending only what changes", async () => {
    const { pickTake } = await import("./TakeLane");
    const clip = (id: string, muted: boolean) => ({ id, muted }) as unknown as Parameters<typeof pickTake>[0][number];
    expect(pickTake([clip("a", true), clip("b", false), clip("c", true)], "a")).toEqual([
      { kind: "clip.set", payload: { clipId: "a", muted: false } },
      { kind: "clip.set", payload: { clipId: "b", muted: true } },
    ]);
    expect(pickTake([clip("a", false), clip("b", true)], "a")).toEqual([]);
  });
});
