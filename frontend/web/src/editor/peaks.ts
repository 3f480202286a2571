// Waveforms for clips, drawn from the server's peaks (audiowaveform JSON at 512 samples a point, read
// once per asset) rather than from decoded audio, so a project of many clips draws without decoding any.
// Each asset's waveform is drawn once into an image that every clip of it shows its part of.
import { api } from "../api/client";
import { assetPath, Cache } from "./assets";

export interface Peaks { sample_rate: number; samples_per_pixel: number; channels: number; length: number; data: number[]; bits: number }

const peaks = new Cache<Peaks>();

export const peaksOf = (projectId: string, assetId: string) =>
  peaks.get(assetId, () => api.get<Peaks>(`${assetPath(projectId, assetId)}/peaks?format=json&samplesPerPixel=512`));

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

/**
 * The asset's whole waveform as an image (a blob URL) at about `pxPerSecond`, made once per asset, color and
 * power-of-two zoom level. Clips show their part of it as a background, stretched to the exact zoom: images
 * are blitted, where hundreds of canvases or vector outlines would each be painted on every scroll.
 */
export interface Waveform { url: string; seconds: number }

const imageKey = (assetId: string, color: string, pxPerSecond: number) => `${assetId}|${color}|${2 ** Math.ceil(Math.log2(Math.max(1, pxPerSecond)))}`;

/** The image if it is made already. */
export const knownWaveform = (assetId: string, color: string, pxPerSecond: number) => images.peek(imageKey(assetId, color, pxPerSecond));

export function waveformImage(projectId: string, assetId: string, color: string, pxPerSecond: number): Promise<Waveform> {
  const level = 2 ** Math.ceil(Math.log2(Math.max(1, pxPerSecond)));
  return images.get(imageKey(assetId, color, pxPerSecond), async () => {
    const points = await peaksOf(projectId, assetId);
    const seconds = (points.length * points.samples_per_pixel) / points.sample_rate;
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.min(8192, Math.ceil(seconds * level)));
    canvas.height = 64;
    draw(canvas, columns(points, 0, seconds, canvas.width), color);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve));
    if (!blob) throw new Error("The waveform could not be drawn.");
    return { url: URL.createObjectURL(blob), seconds };
  });
}

const images = new Cache<Waveform>();

function draw(canvas: HTMLCanvasElement, cols: [number, number][], color: string) {
  const context = canvas.getContext("2d");
  if (!context) return;
  const { width, height } = canvas;
  context.clearRect(0, 0, width, height);
  context.fillStyle = color;
  const mid = height / 2;
  cols.forEach(([min, max], x) => context.fillRect(x, mid - max * mid, 1, Math.max(1, (max - min) * mid)));
}
