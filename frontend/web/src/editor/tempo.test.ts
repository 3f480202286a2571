// The studio's tempo map is the engine's: beats and samples both ways through the changes, grids and bars on it.
import { describe, expect, it } from "vitest";
import { barBeat } from "./TempoChanges";
import { barStart, snapTo, tempoMap } from "./tempo";
import type { Project } from "./model";

// 120 BPM for 4 beats (96 000 samples at 48 kHz), then 60 BPM, then 240 from sample 192 000.
const project = { tempo: 120, sampleRate: 48000, timeSignature: { numerator: 4, denominator: 4 },
  tempoChanges: [{ position: 192000, tempo: 240 }, { position: 96000, tempo: 60 }] } as unknown as Project;

describe("the tempo map", () => {
  const map = tempoMap(project);

  it("converts beats and samples through the changes, as the engine does", () => {
    expect([95999, 96000, 1e7].map(map.tempoAt)).toEqual([120, 60, 240]);
    expect([48000, 96000, 144000, 192000, 240000].map(map.beatAt)).toEqual([2, 4, 5, 6, 10]);
    for (const beat of [0, 1.5, 4, 5.25, 6, 9.75]) expect(map.beatAt(map.positionOf(beat))).toBeCloseTo(beat, 9);
    expect(tempoMap({ tempo: 100, sampleRate: 48000 }).positionOf(1)).toBeCloseTo(28800, 9);
  });

  it("snaps to beats and finds bars through the changes", () => {
    expect(snapTo(map, 100000, 1)).toBe(96000); // a beat is 48 000 samples after the change
    expect(snapTo(map, 130000, 1)).toBe(144000);
    expect(barStart(map, project, 100000)).toBe(96000); // bar 2 starts at beat 4
    expect(barStart(map, project, 200000)).toBe(96000); // beat 6.7: still bar 2
    expect(barStart(map, project, 220000)).toBe(192000 + 24000); // bar 3 starts at beat 8: 2 beats at 240 BPM after 192 000
    expect(barBeat(project, 144000)).toBe("2.2");
    expect(barBeat(project, 0)).toBe("1.1");
  });
});
