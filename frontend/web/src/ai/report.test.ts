// The AI panel's pure logic on report shapes taken from the live API (docs/ai.md).
import { describe, expect, it } from "vitest";
import {
  analysisFigures,
  applySummary,
  contourPlot,
  describeMixOp,
  equalizerSummary,
  fixed,
  lyricsRequest,
  masteringRequest,
  mixOpBatches,
  noteName,
  projectMix,
  type AnalysisReport,
  type MixOp,
} from "./report";

const analysis: AnalysisReport = {
  integratedLufs: -17.4,
  loudnessRangeLu: 0.03,
  truePeakDbtp: -13.47,
  samplePeakDbfs: -13.47,
  tempoBpm: 120,
  tempoConfidence: 0.385,
  key: "A minor",
  keyConfidence: 0.79,
  pitch: {
    medianHz: 294.2,
    lowestNote: "A3",
    highestNote: "F4",
    inTunePercent: 49.4,
    voicedPercent: 99.1,
    vibratoRateHz: null,
    vibratoExtentCents: null,
    frameSeconds: 0.01,
    contourHz: [220, 220, null, 440],
  },
  spectralCentroidHz: 309.9,
  stereo: { correlation: 1, width: 0 },
  clippingCount: 0,
  silenceStartSeconds: 0,
  silenceEndSeconds: 0,
  durationSeconds: 10,
};

const valueOf = (groups: ReturnType<typeof analysisFigures>, label: string) =>
  groups.flatMap((group) => group.figures).find((figure) => figure.label === label)?.value;

describe("analysis report → figures", () => {
  it("gives the meter, tempo, key and pitch in words and units", () => {
    const groups = analysisFigures(analysis);
    expect(groups.map((group) => group.title)).toEqual(["Loudness", "Music", "Pitch", "Sound"]);
    expect(valueOf(groups, "Integrated loudness")).toBe("-17.4 LUFS");
    expect(valueOf(groups, "Loudness range")).toBe("0.0 LU");
    expect(valueOf(groups, "True peak")).toBe("-13.5 dBTP");
    expect(valueOf(groups, "Tempo")).toBe("120 BPM (39% confident)");
    expect(valueOf(groups, "Key")).toBe("A minor (79% confident)");
    expect(valueOf(groups, "Median pitch")).toBe("294 Hz (D4)");
    expect(valueOf(groups, "Range")).toBe("A3 – F4");
    expect(valueOf(groups, "In tune")).toBe("49%");
    expect(valueOf(groups, "Vibrato")).toBe("none");
    expect(valueOf(groups, "Stereo")).toBe("correlation 1.00, width 0.00");
    expect(valueOf(groups, "Clipping")).toBe("none");
    const ambiguous = analysisFigures({ ...analysis, keyConfidence: 0.68, keyAlternative: "C major" });
    expect(valueOf(ambiguous, "Key")).toBe("A minor (68% confident), or C major");
  });

  it("says silent for the meter's -999, mono without stereo figures, and leaves out a missing pitch", () => {
    const groups = analysisFigures({ ...analysis, integratedLufs: -999, truePeakDbtp: -999, stereo: null, pitch: null, tempoBpm: null, tempoConfidence: null, clippingCount: 3 });
    expect(valueOf(groups, "Integrated loudness")).toBe("silent");
    expect(valueOf(groups, "True peak")).toBe("silent");
    expect(valueOf(groups, "Stereo")).toBe("mono");
    expect(valueOf(groups, "Tempo")).toBe("—");
    expect(valueOf(groups, "Clipping")).toBe("3 clipped runs");
    expect(groups.map((group) => group.title)).not.toContain("Pitch");
  });

  it("formats numbers without a negative zero and names notes", () => {
    expect(fixed(-0.04, 1, "dB")).toBe("0.0 dB");
    expect(fixed(null, 1)).toBe("—");
    expect(noteName(440)).toBe("A4");
    expect(noteName(261.63)).toBe("C4");
    expect(noteName(27.5)).toBe("A0");
  });
});

describe("pitch contour → SVG points", () => {
  it("maps time left to right and log pitch bottom to top, a semitone of room either side", () => {
    const plot = contourPlot([220, 440], 100, 50)!;
    expect(plot.lines).toHaveLength(1);
    const [low, high] = plot.lines[0].split(" ").map((point) => point.split(",").map(Number));
    expect(low[0]).toBe(25);
    expect(high[0]).toBe(75);
    // 220 Hz is one semitone above the bottom of a 14-semitone range, 440 Hz one below the top.
    expect(low[1]).toBeCloseTo(50 - 50 / 14, 0);
    expect(high[1]).toBeCloseTo(50 / 14, 0);
    expect(plot.lowHz).toBeCloseTo(220 / 2 ** (1 / 12));
    expect(plot.highHz).toBeCloseTo(440 * 2 ** (1 / 12));
  });

  it("breaks the line where the voice stops", () => {
    const plot = contourPlot([220, 230, null, null, 240, 250], 60, 10)!;
    expect(plot.lines).toHaveLength(2);
    expect(plot.lines.map((line) => line.split(" ").length)).toEqual([2, 2]);
  });

  it("averages long contours down to the columns asked for", () => {
    const contour = Array.from({ length: 120_000 }, (_, frame) => 200 + (frame % 100));
    const plot = contourPlot(contour, 600, 100, 300)!;
    expect(plot.lines).toHaveLength(1);
    expect(plot.lines[0].split(" ")).toHaveLength(300);
  });

  it("draws nothing for unvoiced audio", () => {
    expect(contourPlot([null, null], 100, 50)).toBeNull();
    expect(contourPlot([], 100, 50)).toBeNull();
  });
});

