import { describe, expect, it } from "vitest";
import { AutomationWriter, fill, insertPoint, laneOp, mergeRecording, movePoint, Recording, removePoint, setCurve, shape, targetsOf, valueAt, type Point } from "./automation";
import type { Project, Track } from "./model";
import { dbToGain, laneCurve, mixSettings } from "./playback";

const pt = (time: number, value: number, curve: Point["curve"] = "linear"): Point => ({ time, value, curve });

describe("the lane evaluator (the engine's AutomationEnvelope)", () => {
  it("holds the first value before the first point and the last after the last", () => {
    const lane = [pt(100, 2), pt(200, 4)];
    expect([valueAt(lane, 0), valueAt(lane, 99), valueAt(lane, 100), valueAt(lane, 200), valueAt(lane, 10_000)]).toEqual([2, 2, 2, 4, 4]);
    expect(valueAt([pt(50, -6)], 0)).toBe(-6);
    expect(valueAt([pt(50, -6)], 1e9)).toBe(-6);
    expect(() => valueAt([], 0)).toThrow();
  });

  it("hold: 1 until 200, then 3 (the server's figures)", () => {
    const hold = [pt(100, 1, "hold"), pt(200, 3)];
    expect([valueAt(hold, 0), valueAt(hold, 150), valueAt(hold, 199), valueAt(hold, 200), valueAt(hold, 10_000)]).toEqual([1, 1, 1, 3, 3]);
  });

  it("S-curve 0 → 1 over 0..100 gives 0.5 at 50 and 0.15625 at 25; exponential 1 → 2 over 100..200 gives 1.25 at 150", () => {
    const lane = [pt(0, 0, "sCurve"), pt(100, 1, "exponential"), pt(200, 2)];
    expect(valueAt(lane, 50)).toBe(0.5);
    expect(valueAt(lane, 25)).toBe(0.15625);
    expect(valueAt(lane, 150)).toBe(1.25);
  });

  it("linear and logarithmic, and each shape's ends", () => {
    expect(valueAt([pt(0, -40), pt(96000, 0)], 24000)).toBe(-30);
    expect(valueAt([pt(0, 0, "logarithmic"), pt(100, 1)], 50)).toBe(0.75);
    for (const curve of ["linear", "hold", "exponential", "logarithmic", "sCurve"] as const) {
      expect(shape(curve, 0)).toBe(0);
      if (curve !== "hold") expect(shape(curve, 1)).toBe(1);
    }
  });

  it("equal times make a jump: the later point wins from its time on", () => {
    const lane = [pt(0, 0), pt(100, 1), pt(100, 5), pt(200, 5)];
    expect(valueAt(lane, 99)).toBeCloseTo(0.99);
    expect(valueAt(lane, 100)).toBe(5);
  });

  it("fill gives what valueAt gives, sample by sample or strided, across points", () => {
    const lane = [pt(10, 0, "sCurve"), pt(110, 1, "exponential"), pt(210, 2, "hold"), pt(300, -1)];
    const every = fill(lane, 0, 400);
    for (let t = 0; t < 400; t++) expect(every[t]).toBe(valueAt(lane, t));
    const strided = fill(lane, 5, 40, 7.5);
    for (let i = 0; i < 40; i++) expect(strided[i]).toBe(valueAt(lane, 5 + i * 7.5));
  });
});

