// The built-in effects for the browser's live sound: the engine's algorithms (Jacameno.Audio.Effects) line for line,
// so what the studio plays through an effect is what a render makes of it. Each effect works on planar channels in
// place and keeps its state between calls; parameters come in whole, defaults filled (the catalog from /api/effects).
// Buffers are Float32Array like the engine's float[]; the arithmetic in between is double, as the engine's mostly is.
import { TruePeakDetector } from "./truePeak";

export type Parameters = Readonly<Record<string, number>>;

export interface Effect {
  process(channels: Float32Array[], offset: number, frames: number): void;
  /** The values from the next processed frame on, keeping the effect's state; absent where a parameter is fixed while it runs. */
  update?(parameters: Parameters): void;
  /** A compressor's sidechain: the key for the next `process`, aligned with its block; null for its own input. */
  key?: Float32Array[] | null;
}

export interface EffectContext { sampleRate: number; channels: number; tempo: number }

const toGain = (db: number) => Math.pow(10, db / 20);
const fromGain = (gain: number) => 20 * Math.log10(Math.max(gain, 1e-12));
/** A one-pole smoothing coefficient reaching ~63% in `ms`. */
const coefficient = (ms: number, rate: number) => Math.exp(-1000 / (ms * rate));

/** The effect of a built-in type, or null for a type the browser cannot run (a hosted plugin). */
export function createEffect(type: string, parameters: Parameters, context: EffectContext): Effect | null {
  switch (type) {
    case "gain": return new Gain(parameters);
    case "eq-peak": case "eq-lowshelf": case "eq-highshelf": case "eq-lowpass": case "eq-highpass":
      return new Biquad(type, parameters, context);
    case "compressor": return new Compressor(parameters, context);
    case "limiter": return new Limiter(parameters, context);
    case "delay": return new Delay(parameters, context);
    case "reverb": return new Reverb(parameters, context);
    case "width": return new StereoWidth(parameters);
    default: return null;
  }
}

class Gain implements Effect {
  private gain: number;
  constructor(p: Parameters) { this.gain = Math.fround(toGain(p.gainDb)); }
  update(p: Parameters) { this.gain = Math.fround(toGain(p.gainDb)); }
  process(channels: Float32Array[], offset: number, frames: number) {
    for (const channel of channels) for (let i = offset; i < offset + frames; i++) channel[i] *= this.gain;
  }
}

/** RBJ Audio EQ Cookbook biquads for the actual sample rate; new coefficients keep the filter's memory. */
class Biquad implements Effect {
  private readonly x1: Float64Array; private readonly x2: Float64Array; private readonly y1: Float64Array; private readonly y2: Float64Array;
  private b0 = 1; private b1 = 0; private b2 = 0; private a1 = 0; private a2 = 0;

  constructor(private readonly kind: string, p: Parameters, private readonly context: EffectContext) {
    [this.x1, this.x2, this.y1, this.y2] = [0, 0, 0, 0].map(() => new Float64Array(context.channels));
    this.update(p);
  }