describe("mastering", () => {
  const form = { source: "asset-1", lufs: "-14", truePeakDbtp: "-1.5", style: "warm", intensity: 0.5, referenceAssetId: "" };

  it("sends an asset, or the project's mix, with the target nested as the API takes it", () => {
    expect(masteringRequest(form, "p1")).toEqual({ assetId: "asset-1", target: { lufs: -14, truePeakDbtp: -1.5 }, style: "warm", intensity: 0.5, referenceAssetId: undefined });
    expect(masteringRequest({ ...form, source: projectMix, referenceAssetId: "ref" }, "p1")).toMatchObject({ projectId: "p1", referenceAssetId: "ref" });
    expect(masteringRequest({ ...form, source: projectMix }, "p1")).not.toHaveProperty("assetId");
  });

  it("summarises the equalizer's moved bands", () => {
    expect(equalizerSummary([{ hz: 31.5, gainDb: 4 }, { hz: 500, gainDb: 0 }, { hz: 2000, gainDb: -0.84 }])).toBe("31.5 Hz +4.0 dB, 2 kHz -0.8 dB");
    expect(equalizerSummary([{ hz: 1000, gainDb: 0.01 }])).toBe("flat");
  });
});

describe("auto-mix", () => {
  const trackNames = new Map([
    ["t1", "Melody"],
    ["t2", "Bass"],
  ]);
  const ops: MixOp[] = [
    { kind: "track.set", payload: { trackId: "t1", volumeDb: -3.5, pan: -0.35 } },
    { kind: "effect.add", payload: { type: "eq-highpass", trackId: "t1", parameters: { frequency: 100, q: 0.707 }, index: 0, bypass: false } },
    { kind: "effect.add", payload: { type: "eq-peak", trackId: "t2", parameters: { frequency: 500, q: 1.4, gainDb: -3 } } },
    { kind: "track.set", payload: { trackId: "t2", volumeDb: 2.5, pan: 0 } },
    { kind: "effect.add", payload: { type: "compressor", parameters: { thresholdDb: -12, ratio: 2, attackMs: 30, releaseMs: 250, kneeDb: 6, makeupDb: 0 }, bypass: false } },
  ];

  it("describes each proposed op in words with the tracks' names", () => {
    expect(ops.map((op) => describeMixOp(op, trackNames))).toEqual([
      "Melody: volume -3.5 dB, pan 35% left",
      "Melody: add a high-pass filter at 100 Hz",
      "Bass: add a -3.0 dB EQ cut at 500 Hz",
      "Bass: volume +2.5 dB, pan centre",
      "Master: add a compressor (threshold -12 dB, ratio 2:1)",
    ]);
  });

  it("batches the ops for the ops endpoint with ids derived from the job", () => {
    const many = Array.from({ length: 230 }, () => ops[0]);
    const batches = mixOpBatches("job-1", 4, many);
    expect(batches.map((batch) => batch.length)).toEqual([100, 100, 30]);
    expect(batches[2][29]).toEqual({ clientId: "automix-job-1", opId: "230", baseVersion: 4, ...ops[0] });
  });

  it("sums up the acks", () => {
    expect(applySummary([{ opId: "1", status: "applied", reason: null }, { opId: "2", status: "duplicate", reason: null }])).toBe("Applied 2 changes.");
    expect(applySummary([{ opId: "1", status: "applied", reason: null }, { opId: "2", status: "rejected", reason: "The track is gone." }])).toBe(
      "Applied 1 of 2 changes; the rest were refused: The track is gone.",
    );
  });
});

describe("lyrics", () => {
  it("leaves blank optional fields to the server's defaults", () => {
    const request = lyricsRequest({ theme: " rain ", genre: "", mood: "calm", structure: "verse-chorus", rhymeScheme: "AABB", syllablesPerLine: "6", language: "en", seed: "", provider: "" });
    expect(JSON.parse(JSON.stringify(request))).toEqual({ theme: "rain", mood: "calm", structure: "verse-chorus", rhymeScheme: "AABB", syllablesPerLine: 6, language: "en" });
    expect(lyricsRequest({ theme: "x", genre: "", mood: "", structure: "", rhymeScheme: "", syllablesPerLine: "8", language: "", seed: "42", provider: "offline" })).toMatchObject({ seed: 42, provider: "offline" });
  });
});
