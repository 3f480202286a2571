// Which captured samples make a take, and where the take goes on the timeline. The capture worklet hands over
// blocks stamped with the context frame of their first sample; a pass of the transport maps context time to the
// timeline (it started at context time `when` from timeline sample `from`). A take keeps the frames that were sung
// to the window [start, end) of the timeline: those captured `latency` frames after it was played.

/** A pass of the transport: from `from` (timeline samples, at the project's rate) at context time `when` (seconds). */
export interface Pass { when: number; from: number }

/** The context frames [first, last) whose samples belong to the timeline window [start, end), latency compensated. */
export function captureFrames(pass: Pass, start: number, end: number, projectRate: number, contextRate: number, latencySeconds: number): { first: number; last: number } {
  const frameOf = (position: number) => Math.round((pass.when + (position - pass.from) / projectRate + latencySeconds) * contextRate);
  return { first: frameOf(start), last: frameOf(end) };
}

/** The part of a block (its first sample at context frame `at`) inside [first, last), as [from, to) indexes into it; null if none. */
export function blockPart(at: number, length: number, first: number, last: number): { from: number; to: number } | null {
  const from = Math.max(0, first - at);
  const to = Math.min(length, last - at);
  return to > from ? { from, to } : null;
}

/** Timeline samples (project rate) that `frames` captured at the context's rate last. */
export const timelineLength = (frames: number, projectRate: number, contextRate: number) => Math.max(1, Math.round((frames * projectRate) / contextRate));

/** Clips of the track under [start, end) other than `except`: the older takes a new take is recorded over. */
export function overlapping<C extends { id: string; start: number; length: number }>(clips: readonly C[], start: number, end: number, except?: string): C[] {
  return clips.filter((c) => c.id !== except && c.start < end && c.start + c.length > start);
}
