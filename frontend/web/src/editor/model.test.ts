import { describe, expect, it } from "vitest";
import { applyOp, samplesPerBar, snap, type AppliedOp, type Project } from "./model";
import { audibleTracks, clipWindow } from "./playback";
import { columns } from "./peaks";
import { envelope, envelopePoints, frequency } from "./synth";

const base: Project = {
  id: "p", name: "Song", description: null, tempo: 120, timeSignature: { numerator: 4, denominator: 4 }, key: null,
  sampleRate: 48000, master: { volumeDb: 0, effects: [], automation: [] }, ownerId: "u", collaborators: [], tracks: [], comments: [],
  version: 0, forkedFrom: null, tempoChanges: [],
};

let version = 0;
const op = (kind: string, payload: Record<string, unknown>): AppliedOp => ({ version: ++version, userId: "u", clientId: "c", opId: String(version), kind, payload, at: "2026-01-01T00:00:00Z", cause: null });

function replay(...ops: AppliedOp[]) {
  return ops.reduce<Project>((p, o) => applyOp(p, o)!, base);
}

describe("applyOp", () => {
  it("adds tracks and clips, moves a clip to another track, splits and resizes it as the server does", () => {
    version = 0;
    const p = replay(
      op("track.add", { trackId: "a", name: "Drums", kind: "audio", color: "#ff0000", index: 0 }),
      op("track.add", { trackId: "b", name: "Bass", kind: "audio", color: "#00ff00", index: 1 }),
      op("clip.add", { trackId: "a", clipId: "c1", start: 0, length: 1000, assetId: "x", offset: 0, gainDb: 0 }),
      op("clip.set", { clipId: "c1", fadeIn: { length: 100, curve: "linear" }, fadeOut: { length: 300, curve: "sCurve" } }),
      op("clip.move", { clipId: "c1", start: 500, trackId: "b" }),
      op("clip.split", { clipId: "c1", at: 900, newClipId: "c2" }),
      op("clip.resize", { clipId: "c2", length: 500, start: 1000 }),
    );
    expect(p.version).toBe(7);
    expect(p.tracks[0].clips).toEqual([]);
    const [left, right] = p.tracks[1].clips;
    expect(left).toMatchObject({ id: "c1", start: 500, length: 400, offset: 0, fadeIn: { length: 100 }, fadeOut: { length: 0 } });
    expect(right).toMatchObject({ id: "c2", start: 1000, length: 500, offset: 500, fadeOut: { length: 300, curve: "sCurve" } });
  });

  it("removing a bus sends what fed it to the master and unpins its comments", () => {
    version = 0;
    const p = replay(
      op("track.add", { trackId: "bus", name: "Bus", kind: "bus", color: "#000000", index: 0 }),
      op("track.add", { trackId: "v", name: "Vox", kind: "audio", color: "#000000", index: 1 }),
      op("track.set", { trackId: "v", output: "bus", volumeDb: -6 }),
      op("comment.add", { commentId: "k", text: "louder", position: 10, trackId: "bus" }),
      op("track.remove", { trackId: "bus" }),
    );
    expect(p.tracks.map((t) => [t.id, t.output, t.volumeDb])).toEqual([["v", null, -6]]);
    expect(p.comments[0].trackId).toBeNull();
  });

  it("adds, changes and removes a send as the server does, and drops sends to a removed bus", () => {
    version = 0;
    const p = replay(
      op("track.add", { trackId: "fx", name: "Reverb", kind: "bus", color: "#000000", index: 0 }),
      op("track.add", { trackId: "v", name: "Vox", kind: "audio", color: "#000000", index: 1 }),
      op("track.send", { trackId: "v", busId: "fx", levelDb: -12 }),
      op("track.send", { trackId: "v", busId: "fx", preFader: true }),
    );
    expect(p.tracks[1].sends).toEqual([{ bus: "fx", levelDb: -12, preFader: true }]);
    expect(applyOp(p, op("track.send", { trackId: "v", busId: "fx", remove: true }))!.tracks[1].sends).toEqual([]);
    expect(applyOp(p, op("track.remove", { trackId: "fx" }))!.tracks[0].sends).toEqual([]);
  });

  it("edits effect parameters, removes unset ones, and leaves unknown kinds to a reload", () => {
    version = 0;
    const p = replay(
      op("effect.add", { effectId: "e", type: "gain", parameters: { gainDb: 3 }, index: 0, bypass: false }),
      op("effect.set", { effectId: "e", parameters: { gainDb: -2 } }),
      op("effect.bypass", { effectId: "e", bypass: true }),
    );
    expect(p.master.effects[0]).toMatchObject({ parameters: { gainDb: -2 }, bypass: true });
    expect(applyOp(p, op("clip.restore", {}))).toBeNull();
  });

  it("keeps a plugin's saved state from effect.state, and clears it with null", () => {
    version = 0;
    const plugin = "lv2:http://lsp-plug.in/plugins/lv2/compressor_stereo";
    const p = replay(
      op("effect.add", { effectId: "c", type: plugin, parameters: {}, index: 0, bypass: false }),
      op("effect.state", { effectId: "c", state: "AAEC" }),
    );
    expect(p.master.effects[0]).toMatchObject({ type: plugin, state: "AAEC" });
    expect(applyOp(p, op("effect.state", { effectId: "c", state: null }))!.master.effects[0].state).toBeNull();
  });

  it("replaces, adds and removes automation lanes as the server does", () => {
    version = 0;
    const ramp = [{ time: 0, value: -30, curve: "linear" }, { time: 96000, value: 0, curve: "sCurve" }];
    const p = replay(
      op("track.add", { trackId: "t", name: "Vox", kind: "audio", color: "#fff", index: 0 }),
      op("automation.set", { trackId: "t", target: "volume", points: ramp }),
      op("automation.set", { trackId: "t", target: "pan", points: [{ time: 0, value: 0.5, curve: "hold" }] }),
      op("automation.set", { trackId: "t", target: "volume", points: [ramp[0]] }),
      op("automation.set", { target: "volume", points: ramp }),
    );
    expect(p.tracks[0].automation.map((l) => [l.target, l.points.length])).toEqual([["volume", 1], ["pan", 1]]);
    expect(p.master.automation[0].points[1].curve).toBe("sCurve");
    expect(applyOp(p, op("automation.set", { trackId: "t", target: "pan", points: [] }))!.tracks[0].automation.map((l) => l.target)).toEqual(["volume"]);
  });

  it("adds, moves and removes a MIDI clip's notes, and a split shares them out", () => {
    version = 0;
    const p = replay(
      op("track.add", { trackId: "k", name: "Keys", kind: "midi", color: "#0000ff", index: 0 }),
      op("clip.add", { trackId: "k", clipId: "m", start: 0, length: 4000, offset: 0, gainDb: 0 }),
      op("note.add", { clipId: "m", noteId: "n1", pitch: 60, velocity: 100, start: 0, length: 500 }),
      op("note.add", { clipId: "m", noteId: "n2", pitch: 64, velocity: 90, start: 2500, length: 500 }),
      op("note.move", { clipId: "m", noteId: "n1", pitch: 62, length: 1000 }),
      op("note.add", { clipId: "m", noteId: "n3", pitch: 67, velocity: 80, start: 1000, length: 500 }),
      op("note.remove", { clipId: "m", noteId: "n3" }),
      op("clip.split", { clipId: "m", at: 2000, newClipId: "m2" }),
    );
    const [left, right] = p.tracks[0].clips;
    expect(left.notes).toEqual([{ id: "n1", pitch: 62, velocity: 100, start: 0, length: 1000 }]);
    expect(right.notes).toEqual([{ id: "n2", pitch: 64, velocity: 90, start: 500, length: 500 }]);
  });
});