describe("editing a lane", () => {
  const lane = [pt(0, 0), pt(100, 1), pt(200, 2)];

  it("inserts in time order (after points at the same time) and says where", () => {
    expect(insertPoint(lane, pt(150, 9))).toEqual({ points: [pt(0, 0), pt(100, 1), pt(150, 9), pt(200, 2)], index: 2 });
    expect(insertPoint(lane, pt(100, 9)).index).toBe(2);
    expect(insertPoint([], pt(5, 1))).toEqual({ points: [pt(5, 1)], index: 0 });
    expect(insertPoint(lane, pt(500, 3)).index).toBe(3);
  });

  it("moves a point no further than its neighbours, never below 0, and leaves the others", () => {
    expect(movePoint(lane, 1, 150.4, 7)).toEqual([pt(0, 0), pt(150, 7), pt(200, 2)]);
    expect(movePoint(lane, 1, 500, 7)[1].time).toBe(200);
    expect(movePoint(lane, 1, -50, 7)[1].time).toBe(0);
    expect(movePoint(lane, 0, -50, 7)[0].time).toBe(0);
    expect(movePoint(lane, 2, 10_000, 7)[2].time).toBe(10_000);
    expect(lane).toEqual([pt(0, 0), pt(100, 1), pt(200, 2)]);
  });

  it("removes a point and sets a point's curve", () => {
    expect(removePoint(lane, 1)).toEqual([pt(0, 0), pt(200, 2)]);
    expect(setCurve(lane, 0, "sCurve")[0]).toEqual(pt(0, 0, "sCurve"));
  });

  it("sends the whole lane as one op, on a track or the master, with whole sample times", () => {
    expect(laneOp("t", "volume", [pt(10.4, -6)])).toEqual({ kind: "automation.set", payload: { trackId: "t", target: "volume", points: [pt(10, -6)] } });
    expect(laneOp(null, "volume", [])).toEqual({ kind: "automation.set", payload: { target: "volume", points: [] } });
  });

  it("offers volume, pan and each effect's automatable parameters", () => {
    const track = {
      id: "t", volumeDb: -3, pan: 0.5, automation: [{ target: "effect:gone:x", points: [pt(0, 4)] }],
      effects: [
        { id: "e1", type: "eq", parameters: { gainDb: 2 } },
        { id: "e2", type: "delay", parameters: { timeMs: 250, feedback: 0.3 } },
      ],
    } as unknown as Track;
    const project = { master: { volumeDb: 0, effects: [], automation: [] } } as unknown as Project;
    const catalog = (type: string) =>
      type === "eq" ? [{ name: "gainDb", label: "Gain", min: -24, max: 24, unit: "dB", default: 0 }, { name: "order", label: "Order", min: 1, max: 4, unit: "", default: 2, automatable: false }] : undefined;
    const targets = targetsOf(track, project, catalog);
    expect(targets.map((t) => t.target)).toEqual(["volume", "pan", "effect:e1:gainDb", "effect:e2:feedback", "effect:gone:x"]);
    expect(targets[0]).toMatchObject({ min: -60, max: 12, value: -3 });
    expect(targets[2]).toMatchObject({ min: -24, max: 24, value: 2, unit: "dB" });
    expect(targetsOf(null, project, catalog).map((t) => t.target)).toEqual(["volume"]);
  });

  it("offers each send's level, named after its bus", () => {
    const track = { id: "t", volumeDb: 0, pan: 0, automation: [], effects: [], sends: [{ bus: "b", levelDb: -9, preFader: false }] } as unknown as Track;
    const project = { tracks: [track, { id: "b", name: "Reverb" }], master: { volumeDb: 0, effects: [], automation: [] } } as unknown as Project;
    expect(targetsOf(track, project, () => undefined)[2]).toMatchObject({ target: "send:b", label: "Send to Reverb", min: -60, max: 12, unit: "dB", value: -9 });
  });
});

describe("recording a control", () => {
  const gap = 2400; // 50 ms at 48 kHz

  it("keeps at most one point per 50 ms, only when the value changed, and the last value of a gesture", () => {
    const r = new Recording(gap);
    expect(r.add(0, -6)).toBe(true);
    expect(r.add(1000, -5)).toBe(false); // too soon: waits
    expect(r.add(2000, -4)).toBe(false); // replaces the waiting one
    expect(r.add(2400, -4)).toBe(true); // 50 ms on, changed
    expect(r.add(5000, -4)).toBe(false); // unchanged
    expect(r.add(6000, -3)).toBe(true);
    expect(r.add(6100, -2)).toBe(false);
    expect(r.finish()).toEqual([pt(0, -6), pt(2400, -4), pt(6000, -3), pt(8400, -2)]);
  });

  it("drops a waiting value that went back to the last point's, and ignores time going back", () => {
    const r = new Recording(gap);
    r.add(0, 1);
    r.add(100, 2);
    r.add(200, 1);
    expect(r.add(-5, 3)).toBe(false);
    expect(r.finish()).toEqual([pt(0, 1)]);
    expect(new Recording(gap).finish()).toEqual([]);
  });

  it("a pass replaces the span it recorded and keeps the lane's values outside it", () => {
    const before = [pt(0, -20), pt(1000, 0), pt(2000, 0)];
    const merged = mergeRecording(before, [pt(400, -6), pt(600, -3)], 0);
    expect(merged).toEqual([pt(0, -20), pt(400, -12), pt(400, -6), pt(600, -3), pt(600, -8), pt(1000, 0), pt(2000, 0)]);
    expect(valueAt(merged, 200)).toBe(valueAt(before, 200));
    expect(valueAt(merged, 800)).toBe(valueAt(before, 800));
    expect(valueAt(merged, 500)).toBe(-4.5);
  });

  it("without a lane, the control's own setting holds outside the pass; no edge point where the value is the same", () => {
    expect(mergeRecording([], [pt(400, -6), pt(600, 0)], 0)).toEqual([pt(400, 0), pt(400, -6), pt(600, 0)]);
    expect(mergeRecording([pt(0, 1)], [], 0)).toEqual([pt(0, 1)]);
  });

  it("a long pass is thinned evenly to fit the lane's 1000 points", () => {
    const recorded = Array.from({ length: 3000 }, (_, i) => pt(i * 10, i % 7));
    const merged = mergeRecording([], recorded, 0);
    expect(merged.length).toBeLessThanOrEqual(1000);
    // The pass's last point, then the edge point back to the setting.
    expect(merged.slice(-2)).toEqual([recorded[recorded.length - 1], pt(29990, 0)]);
    expect(merged[0]).toEqual(recorded[0]); // the same as the setting: no edge point
    expect(merged.every((p, i) => i === 0 || p.time >= merged[i - 1].time)).toBe(true);
  });
});

