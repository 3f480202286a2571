import { describe, expect, it } from "vitest";
import { commentMarkers, threadComments, toWavePeaks } from "./waveform";
import type { ReleaseComment } from "./types";

describe("audiowaveform JSON to wavesurfer peaks", () => {
  it("splits interleaved stereo min/max pairs into channels of magnitudes", () => {
    const peaks = toWavePeaks({
      version: 2,
      channels: 2,
      sample_rate: 44100,
      samples_per_pixel: 256,
      bits: 8,
      length: 2,
      // pixel 0: left [-64, 32], right [-16, 16]; pixel 1: left [-128, 127], right [0, 0]
      data: [-64, 32, -16, 16, -128, 127, 0, 0],
    });
    expect(peaks.channels).toEqual([
      [0.5, 1],
      [0.125, 0],
    ]);
    expect(peaks.duration).toBeCloseTo((2 * 256) / 44100);
  });

  it("reads a version 1 (mono) file at 16 bits", () => {
    const peaks = toWavePeaks({ version: 1, sample_rate: 48000, samples_per_pixel: 512, bits: 16, length: 3, data: [-16384, 8192, 0, 0, -1, 32767] });
    expect(peaks.channels).toHaveLength(1);
    expect(peaks.channels[0][0]).toBe(0.5);
    expect(peaks.channels[0][1]).toBe(0);
    expect(peaks.channels[0][2]).toBeCloseTo(1, 3);
    expect(peaks.duration).toBeCloseTo((3 * 512) / 48000);
  });

  it("trusts the data over a length that claims more", () => {
    const peaks = toWavePeaks({ version: 2, channels: 1, sample_rate: 100, samples_per_pixel: 10, bits: 8, length: 5, data: [-1, 1, -2, 2] });
    expect(peaks.channels[0]).toHaveLength(2);
    expect(peaks.duration).toBeCloseTo(0.2);
  });
});

const comment = (id: string, atSeconds: number, parentId: string | null = null, createdAt = "2026-01-01T00:00:00Z"): ReleaseComment => ({
  id,
  releaseId: "r",
  authorId: "u",
  parentId,
  atSeconds,
  text: id,
  createdAt,
});

describe("comments along the song", () => {
  it("places one marker per top-level comment, clamped to the waveform", () => {
    const markers = commentMarkers([comment("a", 30), comment("reply", 30, "a"), comment("b", 0), comment("late", 200)], 120);
    expect(markers.map((m) => [m.comment.id, m.leftPercent])).toEqual([
      ["a", 25],
      ["b", 0],
      ["late", 100],
    ]);
  });

  it("has no markers before the duration is known", () => {
    expect(commentMarkers([comment("a", 3)], 0)).toEqual([]);
  });

  it("threads replies under their comment, comments in song order", () => {
    const threads = threadComments([
      comment("late", 90),
      comment("early", 10),
      comment("second reply", 10, "early", "2026-01-02T00:00:00Z"),
      comment("first reply", 10, "early", "2026-01-01T12:00:00Z"),
      comment("orphan", 5, "not loaded"),
    ]);
    expect(threads.map((t) => [t.comment.id, t.replies.map((r) => r.id)])).toEqual([
      ["early", ["first reply", "second reply"]],
      ["late", []],
    ]);
  });
});
