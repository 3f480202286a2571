// The pure side of the AI panel: the AI jobs' reports as the API returns them (docs/ai.md), turned into
// labelled figures, plot points, readable sentences and request bodies, so the tabs only lay them out
// and the tests need no DOM.
import type { Schema } from "../api/types";

export interface Figure {
  label: string;
  value: string;
}

export interface FigureGroup {
  title: string;
  figures: Figure[];
}

export interface Loudness {
  integratedLufs: number;
  loudnessRangeLu: number;
  truePeakDbtp: number;
  samplePeakDbfs: number;
}

export interface AnalysisReport extends Loudness {
  tempoBpm: number | null;
  /** For files up to 30 s: a loop's exact tempo and beats from its length (bpm null: a one-shot). */
  loop?: { bpm: number | null; beats: number | null } | null;
  tempoConfidence: number | null;
  key: string | null;
  keyConfidence: number | null;
  /** The close rival (most often the relative major or minor) when the key was an ambiguous call. */
  keyAlternative?: string | null;
  pitch: {
    medianHz: number | null;
    lowestNote: string | null;
    highestNote: string | null;
    inTunePercent: number | null;
    voicedPercent: number | null;
    vibratoRateHz: number | null;
    vibratoExtentCents: number | null;
    frameSeconds: number;
    contourHz: (number | null)[];
  } | null;
  spectralCentroidHz: number | null;
  stereo: { correlation: number; width: number } | null;
  clippingCount: number;
  silenceStartSeconds: number;
  silenceEndSeconds: number;
  durationSeconds: number;
}

export interface MasteringReport {
  target: { lufs: number; truePeakDbtp: number };
  style: string;
  intensity: number;
  before: Loudness;
  after: Loudness;
  equalizer: { hz: number; gainDb: number }[];
  compressor: { thresholdDb: number; ratio: number };
  width: number;
  gainDb: number;
  iterations: number;
  referenceMatched: boolean;
  preview: { startSeconds: number; seconds: number; loudnessLufs: number };
}

export interface MixOp {
  kind: string;
  payload: Record<string, unknown>;
}

export interface MixReport {
  projectId: string;
  version: number;
  targetTrackLufs: number;
  tracks: {
    trackId: string;
    name: string;
    loudnessLufs: number;
    role: string | null;
    volumeDb: number;
    pan: number;
    highPassHz: number | null;
    cutsHz: number[];
  }[];
  master: { glueCompressor: boolean };
  ops: MixOp[];
}

export interface LyricsReport {
  provider: string;
  model: string | null;
  seed: number;
  sections: { name: string; lines: { text: string; syllables: number; rhyme: string }[] }[];
  text: string;
}

const none = "—";
/** What the meter reports for digital silence. */
const silent = -999;

/** A number with a fixed number of decimals and its unit; a dash when there is none (no "-0.0"). */
export function fixed(value: number | null | undefined, digits: number, unit = ""): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return none;
  const text = value.toFixed(digits).replace(/^-(0\.?0*)$/, "$1");
  return unit ? `${text} ${unit}` : text;
}

/** A gain with its sign: "+4.0 dB", "-3.0 dB". */
export function signedDb(value: number): string {
  const text = fixed(value, 1, "dB");
  return value > 0 && text !== "0.0 dB" ? `+${text}` : text;
}

const level = (value: number, unit: string) => (value <= silent ? "silent" : fixed(value, 1, unit));
const withConfidence = (text: string, confidence: number | null) =>
  confidence === null ? text : `${text} (${Math.round(confidence * 100)}% confident)`;
const percentOf = (value: number | null) => (value === null ? none : `${Math.round(value)}%`);

export function loudnessFigures(loudness: Loudness): Figure[] {
  return [
    { label: "Integrated loudness", value: level(loudness.integratedLufs, "LUFS") },
    { label: "Loudness range", value: level(loudness.loudnessRangeLu, "LU") },
    { label: "True peak", value: level(loudness.truePeakDbtp, "dBTP") },
    { label: "Sample peak", value: level(loudness.samplePeakDbfs, "dBFS") },
  ];
}

const noteNames = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

/** The nearest equal-tempered note (A4 = 440 Hz): 261.6 → "C4". */
export function noteName(hz: number): string {
  const midi = Math.round(69 + 12 * Math.log2(hz / 440));
  return `${noteNames[((midi % 12) + 12) % 12]}${Math.floor(midi / 12) - 1}`;
}

function pitchFigures(pitch: NonNullable<AnalysisReport["pitch"]>): Figure[] {
  const vibrato =
    pitch.vibratoRateHz === null || pitch.vibratoExtentCents === null
      ? "none"
      : `${fixed(pitch.vibratoRateHz, 1, "Hz")}, ±${Math.round(pitch.vibratoExtentCents)} cents`;
  return [
    { label: "Median pitch", value: pitch.medianHz === null ? none : `${Math.round(pitch.medianHz)} Hz (${noteName(pitch.medianHz)})` },
    { label: "Range", value: pitch.lowestNote && pitch.highestNote ? `${pitch.lowestNote} – ${pitch.highestNote}` : none },
    { label: "In tune", value: percentOf(pitch.inTunePercent) },
    { label: "Voiced", value: percentOf(pitch.voicedPercent) },
    { label: "Vibrato", value: vibrato },
  ];
}

