import { describe, expect, it } from "vitest";
import type { Track } from "./model";
import { hasPlugins, previewKey, windows } from "./preview";

const track = (effects: { type: string; bypass?: boolean }[], extra: Partial<Track> = {}) =>
  ({ id: "t", kind: "audio", clips: [], automation: [], volumeDb: 0, pan: 0, effects: effects.map((e, i) => ({ id: `e${i}`, parameters: {}, bypass: false, ...e })), ...extra }) as unknown as Track;

describe("plugin track previews", () => {
  it("are for tracks running a hosted plugin", () => {
    expect(hasPlugins(track([{ type: "eq-peak" }]))).toBe(false);
    expect(hasPlugins(track([{ type: "eq-peak" }, { type: "lv2:http://lsp-plug.in/plugins/lv2/compressor_stereo" }]))).toBe(true);
    expect(hasPlugins(track([{ type: "vst2:/usr/lib/vst/x.so", bypass: true }]))).toBe(false);
    expect(hasPlugins(track([{ type: "vst2:/usr/lib/vst/x.so" }], { kind: "bus" } as Partial<Track>))).toBe(false);
  });

  it("are fetched again for an edit of the clips or chain, not of the fader or pan", () => {
    const before = track([{ type: "lv2:x" }]);
    expect(previewKey({ ...before, volumeDb: -6, pan: 0.5 } as Track)).toBe(previewKey(before));
    expect(previewKey({ ...before, automation: [{ target: "volume", points: [] }] } as unknown as Track)).toBe(previewKey(before));
    expect(previewKey(track([{ type: "lv2:x", bypass: true }]))).not.toBe(previewKey(before));
    expect(previewKey({ ...before, automation: [{ target: "effect:e0:gain", points: [] }] } as unknown as Track)).not.toBe(previewKey(before));
  });

  it("come in a short first window, then longer ones, up to the end", () => {
    expect(windows(0, 48000 * 40, 48000)).toEqual([[0, 4], [192000, 15], [912000, 15], [1632000, 6]]);
    expect(windows(1000, 1000 + 24000, 48000)).toEqual([[1000, 0.5]]);
    expect(windows(5, 5, 48000)).toEqual([]);
  });
});