describe("playback following lanes", () => {
  it("samples a lane every 10 ms, and at the window's end, through the mapping", () => {
    const lane = [pt(0, -40), pt(48000, 0)];
    const values = laneCurve(lane, 0, 48000, 48000, dbToGain);
    expect(values.length).toBe(101);
    expect(values[0]).toBeCloseTo(0.01, 6);
    expect(values[50]).toBeCloseTo(dbToGain(-20), 6);
    expect(values[100]).toBe(1);
    const part = laneCurve(lane, 24000, 24100, 48000);
    expect([...part]).toEqual([-20, expect.closeTo(-20 + (40 * 100) / 48000, 5)]);
    expect(laneCurve(lane, 60000, 60000, 48000).length).toBe(1);
  });

  it("a lane takes its control from the mixer; mute and solo stay with the mute gain", () => {
    const track = (id: string, extra: Partial<Track>) => ({ id, volumeDb: -6, pan: 0.25, mute: false, solo: false, output: null, automation: [], ...extra }) as unknown as Track;
    const project = {
      tracks: [track("a", { automation: [{ target: "volume", points: [pt(0, 0)] }], mute: true }), track("b", { automation: [{ target: "pan", points: [pt(0, 0)] }] })],
      master: { volumeDb: -3, effects: [], automation: [{ target: "volume", points: [pt(0, 0)] }] },
    } as unknown as Project;
    const mix = mixSettings(project);
    expect(mix.tracks.get("a")).toEqual({ mute: 0, gain: null, pan: 0.25 });
    expect(mix.tracks.get("b")).toEqual({ mute: 1, gain: dbToGain(-6), pan: null });
    expect(mix.master).toBeNull();
    expect(mixSettings({ ...project, master: { ...project.master, automation: [] } }).master).toBe(dbToGain(-3));
  });
});

describe("automation write", () => {
  const project = {
    tracks: [{ id: "t", volumeDb: -6, pan: 0, automation: [{ target: "pan", points: [pt(0, -1)] }] }],
    master: { volumeDb: 0, effects: [], automation: [] },
  } as unknown as Project;

  it("turns the moves of a pass into one op per lane, merged with what the lane had", () => {
    const writer = new AutomationWriter(2400);
    writer.move("t", "volume", 48000, -6);
    writer.move("t", "volume", 49000, -3); // waits: kept when the pass ends
    writer.move("t", "pan", 48000, 0.5);
    writer.move(null, "volume", 96000, -1);
    expect(writer.recording).toBe(true);
    // Stopped at 100 000: each control held its last value to there.
    const ops = writer.take(project, 100000);
    expect(ops).toEqual([
      laneOp("t", "volume", [pt(48000, -6), pt(50400, -3), pt(100000, -3), pt(100000, -6)]),
      laneOp("t", "pan", [pt(0, -1), pt(48000, -1), pt(48000, 0.5), pt(100000, 0.5), pt(100000, -1)]),
      laneOp(null, "volume", [pt(96000, 0), pt(96000, -1), pt(100000, -1), pt(100000, 0)]),
    ]);
    expect(writer.recording).toBe(false);
    expect(writer.take(project)).toEqual([]);
  });

  it("while playing, a take every few seconds keeps a moved control latched: the next take goes on from it", () => {
    const writer = new AutomationWriter(2400);
    writer.move("t", "volume", 0, -20);
    const [first] = writer.take(project, 48000, false);
    expect(first).toEqual(laneOp("t", "volume", [pt(0, -20), pt(48000, -20), pt(48000, -6)]));
    expect(writer.recording).toBe(true);
    const written = { ...project, tracks: [{ ...project.tracks[0], automation: [{ target: "volume", points: (first.payload as { points: Point[] }).points }] }] } as Project;
    writer.move("t", "volume", 72000, -10);
    const [second] = writer.take(written, 96000);
    expect(second).toEqual(laneOp("t", "volume", [pt(0, -20), pt(48000, -20), pt(72000, -10), pt(96000, -10), pt(96000, -6)]));
    expect(writer.recording).toBe(false);
  });

  it("time going back (a loop) starts a new pass; both are merged in order", () => {
    const writer = new AutomationWriter(2400);
    writer.move("t", "volume", 10000, -10);
    writer.move("t", "volume", 20000, -20);
    writer.move("t", "volume", 12000, -30); // the loop came round
    writer.move("t", "volume", 16000, -40);
    const [op] = writer.take(project);
    const points = (op.payload as { points: Point[] }).points;
    expect(points.every((p, i) => i === 0 || p.time >= points[i - 1].time)).toBe(true);
    expect(valueAt(points, 14000)).toBe(-35);
    expect(valueAt(points, 10000)).toBe(-10);
    expect(valueAt(points, 30000)).toBe(-6);
  });
});
