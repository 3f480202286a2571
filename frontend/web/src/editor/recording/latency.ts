// Round-trip latency, measured by a loopback: a known burst goes out of the speakers (or a cable from the output
// back to the input) and is found again in what the microphone hears. A sample the microphone captures at context
// frame f was sung to what the speakers played at f − latency (the output's delay to the ear plus the input's to the
// worklet), so a take's samples are placed that much earlier.

/** A burst of white noise from a fixed seed: its autocorrelation has one sharp peak, so its echo is found to the sample. */
export function calibrationBurst(length = 4096, seed = 0x2545f491): Float32Array<ArrayBuffer> {
  const burst = new Float32Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    // xorshift32
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    burst[i] = (x / 0xffffffff - 0.5) * 0.8;
  }
  return burst;
}

/**
 * Where `sent` starts in `received` (samples), by cross-correlation over every lag up to `maxLag`, or null when
 * nothing there resembles it (its peak under `threshold` of the burst's own energy: no loopback, or too quiet).
 */
export function findDelay(sent: Float32Array, received: Float32Array, maxLag = received.length - sent.length, threshold = 0.3): number | null {
  let energy = 0;
  for (const s of sent) energy += s * s;
  let best = -1;
  let bestScore = 0;
  for (let lag = 0; lag <= Math.min(maxLag, received.length - sent.length); lag++) {
    let dot = 0;
    let heard = 0;
    for (let i = 0; i < sent.length; i++) {
      const r = received[lag + i];
      dot += sent[i] * r;
      heard += r * r;
    }
    // Normalized by both energies, so a louder stretch of noise does not win over the burst itself.
    const score = heard > 0 ? dot / Math.sqrt(energy * heard) : 0;
    if (score > bestScore) [best, bestScore] = [lag, score];
  }
  return best >= 0 && bestScore >= threshold ? best : null;
}

const storageKey = "jacameno.recording.latency";

/** The round trip last measured on this browser, in seconds (0 until one was). */
export function savedLatency(): number {
  const value = Number(globalThis.localStorage?.getItem(storageKey));
  return Number.isFinite(value) && value > 0 && value < 1 ? value : 0;
}

export function saveLatency(seconds: number) {
  globalThis.localStorage?.setItem(storageKey, String(seconds));
}
