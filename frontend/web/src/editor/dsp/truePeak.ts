// The engine's true-peak interpolator (Jacameno.Audio.Loudness.TruePeakDetector) for the browser's limiter: a
// windowed-sinc low-pass at the original Nyquist for the oversampled rate (Kaiser β 8), split into phases, each
// normalised to unity at DC; every sample pushed returns the largest |value| of the points it completes.

/** The Kaiser window at r (−1..1 across its length) for shape beta. */
export function kaiser(r: number, beta: number): number {
  return besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / besselI0(beta);
}

function besselI0(x: number): number {
  let [sum, term] = [1, 1];
  for (let k = 1; k < 50; k++) {
    term *= (x * x) / (4 * k * k);
    sum += term;
  }
  return sum;
}

export class TruePeakDetector {
  readonly factor: number;
  /** No interpolated value exceeds the largest |sample| under the filter times this (the largest sum of |taps| of a phase). */
  readonly gainBound: number;
  private readonly taps: Float32Array; // phase after phase, each newest-sample first
  private readonly history: Float32Array;
  private head = 0;

  constructor(sampleRate: number, oversampling?: number, private readonly phaseLength = 16) {
    this.factor = oversampling ?? (sampleRate < 96_000 ? 4 : sampleRate < 192_000 ? 2 : 1);
    this.history = new Float32Array(phaseLength * 2);
    const phases = this.design(this.factor);
    this.taps = Float32Array.from(phases.flatMap((p) => [...p]));
    this.gainBound = Math.max(...phases.map((p) => p.reduce((s, v) => Math.fround(s + Math.abs(v)), 0)));
  }

  /** Pushes a sample without interpolating (a stretch the caller knows cannot matter). */
  skip(sample: number) {
    this.head = this.head === 0 ? this.phaseLength - 1 : this.head - 1;
    this.history[this.head] = this.history[this.head + this.phaseLength] = sample;
  }

  next(sample: number): number {
    this.skip(sample);
    if (this.factor === 1) return Math.abs(this.history[this.head]);
    const { taps, history, head, phaseLength } = this;
    let max = 0;
    for (let p = 0; p < taps.length; p += phaseLength) {
      let sum = 0;
      for (let t = 0; t < phaseLength; t++) sum += taps[p + t] * history[head + t];
      if (sum > max) max = sum;
      else if (-sum > max) max = -sum;
    }
    return Math.fround(max);
  }

  private design(factor: number): Float32Array[] {
    const length = this.phaseLength * factor;
    const centre = (length - 1) / 2;
    const taps = Array.from({ length }, (_, n) => {
      const x = (n - centre) / factor;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      return sinc * kaiser((n - centre) / centre, 8);
    });
    return Array.from({ length: factor }, (_, p) => {
      const phase = Array.from({ length: this.phaseLength }, (_, t) => taps[t * factor + p]);
      const gain = phase.reduce((s, v) => s + v, 0);
      return Float32Array.from(phase, (v) => v / gain);
    });
  }
}