/** Everything an analysis reports, grouped for display. */
export function analysisFigures(report: AnalysisReport): FigureGroup[] {
  const tempo = report.tempoBpm === null ? none : `${Math.round(report.tempoBpm * 10) / 10} BPM`;
  const clipping = report.clippingCount === 0 ? "none" : `${report.clippingCount} clipped ${report.clippingCount === 1 ? "run" : "runs"}`;
  const stereo = report.stereo
    ? `correlation ${fixed(report.stereo.correlation, 2)}, width ${fixed(report.stereo.width, 2)}`
    : "mono";
  const groups: FigureGroup[] = [
    { title: "Loudness", figures: loudnessFigures(report) },
    {
      title: "Music",
      figures: [
        { label: "Tempo", value: withConfidence(tempo, report.tempoConfidence) },
        {
          label: "Key",
          value: withConfidence(report.key ?? none, report.keyConfidence) + (report.keyAlternative ? `, or ${report.keyAlternative}` : ""),
        },
      ],
    },
  ];
  if (report.pitch) groups.push({ title: "Pitch", figures: pitchFigures(report.pitch) });
  groups.push({
    title: "Sound",
    figures: [
      { label: "Brightness", value: report.spectralCentroidHz === null ? none : `${Math.round(report.spectralCentroidHz)} Hz centroid` },
      { label: "Stereo", value: stereo },
      { label: "Clipping", value: clipping },
      { label: "Silence", value: `${fixed(report.silenceStartSeconds, 2, "s")} at the start, ${fixed(report.silenceEndSeconds, 2, "s")} at the end` },
      { label: "Duration", value: fixed(report.durationSeconds, 1, "s") },
    ],
  });
  return groups;
}

