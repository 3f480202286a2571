// Time-stretch and transposition for the studio's preview of a clip (renders use Rubber Band on the server):
// WSOLA, waveform-similarity overlap-add. The source is cut into Hann-windowed frames of 1 024 samples laid down every
// 512 output samples; each frame is taken near where the time scale puts it, shifted (within ±256 samples) to where
// it best continues the previous frame, so periodic sound keeps its phase and transients are not doubled. That
// scales time by α = ratio × pitch without changing pitch; reading the result 2^(semitones/12) times as fast (linear
// interpolation) then gives the clip's length (ratio) and its pitch. Good enough to play along with; not the render.

const frame = 1024;
const hop = frame / 2;
const search = 256;
/** Zeros around the channels' sum, wider than any read outside the source. */
const pad = 2 * frame + search;
const hann = Float32Array.from({ length: frame }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / frame));

export class Stretcher {
  private readonly alpha: number;
  private readonly pitch: number;
  private readonly analysisHop: number;
  /** Overlap-add accumulator per channel (a frame long); its first `hop` samples are final once a frame is added. */
  private readonly acc: Float32Array[];
  /** Finished time-scaled samples not yet read, per channel, and how many. */
  private ready: Float32Array[];
  private readyCount = 0;
  /** Where the next frame is nominally taken (source samples), and where the previous one was taken. */
  private nominal: number;
  private previous: number | null = null;
  /** The read position in `ready` (fractional, for the transposing read). */
  private read = 0;
  private warmup = true;
  /** The channels summed, between `pad` zeros either side: what frames are matched on. */
  private readonly mono: Float32Array;

  /**
   * `source`: its channels at the output's rate. `ratio`: output length ÷ source length. `semitones`: transposition.
   * `from`: the source position (samples, fractional) the output starts at.
   */
  constructor(private readonly source: Float32Array[], ratio: number, semitones: number, from: number) {
    this.pitch = Math.pow(2, semitones / 12);
    this.alpha = ratio * this.pitch;
    this.analysisHop = hop / this.alpha;
    // Frame k is laid down at output k·512; it is taken where its centre (output k·512 + 512) falls in the source,
    // so the output keeps time with the source on average. Frame −1 only warms the accumulator up (its first half is
    // dropped), so the output starts at full level.
    this.nominal = from - hop;
    this.acc = source.map(() => new Float32Array(frame));
    this.mono = new Float32Array(source[0].length + 2 * pad);
    for (const x of source) for (let i = 0; i < x.length; i++) this.mono[pad + i] += x[i];
    this.ready = source.map(() => new Float32Array(4 * frame));
  }

  /** Whether the source has run out (everything after is silence). */
  get done(): boolean {
    return this.nominal - frame > this.source[0].length && this.readyCount - this.read < 2;
  }

  /** Fills `out` (its channels; a mono source fills each) with the next `frames` samples. */
  process(out: Float32Array[], frames: number, offset = 0) {
    for (let n = 0; n < frames; n++) {
      while (this.readyCount - this.read < 2) this.next();
      const i = Math.floor(this.read);
      const f = this.read - i;
      for (let c = 0; c < out.length; c++) {
        const y = this.ready[Math.min(c, this.ready.length - 1)];
        out[c][offset + n] = y[i] + f * (y[i + 1] - y[i]);
      }
      this.read += this.pitch;
    }
    // Drop what has been read, keeping the sample the interpolation still needs.
    const drop = Math.max(0, Math.floor(this.read));
    if (drop > 0) {
      for (const y of this.ready) y.copyWithin(0, drop, this.readyCount);
      this.readyCount -= drop;
      this.read -= drop;
    }
  }

  /** Lays down the next frame and moves the finished half of the accumulator into `ready`. */
  private next() {
    const at = this.previous === null ? this.nominal : this.bestMatch(this.nominal, this.previous + hop);
    for (let c = 0; c < this.acc.length; c++) {
      const x = this.source[c];
      const acc = this.acc[c];
      for (let i = 0; i < frame; i++) {
        const k = Math.round(at) + i;
        if (k >= 0 && k < x.length) acc[i] += x[k] * hann[i];
      }
    }
    this.previous = Math.round(at);
    this.nominal += this.analysisHop;
    if (this.warmup) {
      this.warmup = false;
    } else {
      if (this.readyCount + hop > this.ready[0].length) this.ready = this.ready.map((y) => { const bigger = new Float32Array(y.length * 2); bigger.set(y); return bigger; });
      for (let c = 0; c < this.acc.length; c++) this.ready[c].set(this.acc[c].subarray(0, hop), this.readyCount);
      this.readyCount += hop;
    }
    for (const acc of this.acc) {
      acc.copyWithin(0, hop);
      acc.fill(0, frame - hop);
    }
  }

  /**
   * The position within ±256 of `nominal` whose first half-frame is most like the natural continuation of the previous
   * frame (its source from `continuation` on): cross-correlation of the channels' sum, coarse (every 4th sample and
   * lag), then refined around the best lag.
   */
  private bestMatch(nominal: number, continuation: number): number {
    const base = Math.round(nominal);
    const x = this.mono;
    // Positions in `mono`, which has `pad` zeros before the source (and after), so no read needs a bounds check.
    const [from, to] = [continuation + pad, base + pad];
    if (from < 0 || to - search < 0 || from + hop >= x.length || to + search + hop >= x.length) return base;
    const similarity = (lag: number, step: number) => {
      let sum = 0;
      for (let i = 0, a = from, b = to + lag; i < hop; i += step, a += step, b += step) sum += x[a] * x[b];
      return sum;
    };
    // Ties (silence correlates alike everywhere) keep the nominal position: no shift is taken without a reason.
    let [best, bestValue] = [0, similarity(0, 4)];
    for (let lag = -search; lag <= search; lag += 4) {
      const v = similarity(lag, 4);
      if (v > bestValue) [best, bestValue] = [lag, v];
    }
    const coarse = best;
    bestValue = similarity(coarse, 2);
    for (let lag = coarse - 3; lag <= coarse + 3; lag++) {
      const v = similarity(lag, 2);
      if (v > bestValue) [best, bestValue] = [lag, v];
    }
    return base + best;
  }
}