  update(p: Parameters) {
    const frequency = Math.min(p.frequency, this.context.sampleRate * 0.49);
    const w0 = (2 * Math.PI * frequency) / this.context.sampleRate;
    const [cos, sin] = [Math.cos(w0), Math.sin(w0)];
    const alpha = sin / (2 * p.q);
    const a = this.kind === "eq-peak" || this.kind === "eq-lowshelf" || this.kind === "eq-highshelf" ? Math.pow(10, p.gainDb / 40) : 1;
    const shelf = 2 * Math.sqrt(a) * alpha;
    let c: number[];
    switch (this.kind) {
      case "eq-peak": c = [1 + alpha * a, -2 * cos, 1 - alpha * a, 1 + alpha / a, -2 * cos, 1 - alpha / a]; break;
      case "eq-lowshelf":
        c = [a * ((a + 1) - (a - 1) * cos + shelf), 2 * a * ((a - 1) - (a + 1) * cos), a * ((a + 1) - (a - 1) * cos - shelf),
          (a + 1) + (a - 1) * cos + shelf, -2 * ((a - 1) + (a + 1) * cos), (a + 1) + (a - 1) * cos - shelf];
        break;
      case "eq-highshelf":
        c = [a * ((a + 1) + (a - 1) * cos + shelf), -2 * a * ((a - 1) + (a + 1) * cos), a * ((a + 1) + (a - 1) * cos - shelf),
          (a + 1) - (a - 1) * cos + shelf, 2 * ((a - 1) - (a + 1) * cos), (a + 1) - (a - 1) * cos - shelf];
        break;
      case "eq-lowpass": c = [(1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha]; break;
      default: c = [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha];
    }
    const a0 = c[3];
    [this.b0, this.b1, this.b2, this.a1, this.a2] = [c[0] / a0, c[1] / a0, c[2] / a0, c[4] / a0, c[5] / a0];
  }

  process(channels: Float32Array[], offset: number, frames: number) {
    const { b0, b1, b2, a1, a2 } = this;
    channels.forEach((channel, c) => {
      let [px1, px2, py1, py2] = [this.x1[c], this.x2[c], this.y1[c], this.y2[c]];
      for (let i = offset; i < offset + frames; i++) {
        const sample = channel[i];
        const y = b0 * sample + b1 * px1 + b2 * px2 - a1 * py1 - a2 * py2;
        [px2, px1, py2, py1] = [px1, sample, py1, y];
        channel[i] = y;
      }
      [this.x1[c], this.x2[c], this.y1[c], this.y2[c]] = [px1, px2, py1, py2];
    });
  }
}

/**
 * Feed-forward compressor: a peak envelope of the loudest channel (or of the key) drives one gain for all channels,
 * soft knee per Giannoulis, Massberg and Reiss; the gain is computed every 16 samples and ramped between.
 */
class Compressor implements Effect {
  private static readonly control = 16;
  private threshold = 0; private ratio = 1; private knee = 0; private makeup = 0; private attack = 0; private release = 0;
  private envelopeDb = -120;
  private gain: number;
  key: Float32Array[] | null = null;

  constructor(p: Parameters, private readonly context: EffectContext) {
    this.update(p);
    this.gain = Math.fround(toGain(this.makeup));
  }

  update(p: Parameters) {
    [this.threshold, this.ratio, this.knee, this.makeup] = [p.thresholdDb, p.ratio, p.kneeDb, p.makeupDb];
    this.attack = Math.pow(coefficient(p.attackMs, this.context.sampleRate), Compressor.control);
    this.release = Math.pow(coefficient(p.releaseMs, this.context.sampleRate), Compressor.control);
  }

  process(channels: Float32Array[], offset: number, frames: number) {
    for (let start = offset; start < offset + frames; start += Compressor.control) {
      const count = Math.min(Compressor.control, offset + frames - start);
      let peak = 0;
      for (const channel of this.key ?? channels) for (let i = start; i < start + count; i++) peak = Math.max(peak, Math.abs(channel[i]));
      const levelDb = fromGain(peak);
      const k = levelDb > this.envelopeDb ? this.attack : this.release;
      this.envelopeDb = k * this.envelopeDb + (1 - k) * levelDb;
      const target = Math.fround(toGain(this.curve(this.envelopeDb) - this.envelopeDb + this.makeup));
      const step = Math.fround((target - this.gain) / count);
      for (const channel of channels) {
        let g = this.gain;
        for (let i = start; i < start + count; i++) {
          g = Math.fround(g + step);
          channel[i] *= g;
        }
      }
      this.gain = target;
    }
  }

  /** The static curve: output level for an input level. */
  private curve(input: number): number {
    const over = input - this.threshold;
    if (2 * over < -this.knee) return input;
    if (this.knee > 0 && 2 * Math.abs(over) <= this.knee) return input + ((1 / this.ratio - 1) * Math.pow(over + this.knee / 2, 2)) / (2 * this.knee);
    return this.threshold + over / this.ratio;
  }
}

/**
 * Look-ahead limiter on true peaks (the engine's: a BS.1770 interpolator and a finer one near the ceiling, the minimum
 * gain over the look-ahead window, then release). Its parameters are fixed while it runs; the output is delayed by
 * the look-ahead.
 */
class Limiter implements Effect {
  private static readonly chunk = 64;
  private readonly ceiling: number; private readonly release: number; private readonly lookahead: number;
  private readonly delayLine: Float32Array[];
  private readonly estimators: TruePeakDetector[];
  private readonly gainBound: number; private readonly fineGate: number;
  private readonly peaks: Float32Array[];
  private previousChunkMax = 0; private previousStandardMax = 0;
  // Sliding minimum of the required gain over the window: (index, gain) pairs with increasing gains.
  private readonly windowIndex: Float64Array; private readonly windowGain: Float64Array;
  private windowHead = 0; private windowCount = 0; private index = 0; private position = 0; private gain = 1;

