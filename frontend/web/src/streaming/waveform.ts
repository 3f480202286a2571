// The server's waveform (BBC audiowaveform JSON, version 1 or 2) as wavesurfer.js wants it: one array a
// channel of magnitudes in 0..1, one value a pixel, and where comments sit along it.
import type { ReleaseComment } from "./types";

export interface AudiowaveformJson {
  version: number;
  channels?: number;
  sample_rate: number;
  samples_per_pixel: number;
  bits: number;
  length: number;
  /** Per pixel, per channel: min then max. */
  data: number[];
}

export interface WavePeaks {
  channels: number[][];
  duration: number;
}

/**
 * Splits the interleaved min/max pairs by channel and keeps each pixel's larger magnitude, scaled by the
 * sample size (8 or 16 bits), so a quiet song stays quiet on screen.
 */
export function toWavePeaks(json: AudiowaveformJson): WavePeaks {
  const channelCount = Math.max(1, json.channels ?? 1);
  const fullScale = 2 ** (json.bits - 1);
  const pixels = Math.min(json.length, Math.floor(json.data.length / (2 * channelCount)));
  const channels = Array.from({ length: channelCount }, (_, channel) => {
    const values = new Array<number>(pixels);
    for (let pixel = 0; pixel < pixels; pixel++) {
      const at = (pixel * channelCount + channel) * 2;
      values[pixel] = Math.min(1, Math.max(Math.abs(json.data[at]), Math.abs(json.data[at + 1])) / fullScale);
    }
    return values;
  });
  return { channels, duration: (pixels * json.samples_per_pixel) / json.sample_rate };
}

export interface CommentMarker {
  comment: ReleaseComment;
  /** From the left edge of the waveform, 0..100. */
  leftPercent: number;
}

/** One marker per top-level comment (replies share their parent's time), placed along the song. */
export function commentMarkers(comments: ReleaseComment[], duration: number): CommentMarker[] {
  if (!(duration > 0)) return [];
  return comments
    .filter((c) => c.parentId === null)
    .map((comment) => ({ comment, leftPercent: Math.min(100, Math.max(0, (comment.atSeconds / duration) * 100)) }));
}

export interface CommentThread {
  comment: ReleaseComment;
  replies: ReleaseComment[];
}

/** Top-level comments in time order, each with its replies oldest first. */
export function threadComments(comments: ReleaseComment[]): CommentThread[] {
  const threads = new Map<string, CommentThread>();
  for (const comment of comments) if (comment.parentId === null) threads.set(comment.id, { comment, replies: [] });
  for (const comment of comments) if (comment.parentId !== null) threads.get(comment.parentId)?.replies.push(comment);
  const byTime = (a: ReleaseComment, b: ReleaseComment) => a.atSeconds - b.atSeconds || a.createdAt.localeCompare(b.createdAt);
  for (const thread of threads.values()) thread.replies.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return [...threads.values()].sort((a, b) => byTime(a.comment, b.comment));
}
