// Formants kept through a transposition, for the studio's preview of a clip that keeps them (renders use Rubber Band's
// formant preservation). Transposing by reading faster moves the spectral envelope with the pitch: a voice a fifth up
// sounds small. This stage puts the envelope back: each frame of the transposed sound (2048 samples, Hann windows
// every 512) has its envelope estimated by cepstral smoothing (the log spectrum's slow part: quefrencies under 2 ms,
// below the pitch period of voices up to 500 Hz, so the harmonics are smoothed over and the formants are not), and its spectrum is multiplied by E(f·p) / E(f), the envelope where it was
// before the pitch factor p moved it over where it is now (within ±24 dB). Overlap-add puts the frames back together;
// with nothing to correct the output is the input exactly. Its latency (1 536 samples) is taken up front.

const size = 2048;
const hop = size / 4;
/** Quefrencies kept for the envelope: under 2 ms at 48 kHz (1 ms smooths a formant 100 Hz wide away). */
const lifter = 96;
const maxGain = 16; // ±24 dB
const hann = Float32Array.from({ length: size }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size));
/** Hann² summed over four overlapping frames is 1.5 everywhere: the synthesis window takes it out. */
const synthesis = hann.map((w) => w / 1.5);

/** Per FFT length: the bit-reversal permutation and the twiddles (cos, sin of −2πk/n for k < n/2). */
const tables = new Map<number, { reverse: Uint32Array; cos: Float64Array; sin: Float64Array }>();
function tableOf(n: number) {
  let table = tables.get(n);
  if (!table) {
    const bits = Math.log2(n);
    const reverse = Uint32Array.from({ length: n }, (_, i) => {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      return r;
    });
    const cos = Float64Array.from({ length: n / 2 }, (_, k) => Math.cos((2 * Math.PI * k) / n));
    const sin = Float64Array.from({ length: n / 2 }, (_, k) => -Math.sin((2 * Math.PI * k) / n));
    tables.set(n, (table = { reverse, cos, sin }));
  }
  return table;
}

/** In-place radix-2 FFT of (re, im), length a power of two; `inverse` without the 1/n. Allocates nothing after its first call for a length. */
export function fft(re: Float64Array, im: Float64Array, inverse = false) {
  const n = re.length;
  const { reverse, cos, sin } = tableOf(n);
  for (let i = 0; i < n; i++) {
    const j = reverse[i];
    if (i < j) {
      const tr = re[i];
      const ti = im[i];
      re[i] = re[j];
      im[i] = im[j];
      re[j] = tr;
      im[j] = ti;
    }
  }
  const sign = inverse ? -1 : 1;
  for (let length = 2; length <= n; length <<= 1) {
    const half = length >> 1;
    const stride = n / length;
    for (let start = 0; start < n; start += length) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * stride];
        const wi = sign * sin[k * stride];
        const a = start + k;
        const b = a + half;
        const tr = re[b] * wr - im[b] * wi;
        const ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}

/** Scratch for `envelope`, reused. */
const cepstrum = { re: new Float64Array(size), im: new Float64Array(size) };

/** The spectral envelope (magnitude, bins 0..size/2) of a frame's magnitudes, by cepstral smoothing, into `into`. */
export function envelope(magnitudes: Float64Array, into = new Float64Array(size / 2 + 1)): Float64Array {
  const { re, im } = cepstrum;
  im.fill(0);
  for (let k = 0; k <= size / 2; k++) re[k] = Math.log(magnitudes[k] + 1e-9);
  for (let k = 1; k < size / 2; k++) re[size - k] = re[k];
  fft(re, im, true);
  for (let q = 0; q < size; q++) {
    const keep = q < lifter || q > size - lifter ? 1 / size : 0;
    re[q] *= keep;
    im[q] *= keep;
  }
  fft(re, im);
  for (let k = 0; k <= size / 2; k++) into[k] = Math.exp(re[k]);
  return into;
}

/** What a stretcher gives: the next `frames` samples into `out` (from `offset`). */
export interface Pull { process(out: Float32Array[], frames: number, offset?: number): void }

