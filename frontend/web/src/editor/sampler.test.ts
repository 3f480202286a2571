// The studio's sampler: the same zones, levels and envelope corners as the engine's (audio/Rendering/Sampler.cs).
import { describe, expect, it } from "vitest";
import { applyOp, type Effect, type Project } from "./model";
import { instrument, instrumentOf, noteLevel, zonesFor } from "./sampler";
import { envelope, envelopePoints } from "./synth";

const zone = (assetId: string, root: number, low = 0, high = 127, lowVelocity = 1, highVelocity = 127) => ({ assetId, root, low, high, lowVelocity, highVelocity });
const spec = { type: "sampler", description: "", instrument: true, parameters: [
  ["gainDb", 0], ["velocity", 1], ["attackMs", 1], ["decayMs", 200], ["sustain", 1], ["releaseMs", 150], ["oneShot", 0],
].map(([name, d]) => ({ name: name as string, min: 0, max: 10000, default: d as number, unit: "", description: "", automatable: false })) };
const effect = (type: string, parameters: Record<string, number> = {}, more: Partial<Effect> = {}): Effect =>
  ({ id: "e", type, parameters, bypass: false, sidechainTrackId: null, state: null, zones: [zone("a", 60)], soundFont: null, ...more });

describe("the sampler", () => {
  it("plays every zone whose keys and velocities hold the note (velocity layers)", () => {
    const zones = [zone("soft", 60, 0, 127, 1, 64), zone("hard", 60, 0, 127, 65, 127), zone("high", 72, 72, 127)];
    expect(zonesFor(zones, 60, 64).map((z) => z.assetId)).toEqual(["soft"]);
    expect(zonesFor(zones, 80, 65).map((z) => z.assetId)).toEqual(["hard", "high"]);
    expect(zonesFor(zones, 60, 0)).toEqual([]);
  });

  it("sets a note's level by its velocity as far as the sensitivity says", () => {
    expect(noteLevel(1, 1, 127)).toBe(1);
    expect(noteLevel(1, 1, 64)).toBeCloseTo(Math.pow(64 / 127, 2), 12);
    expect(noteLevel(0.5, 0, 1)).toBe(0.5);
    expect(noteLevel(1, 0.5, 0)).toBe(0.5);
  });

  it("takes the catalog's defaults, and the drums play to the end at once", () => {
    const sampler = instrument(effect("sampler", { attackMs: 10, gainDb: -6.0206 }), spec);
    expect(sampler.envelope).toEqual({ attack: 0.01, decay: 0.2, sustain: 1, release: 0.15 });
    expect(sampler.gain).toBeCloseTo(0.5, 4);
    expect(sampler.oneShot).toBe(false);
    expect(instrument(effect("sampler", { oneShot: 1 }), spec).oneShot).toBe(true);
    const drums = instrument(effect("drums"), spec);
    expect(drums.oneShot).toBe(true);
    expect(envelopePoints(Infinity, 0, drums.envelope)).toEqual([[0, 1]]);
  });

  it("draws the envelope's corners: attack, decay, held, release; one-shots have no release", () => {
    const e = { attack: 0.01, decay: 0.1, sustain: 0.5, release: 0.2 };
    const round = (points: [number, number][]) => points.map(([t, v]) => [Number(t.toFixed(9)), Number(v.toFixed(9))]);
    expect(round(envelopePoints(1, 0, e))).toEqual([[0, 0], [0.01, 1], [0.11, 0.5], [1, 0.5], [1.2, 0]]);
    expect(round(envelopePoints(Infinity, 0, e))).toEqual([[0, 0], [0.01, 1], [0.11, 0.5]]);
    // Let go during the attack: the release starts from where the level was.
    expect(round(envelopePoints(0.005, 0, e))).toEqual([[0, 0], [0.005, 0.5], [0.205, 0]]);
    expect(envelope(0.105, 0.005, e)).toBeCloseTo(0.25, 12);
    // No release: silent the moment the key is let go.
    expect(envelope(0.5, 0.5, { ...e, release: 0 })).toBe(0);
  });

  it("is a MIDI track's instrument only first in its chain and not bypassed", () => {
    const track = { id: "t", name: "K", kind: "midi" as const, color: "#fff", volumeDb: 0, pan: 0, mute: false, solo: false, output: null, clips: [], automation: [], sends: [] };
    expect(instrumentOf({ ...track, effects: [effect("drums")] })?.type).toBe("drums");
    expect(instrumentOf({ ...track, effects: [effect("reverb"), effect("drums")] })).toBeNull();
    expect(instrumentOf({ ...track, effects: [effect("drums", {}, { bypass: true })] })).toBeNull();
    expect(instrumentOf({ ...track, kind: "audio", effects: [effect("drums")] })).toBeNull();
  });

  it("follows effect.zones in the client's copy, with the server's defaults", () => {
    const project = { master: { effects: [], volumeDb: 0, automation: [] }, tracks: [{ id: "t", effects: [effect("sampler", {}, { zones: [] })], clips: [] }] } as unknown as Project;
    const next = applyOp(project, { kind: "effect.zones", payload: { effectId: "e", zones: [{ assetId: "x", root: 48 }] }, userId: "u", at: "", version: 2 })!;
    expect(next.tracks[0].effects[0].zones).toEqual([zone("x", 48)]);
  });
});