describe("the note voice", () => {
  it("has the engine's envelope: attack, decay to sustain, release after the note", () => {
    expect(envelope(0, 1)).toBe(0);
    expect(envelope(0.005, 1)).toBeCloseTo(1);
    expect(envelope(0.5, 1)).toBeCloseTo(0.6);
    expect(envelope(1.05, 1)).toBeCloseTo(0.3);
    expect(envelope(1.2, 1)).toBe(0);
    // A note shorter than its attack releases from where it got to.
    expect(envelope(0.002, 0.002)).toBeCloseTo(0.4);
    expect(envelopePoints(1).map(([t, v]) => [t, Number(v.toFixed(3))])).toEqual([[0, 0], [0.005, 1], [0.305, 0.6], [1, 0.6], [1.1, 0]]);
    // Playback that starts 0.2 s into a held note picks it up on its decay, from there.
    expect(envelopePoints(1, 0.2).map(([t, v]) => [Number(t.toFixed(3)), Number(v.toFixed(3))])).toEqual([[0, 0.74], [0.105, 0.6], [0.8, 0.6], [0.9, 0]]);
    expect(frequency(69)).toBe(440);
    expect(frequency(81)).toBeCloseTo(880);
  });
});

describe("timeline arithmetic", () => {
  it("bars follow tempo and time signature, and positions snap to the grid", () => {
    expect(samplesPerBar({ sampleRate: 48000, tempo: 120, timeSignature: { numerator: 4, denominator: 4 } })).toBe(96000);
    expect(samplesPerBar({ sampleRate: 48000, tempo: 120, timeSignature: { numerator: 6, denominator: 8 } })).toBe(72000);
    expect(snap(35000, 24000)).toBe(24000);
    expect(snap(37000, 24000)).toBe(48000);
  });

  it("a clip sounds only inside the played window, from the right point of its audio", () => {
    const clip = { start: 1000, length: 500, offset: 200 } as never;
    expect(clipWindow(clip, 0, 10_000)).toEqual({ at: 1000, offset: 200, length: 500 });
    expect(clipWindow(clip, 1200, 1400)).toEqual({ at: 0, offset: 400, length: 200 });
    expect(clipWindow(clip, 1500, 2000)).toBeNull();
  });

  it("solo wins over everything but mute, and a soloed track's bus keeps sounding", () => {
    const t = (id: string, extra: object = {}) => ({ id, mute: false, solo: false, output: null, ...extra }) as never;
    expect([...audibleTracks([t("a"), t("b", { mute: true })])]).toEqual(["a"]);
    expect([...audibleTracks([t("bus"), t("a", { solo: true, output: "bus" }), t("b")])].sort()).toEqual(["a", "bus"]);
  });

  it("waveform columns take min and max of the points under each column", () => {
    const peaks = { sample_rate: 512, samples_per_pixel: 512, channels: 1, length: 4, bits: 8, data: [-64, 64, -128, 127, 0, 32, -32, 0] };
    expect(columns(peaks, 0, 4, 2)).toEqual([[-1, 127 / 128], [-0.25, 0.25]]);
  });
});

describe("grabbing a clip", () => {
  const at = (x: number, y: number) => ({ clientX: 100 + x, clientY: 50 + y, currentTarget: { getBoundingClientRect: () => ({ left: 100, top: 50 }) } as Element });
  it("trims at the edges, fades at the top corners' handles, moves anywhere else", async () => {
    const { grabbed } = await import("./ClipView");
    expect(grabbed(at(3, 30), 200, 0, 0)).toBe("left");
    expect(grabbed(at(197, 30), 200, 0, 0)).toBe("right");
    expect(grabbed(at(14, 5), 200, 0, 0)).toBe("fadeIn");
    expect(grabbed(at(60, 5), 200, 60, 0)).toBe("fadeIn");
    expect(grabbed(at(186, 5), 200, 0, 0)).toBe("fadeOut");
    expect(grabbed(at(100, 5), 200, 0, 0)).toBe("move");
    expect(grabbed(at(14, 30), 200, 0, 0)).toBe("move");
  });
});
