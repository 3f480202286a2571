// Waveforms for clips, drawn from the server's peaks (audiowaveform JSON at 512 samples a point, read
// once per asset) rather than from decoded audio, so a project of many clips draws without decoding any.
import { api } from "../api/client";
import { assetPath, cached } from "./assets";

export interface Peaks { sample_rate: number; samples_per_pixel: number; channels: number; length: number; data: number[]; bits: number }

const cache = new Map<string, Promise<Peaks>>();

export const peaksOf = (projectId: string, assetId: string) =>
  cached(cache, assetId, () => api.get<Peaks>(`${assetPath(projectId, assetId)}/peaks?format=json&samplesPerPixel=512`));

/**
 * Min/max pairs (−1..1) for `width` columns covering the asset from `offsetSeconds` for `seconds`,
 * taking the first channel. Columns past the end of the audio are empty.
 */
export function columns(peaks: Peaks, offsetSeconds: number, seconds: number, width: number): [number, number][] {
  const scale = 1 << (peaks.bits - 1);
  const stride = 2 * peaks.channels;
  const pointsPerSecond = peaks.sample_rate / peaks.samples_per_pixel;
  const out: [number, number][] = [];
  for (let x = 0; x < width; x++) {
    const a = Math.floor((offsetSeconds + (x / width) * seconds) * pointsPerSecond);
    const b = Math.max(a + 1, Math.floor((offsetSeconds + ((x + 1) / width) * seconds) * pointsPerSecond));
    let min = 0;
    let max = 0;
    for (let i = a; i < b && i < peaks.length; i++) {
      min = Math.min(min, peaks.data[i * stride] / scale);
      max = Math.max(max, peaks.data[i * stride + 1] / scale);
    }
    out.push([min, max]);
  }
  return out;
}

export function draw(canvas: HTMLCanvasElement, cols: [number, number][], color: string) {
  const context = canvas.getContext("2d");
  if (!context) return;
  const { width, height } = canvas;
  context.clearRect(0, 0, width, height);
  context.fillStyle = color;
  const mid = height / 2;
  cols.forEach(([min, max], x) => context.fillRect(x, mid - max * mid, 1, Math.max(1, (max - min) * mid)));
}