  constructor(p: Parameters, context: EffectContext) {
    this.ceiling = toGain(p.ceilingDb - 0.05);
    this.release = coefficient(p.releaseMs, context.sampleRate);
    this.lookahead = Math.max(1, Math.trunc((p.lookaheadMs * context.sampleRate) / 1000));
    this.delayLine = Array.from({ length: context.channels }, () => new Float32Array(this.lookahead + 1));
    this.windowIndex = new Float64Array(this.lookahead + 2);
    this.windowGain = new Float64Array(this.lookahead + 2);
    const oversampling = context.sampleRate < 96_000 ? 8 : context.sampleRate < 192_000 ? 4 : 2;
    this.estimators = Array.from({ length: context.channels }, () => [new TruePeakDetector(context.sampleRate), new TruePeakDetector(context.sampleRate, oversampling, 48)]).flat();
    this.gainBound = Math.max(...this.estimators.map((e) => e.gainBound));
    this.fineGate = Math.fround(this.ceiling * toGain(-2));
    this.peaks = Array.from({ length: context.channels }, () => new Float32Array(Limiter.chunk));
  }

  process(channels: Float32Array[], offset: number, frames: number) {
    const chunk = Limiter.chunk;
    for (let from = offset; from < offset + frames; from += chunk) {
      const end = Math.min(from + chunk, offset + frames);
      let chunkMax = 0;
      for (const channel of channels) for (let f = from; f < end; f++) chunkMax = Math.max(chunkMax, Math.abs(channel[f]));
      // No interpolated value can exceed the largest sample the filters reach times their gain bound.
      const quiet = Math.max(chunkMax, this.previousChunkMax) * this.gainBound <= this.ceiling;
      this.previousChunkMax = chunkMax;
      let standardMax = 0;
      const n = channels.length;
      for (let f = from; f < end; f++) {
        for (let c = 0; c < n; c++) {
          const peaks = this.peaks[c];
          if (quiet) {
            this.estimators[2 * c].skip(channels[c][f]);
            peaks[f - from] = 0;
          } else {
            peaks[f - from] = this.estimators[2 * c].next(channels[c][f]);
            if (peaks[f - from] > standardMax) standardMax = peaks[f - from];
          }
        }
      }
      const fine = Math.max(standardMax, this.previousStandardMax) >= this.fineGate;
      this.previousStandardMax = standardMax;
      for (let f = from; f < end; f++) {
        let peak = 0;
        for (let c = 0; c < n; c++) {
          const sample = channels[c][f];
          const standard = this.peaks[c][f - from];
          peak = Math.max(peak, fine ? Math.max(standard, this.estimators[2 * c + 1].next(sample)) : standard);
          if (!fine) this.estimators[2 * c + 1].skip(sample);
        }
        this.step(channels, f, peak);
      }
    }
  }

  private step(channels: Float32Array[], f: number, peak: number) {
    for (let c = 0; c < channels.length; c++) this.delayLine[c][this.position] = channels[c][f];
    this.push(peak > this.ceiling ? this.ceiling / peak : 1);
    const target = this.windowGain[this.windowHead];
    this.gain = target < this.gain ? target : this.release * this.gain + (1 - this.release) * target;
    const read = (this.position + 1) % this.delayLine[0].length; // the oldest: lookahead samples ago
    for (let c = 0; c < channels.length; c++) channels[c][f] = this.delayLine[c][read] * this.gain;
    this.position = read;
    this.index++;
  }

  private push(required: number) {
    const size = this.windowGain.length;
    while (this.windowCount > 0 && this.windowGain[(this.windowHead + this.windowCount - 1) % size] >= required) this.windowCount--;
    const at = (this.windowHead + this.windowCount) % size;
    [this.windowIndex[at], this.windowGain[at]] = [this.index, required];
    this.windowCount++;
    while (this.windowIndex[this.windowHead] <= this.index - this.delayLine[0].length) {
      this.windowHead = (this.windowHead + 1) % size;
      this.windowCount--;
    }
  }
}

/** Echoes with feedback; the time (or beats at the project's tempo) is the line's length, fixed while it runs. */
class Delay implements Effect {
  private readonly lines: Float32Array[];
  private feedback: number; private mix: number;
  private position = 0;