export interface ContourPlot {
  /** One `points` attribute per voiced stretch; unvoiced frames break the line. */
  lines: string[];
  lowHz: number;
  highHz: number;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * The pitch contour (Hz per frame, null where unvoiced) as SVG polylines in a width × height box: time
 * left to right, pitch on a log scale bottom to top with a semitone of room either side. Frames are
 * averaged (in log pitch) into at most `maxColumns` columns, so a long file stays a light drawing.
 * Null when nothing is voiced.
 */
export function contourPlot(contourHz: (number | null)[], width: number, height: number, maxColumns = width): ContourPlot | null {
  let lowest = Infinity;
  let highest = -Infinity;
  for (const hz of contourHz) {
    if (hz === null || hz <= 0) continue;
    lowest = Math.min(lowest, hz);
    highest = Math.max(highest, hz);
  }
  if (lowest === Infinity) return null;
  const semitone = 2 ** (1 / 12);
  const lowHz = lowest / semitone;
  const highHz = highest * semitone;
  const logLow = Math.log2(lowHz);
  const logSpan = Math.log2(highHz) - logLow;

  const columns = Math.max(1, Math.min(Math.floor(maxColumns), contourHz.length));
  const framesPerColumn = contourHz.length / columns;
  const lines: string[] = [];
  let line: string[] = [];
  const endLine = () => {
    if (line.length > 0) lines.push(line.join(" "));
    line = [];
  };
  for (let column = 0; column < columns; column++) {
    const from = Math.floor(column * framesPerColumn);
    const to = Math.floor((column + 1) * framesPerColumn);
    let sum = 0;
    let count = 0;
    for (let frame = from; frame < to; frame++) {
      const hz = contourHz[frame];
      if (hz === null || hz <= 0) continue;
      sum += Math.log2(hz);
      count++;
    }
    if (count === 0) {
      endLine();
      continue;
    }
    const x = ((column + 0.5) / columns) * width;
    const y = height - ((sum / count - logLow) / logSpan) * height;
    line.push(`${round1(x)},${round1(y)}`);
  }
  endLine();
  return { lines, lowHz, highHz };
}

export interface MasteringForm {
  /** An asset id, or `projectMix` for the project's current mix. */
  source: string;
  /** Number fields as typed (a half-typed "-" must survive), read on submit. */
  lufs: string;
  truePeakDbtp: string;
  style: string;
  intensity: number;
  referenceAssetId: string;
}

export const projectMix = "project";

export function masteringRequest(form: MasteringForm, projectId: string) {
  return {
    ...(form.source === projectMix ? { projectId } : { assetId: form.source }),
    target: { lufs: Number(form.lufs), truePeakDbtp: Number(form.truePeakDbtp) },
    style: form.style,
    intensity: form.intensity,
    referenceAssetId: form.referenceAssetId || undefined,
  };
}

/** The equalizer's bands as "1 kHz +4.0 dB", leaving out the flat ones. */
export function equalizerSummary(bands: MasteringReport["equalizer"]): string {
  const moved = bands.filter((band) => Math.abs(band.gainDb) >= 0.05);
  if (moved.length === 0) return "flat";
  return moved.map((band) => `${frequency(band.hz)} ${signedDb(band.gainDb)}`).join(", ");
}

const frequency = (hz: number) => (hz >= 1000 ? `${Math.round(hz / 100) / 10} kHz` : `${Math.round(hz * 10) / 10} Hz`);

/** A pan position in words: "centre", "35% left". */
export function panText(pan: number): string {
  const percent = Math.round(Math.abs(pan) * 100);
  if (percent === 0) return "centre";
  return `${percent}% ${pan < 0 ? "left" : "right"}`;
}

function effectText(type: unknown, parameters: Record<string, number>): string {
  switch (type) {
    case "eq-highpass":
      return `a high-pass filter at ${frequency(parameters.frequency)}`;
    case "eq-lowpass":
      return `a low-pass filter at ${frequency(parameters.frequency)}`;
    case "eq-peak":
      return `a ${signedDb(parameters.gainDb)} EQ ${parameters.gainDb < 0 ? "cut" : "boost"} at ${frequency(parameters.frequency)}`;
    case "compressor":
      return `a compressor (threshold ${fixed(parameters.thresholdDb, 0, "dB")}, ratio ${parameters.ratio}:1)`;
    case "limiter":
      return `a limiter (ceiling ${fixed(parameters.ceilingDb, 1, "dBTP")})`;
    default:
      return `the effect ${String(type)}`;
  }
}

/** One proposed op in words, naming tracks by their names: "Bass: volume +2.5 dB, pan centre". */
export function describeMixOp(op: MixOp, trackNames: Map<string, string>): string {
  const payload = op.payload;
  const trackId = typeof payload.trackId === "string" ? payload.trackId : null;
  const target = trackId ? (trackNames.get(trackId) ?? "A track") : "Master";
  switch (op.kind) {
    case "track.set": {
      const changes: string[] = [];
      if (typeof payload.volumeDb === "number") changes.push(`volume ${signedDb(payload.volumeDb)}`);
      if (typeof payload.pan === "number") changes.push(`pan ${panText(payload.pan)}`);
      return `${target}: ${changes.join(", ")}`;
    }
    case "effect.add":
      return `${target}: add ${effectText(payload.type, (payload.parameters ?? {}) as Record<string, number>)}`;
    default:
      return `${target}: ${op.kind}`;
  }
}

export interface SubmittedOp extends MixOp {
  clientId: string;
  opId: string;
  baseVersion: number;
}

const opsPerBatch = 100;

/**
 * The proposal's ops ready for POST /api/projects/{id}/ops: based on the version that was measured,
 * batched by the API's limit, ids derived from the job so pressing Apply twice applies them once.
 */
export function mixOpBatches(jobId: string, version: number, ops: MixOp[]): SubmittedOp[][] {
  const submitted = ops.map((op, index) => ({ clientId: `automix-${jobId}`, opId: String(index + 1), baseVersion: version, ...op }));
  const batches: SubmittedOp[][] = [];
  for (let start = 0; start < submitted.length; start += opsPerBatch) batches.push(submitted.slice(start, start + opsPerBatch));
  return batches;
}

/** What the summary reads of an op's acknowledgement. */
export type OpAck = Pick<Schema<"OpAck">, "opId" | "status" | "reason">;

/** What applying did, in a sentence. */
export function applySummary(acks: OpAck[]): string {
  const rejected = acks.filter((ack) => ack.status === "rejected");
  const applied = acks.length - rejected.length;
  const changes = (count: number) => `${count} ${count === 1 ? "change" : "changes"}`;
  if (rejected.length === 0) return `Applied ${changes(applied)}.`;
  const reasons = [...new Set(rejected.map((ack) => (ack.reason ?? "no reason given").replace(/\.$/, "")))].join("; ");
  return `Applied ${applied} of ${changes(acks.length)}; the rest were refused: ${reasons}.`;
}

export interface LyricsForm {
  theme: string;
  genre: string;
  mood: string;
  structure: string;
  rhymeScheme: string;
  syllablesPerLine: string;
  language: string;
  seed: string;
  provider: string;
}

/** The generator's request: blank optional fields left out so the server's defaults apply. */
export function lyricsRequest(form: LyricsForm) {
  const optional = (text: string) => text.trim() || undefined;
  const seed = form.seed.trim();
  return {
    theme: form.theme.trim(),
    genre: optional(form.genre),
    mood: optional(form.mood),
    structure: optional(form.structure),
    rhymeScheme: optional(form.rhymeScheme),
    syllablesPerLine: Number(form.syllablesPerLine),
    language: optional(form.language),
    seed: seed === "" ? undefined : Number(seed),
    provider: optional(form.provider),
  };
}