export class FormantKeeper implements Pull {
  private readonly input: Float32Array[];
  private readonly acc: Float32Array[];
  /** Finished output not yet handed out, per channel, and how much of it is left. */
  private readonly ready: Float32Array[];
  private readyAt = hop;
  private readonly chunk: Float32Array[];
  // Scratch, reused every frame: the spectrum (channel 0 real, channel 1 imaginary), magnitudes, envelope, gains.
  private readonly re = new Float64Array(size);
  private readonly im = new Float64Array(size);
  private readonly magnitudes = new Float64Array(size / 2 + 1);
  private readonly envelope = new Float64Array(size / 2 + 1);
  private readonly gains = new Float64Array(size / 2 + 1);

  /** `source`: the transposed sound; `pitch`: the factor it was transposed by (2^(semitones/12)); `channels`: 1 or 2. */
  constructor(private readonly source: Pull, private readonly pitch: number, channels: 1 | 2) {
    this.input = Array.from({ length: channels }, () => new Float32Array(size));
    this.acc = Array.from({ length: channels }, () => new Float32Array(size));
    this.ready = Array.from({ length: channels }, () => new Float32Array(hop));
    this.chunk = Array.from({ length: channels }, () => new Float32Array(hop));
    // The first frames' output lies before the start: run through it.
    const discard = Array.from({ length: channels }, () => new Float32Array(size - hop));
    this.process(discard, size - hop);
  }

  process(out: Float32Array[], frames: number, offset = 0) {
    for (let n = 0; n < frames; ) {
      if (this.readyAt === hop) this.next();
      const take = Math.min(hop - this.readyAt, frames - n);
      for (let c = 0; c < out.length; c++) out[c].set(this.ready[Math.min(c, this.ready.length - 1)].subarray(this.readyAt, this.readyAt + take), offset + n);
      this.readyAt += take;
      n += take;
    }
  }

  /**
   * Takes a hop of input, corrects the frame now ending there, and finishes a hop of output. Both channels go through
   * one complex FFT (the first as its real part, the second as its imaginary): a real gain keeps them apart, since it
   * is the same at a bin and its mirror.
   */
  private next() {
    this.source.process(this.chunk, hop);
    const stereo = this.input.length === 2;
    const { re, im, magnitudes, gains } = this;
    for (let c = 0; c < this.input.length; c++) {
      const x = this.input[c];
      x.copyWithin(0, hop);
      x.set(this.chunk[c], size - hop);
    }
    const left = this.input[0];
    const right = this.input[stereo ? 1 : 0];
    for (let i = 0; i < size; i++) {
      re[i] = left[i] * hann[i];
      im[i] = stereo ? right[i] * hann[i] : 0;
    }
    fft(re, im);
    // Each channel's magnitude from the packed spectrum (X = (Z[k] + conj Z[n−k]) / 2, Y = (Z[k] − conj Z[n−k]) / 2i); one
    // envelope of their sum for both, so the image stays where it is.
    for (let k = 0; k <= size / 2; k++) {
      const m = (size - k) % size;
      // (Math.hypot is several times slower than the square root of the sum.)
      const [ar, ai] = [(re[k] + re[m]) / 2, (im[k] - im[m]) / 2];
      magnitudes[k] = Math.sqrt(ar * ar + ai * ai);
      if (stereo) {
        const [br, bi] = [(im[k] + im[m]) / 2, (re[m] - re[k]) / 2];
        magnitudes[k] += Math.sqrt(br * br + bi * bi);
      }
    }
    const e = envelope(magnitudes, this.envelope);
    for (let k = 0; k <= size / 2; k++) {
      const at = Math.min(size / 2, k * this.pitch);
      const i = Math.floor(at);
      const before = i >= size / 2 ? e[size / 2] : e[i] + (at - i) * (e[i + 1] - e[i]);
      gains[k] = Math.min(maxGain, Math.max(1 / maxGain, before / e[k]));
    }
    for (let k = 0; k < size; k++) {
      const g = gains[k <= size / 2 ? k : size - k];
      re[k] *= g;
      im[k] *= g;
    }
    fft(re, im, true);
    for (let c = 0; c < this.input.length; c++) {
      const y = c === 0 ? re : im;
      const acc = this.acc[c];
      for (let i = 0; i < size; i++) acc[i] += (y[i] / size) * synthesis[i];
      this.ready[c].set(acc.subarray(0, hop));
      acc.copyWithin(0, hop);
      acc.fill(0, size - hop);
    }
    this.readyAt = 0;
  }
}