  constructor(p: Parameters, context: EffectContext) {
    const seconds = p.beats > 0 ? (p.beats * 60) / context.tempo : p.timeMs / 1000;
    const length = Math.min(Math.max(Math.round(seconds * context.sampleRate), 1), context.sampleRate * 16);
    this.lines = Array.from({ length: context.channels }, () => new Float32Array(length));
    [this.feedback, this.mix] = [Math.fround(p.feedback), Math.fround(p.mix)];
  }

  update(p: Parameters) { [this.feedback, this.mix] = [Math.fround(p.feedback), Math.fround(p.mix)]; }

  process(channels: Float32Array[], offset: number, frames: number) {
    const length = this.lines[0].length;
    for (let f = offset; f < offset + frames; f++) {
      channels.forEach((channel, c) => {
        const line = this.lines[c];
        const echo = line[this.position];
        const dry = channel[f];
        line[this.position] = dry + echo * this.feedback;
        channel[f] = dry * (1 - this.mix) + echo * this.mix;
      });
      this.position = (this.position + 1) % length;
    }
  }
}

/** Schroeder/Moorer: eight damped feedback combs in parallel, then four allpasses, per channel. */
class Reverb implements Effect {
  private static readonly combTunings = [1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617];
  private static readonly allpassTunings = [556, 441, 341, 225];
  private readonly combs: Float32Array[][]; private readonly allpasses: Float32Array[][];
  private readonly combPositions: Int32Array[]; private readonly allpassPositions: Int32Array[];
  private readonly combFilters: Float32Array[];
  private feedback = 0; private damping = 0; private mix = 0;

  constructor(p: Parameters, context: EffectContext) {
    const scale = context.sampleRate / 44100;
    const channels = Array.from({ length: context.channels }, (_, c) => c);
    // Right channels get slightly longer lines for a wider image.
    this.combs = channels.map((c) => Reverb.combTunings.map((t) => new Float32Array(Math.trunc((t + c * 23) * scale))));
    this.allpasses = channels.map((c) => Reverb.allpassTunings.map((t) => new Float32Array(Math.trunc((t + c * 23) * scale))));
    this.combPositions = channels.map(() => new Int32Array(Reverb.combTunings.length));
    this.allpassPositions = channels.map(() => new Int32Array(Reverb.allpassTunings.length));
    this.combFilters = channels.map(() => new Float32Array(Reverb.combTunings.length));
    this.update(p);
  }

  update(p: Parameters) {
    [this.feedback, this.damping, this.mix] = [Math.fround(0.7 + 0.28 * p.roomSize), Math.fround(p.damping * 0.4), Math.fround(p.mix)];
  }

  process(channels: Float32Array[], offset: number, frames: number) {
    const { feedback, damping, mix } = this;
    channels.forEach((channel, c) => {
      const [combs, allpasses, combPositions, allpassPositions, filters] = [this.combs[c], this.allpasses[c], this.combPositions[c], this.allpassPositions[c], this.combFilters[c]];
      for (let f = offset; f < offset + frames; f++) {
        const input = Math.fround(channel[f] * 0.015);
        let wet = 0;
        for (let k = 0; k < combs.length; k++) {
          const line = combs[k];
          const pos = combPositions[k];
          const output = line[pos];
          filters[k] = output * (1 - damping) + filters[k] * damping;
          line[pos] = input + filters[k] * feedback;
          combPositions[k] = (pos + 1) % line.length;
          wet = Math.fround(wet + output);
        }
        for (let k = 0; k < allpasses.length; k++) {
          const line = allpasses[k];
          const pos = allpassPositions[k];
          const buffered = line[pos];
          line[pos] = wet + buffered * 0.5;
          wet = Math.fround(buffered - wet);
          allpassPositions[k] = (pos + 1) % line.length;
        }
        channel[f] = channel[f] * (1 - mix) + wet * mix * 3;
      }
    });
  }
}

/** Stereo width through mid/side: 0 mono, 1 unchanged, 2 twice as wide; other layouts pass through. */
class StereoWidth implements Effect {
  private width: number;
  constructor(p: Parameters) { this.width = p.width; }
  update(p: Parameters) { this.width = p.width; }
  process(channels: Float32Array[], offset: number, frames: number) {
    if (channels.length !== 2) return;
    const [left, right] = channels;
    const width = Math.fround(this.width);
    for (let f = offset; f < offset + frames; f++) {
      const mid = Math.fround((left[f] + right[f]) / 2);
      const side = Math.fround(Math.fround((left[f] - right[f]) / 2) * width);
      [left[f], right[f]] = [mid + side, mid - side];
    }
  }
}
