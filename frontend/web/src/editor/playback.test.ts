import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Project, Track } from "./model";
import { chainOf, dbToGain, instrumentLevel, panGains, Playback, sidechainKeys } from "./playback";

/** An AudioParam that records what is scheduled on it, and refuses a value set over a curve as browsers do. */
class FakeParam {
  events: [string, ...unknown[]][] = [];
  private current = 1;
  private curve = false;
  get value() { return this.current; }
  set value(v: number) {
    if (this.curve) throw new Error("NotSupportedError: overlaps setValueCurveAtTime");
    this.current = v;
    this.events.push(["value", v]);
  }
  setValueAtTime(v: number, t: number) { this.events.push(["setValueAtTime", v, t]); }
  setValueCurveAtTime(values: Float32Array, t: number, d: number) { this.curve = true; this.events.push(["curve", values, t, d]); }
  cancelScheduledValues(t: number) { this.curve = false; this.events.push(["cancel", t]); }
  linearRampToValueAtTime() {}
}
const node = () => ({ connect: (n: unknown) => n, disconnect() {} });
class FakeContext {
  currentTime = 10;
  destination = node();
  gains: { gain: FakeParam }[] = [];
  resume = async () => undefined;
  createGain() { const g = { ...node(), gain: new FakeParam() }; this.gains.push(g); return g; }
  createChannelSplitter() { return node(); }
  createChannelMerger() { return node(); }
}

const track: Track = {
  id: "t", name: "Vox", kind: "audio", color: "#fff", volumeDb: -6, pan: 0.5, mute: false, solo: false, output: null, effects: [], clips: [], sends: [],
  automation: [{ target: "volume", points: [{ time: 0, value: -40, curve: "linear" }, { time: 48000, value: 0, curve: "linear" }] }],
};
const project = {
  id: "p", sampleRate: 48000, tempo: 120, timeSignature: { numerator: 4, denominator: 4 }, tracks: [track],
  master: { volumeDb: 0, effects: [], automation: [] },
} as unknown as Project;

// The effect catalog the playback loads: none here (the fake context has no worklet anyway).
beforeEach(() => vi.stubGlobal("fetch", async () => new Response("[]", { headers: { "content-type": "application/json" } })));

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe("Playback and automation lanes", () => {
  it("schedules a volume lane on the fader over each loop pass, and leaves it to the lane while mute and pan still follow the mixer", async () => {
    let context!: FakeContext;
    vi.stubGlobal("AudioContext", function () { return (context = new FakeContext()); });
    vi.useFakeTimers();
    const playback = new Playback();
    await playback.play(project, 0, { start: 0, end: 24000 }, false);
    // master, then the track's fader, the panner's left and right gains, and the mute gain
    const [, fader, left, right, mute] = context.gains;
    const curves = () => fader.gain.events.filter((e) => e[0] === "curve");
    expect(curves()).toHaveLength(1);
    const [, values, when, duration] = curves()[0] as [string, Float32Array, number, number];
    expect(when).toBeCloseTo(10.05);
    expect(duration).toBeCloseTo(0.499);
    expect(values[0]).toBeCloseTo(dbToGain(-40));
    expect(values[values.length - 1]).toBeCloseTo(dbToGain(-20)); // half way at the loop's end
    expect([left.gain.value, right.gain.value]).toEqual(panGains(0.5));

    // Muting works through the mute gain; the fader's scheduled curve is not touched.
    playback.update({ ...project, tracks: [{ ...track, mute: true }] });
    expect(mute.gain.value).toBe(0);
    expect(fader.gain.events.some((e) => e[0] === "value")).toBe(false);

    // The loop's next pass schedules the lane again, where the first ends.
    context.currentTime = 10.4;
    await vi.advanceTimersByTimeAsync(400);
    expect(curves()).toHaveLength(2);
    expect(curves()[1][2]).toBeCloseTo(10.55);

    // An edited lane takes over from the playhead; a removed one gives the fader back to the mixer.
    context.currentTime = 10.6;
    const edited = { ...track, automation: [{ target: "volume", points: [{ time: 0, value: 0, curve: "hold" as const }] }] };
    playback.update({ ...project, tracks: [edited] });
    expect(fader.gain.events.at(-1)).toEqual(["setValueAtTime", 1, 10.6]);
    playback.update({ ...project, tracks: [{ ...track, automation: [] }] });
    expect(fader.gain.events.slice(-2)).toEqual([["cancel", 0], ["value", dbToGain(-6)]]);
    playback.stop();
  });

  it("a control held while recording stays where the hand puts it", async () => {
    let context!: FakeContext;
    vi.stubGlobal("AudioContext", function () { return (context = new FakeContext()); });
    const playback = new Playback();
    await playback.play(project, 0, null, false);
    const fader = context.gains[1];
    playback.hold("t", "volume", -12);
    expect(fader.gain.events.slice(-2)).toEqual([["cancel", 0], ["setValueAtTime", dbToGain(-12), 10]]);
    const count = fader.gain.events.length;
    playback.update({ ...project });
    expect(fader.gain.events.length).toBe(count);
    // Pan moves both of the panner's gains, by the engine's law.
    const [left, right] = [context.gains[2], context.gains[3]];
    playback.hold("t", "pan", -1);
    expect([left.gain.events.at(-1), right.gain.events.at(-1)]).toEqual([["setValueAtTime", Math.SQRT2, 10], ["setValueAtTime", panGains(-1)[1], 10]]);
    playback.stop();
  });
});

describe("the engine's pan law", () => {
  it("is unity in the centre, constant power, and sends a hard pan to one channel at +3 dB", () => {
    expect(panGains(0)[0]).toBeCloseTo(1, 12);
    expect(panGains(0)[1]).toBeCloseTo(1, 12);
    for (const pan of [-1, -0.5, 0.3, 1]) {
      const [l, r] = panGains(pan);
      expect(l * l + r * r).toBeCloseTo(2, 12);
    }
    expect(panGains(1)[0]).toBeCloseTo(0, 12);
    expect(panGains(1)[1]).toBeCloseTo(Math.SQRT2, 12);
    expect(panGains(-7)).toEqual(panGains(-1));
  });
});

describe("what a track's effect worklet is told", () => {
  const catalog = new Map([
    ["delay", { type: "delay", description: "", parameters: [
      { name: "timeMs", min: 1, max: 2000, default: 250, unit: "ms", description: "", automatable: false },
      { name: "feedback", min: 0, max: 0.95, default: 0.3, unit: "", description: "", automatable: true },
    ], instrument: false }],
    ["compressor", { type: "compressor", description: "", parameters: [{ name: "ratio", min: 1, max: 20, default: 4, unit: ":1", description: "", automatable: true }], instrument: false }],
    ["sampler", { type: "sampler", description: "", parameters: [], instrument: true }],
  ]);
  const effect = (id: string, type: string, more: object = {}) => ({ id, type, parameters: {}, bypass: false, sidechainTrackId: null, state: null, zones: [], soundFont: null, ...more });

  it("fills defaults, leaves out bypassed effects, instruments and hosted plugins, and carries lanes and the key's input", () => {
    const effects = [
      effect("s", "sampler"),
      effect("d", "delay", { parameters: { feedback: 0.5 } }),
      effect("off", "delay", { bypass: true }),
      effect("p", "lv2:http://example.org/plugin"),
      effect("c", "compressor", { sidechainTrackId: "kick" }),
    ];
    const lanes = [{ target: "effect:d:feedback", points: [{ time: 0, value: 0.1, curve: "linear" as const }] }, { target: "volume", points: [] }];
    expect(chainOf(effects, lanes, catalog, ["kick"])).toEqual([
      { id: "d", type: "delay", parameters: { timeMs: 250, feedback: 0.5 }, fixed: ["timeMs"], lanes: { feedback: lanes[0].points } },
      { id: "c", type: "compressor", parameters: { ratio: 4 }, fixed: [], lanes: {}, key: 1 },
    ]);
    const keyed = { ...track, effects: [effect("c", "compressor", { sidechainTrackId: "kick" }), effect("e", "compressor", { sidechainTrackId: "t" })] };
    expect(sidechainKeys(keyed, () => true)).toEqual(["kick"]); // a track never keys itself
  });
});

describe("a built-in instrument's level lane", () => {
  const sampler = { id: "s", type: "sampler", parameters: { gainDb: -6 }, bypass: false, sidechain: null, state: null, zones: [], soundFont: null };
  const catalog = new Map([["sampler", { type: "sampler", instrument: true, parameters: [{ name: "gainDb", min: -48, max: 12, default: 0, automatable: true }] }]]) as never;
  const keys = (automation: Track["automation"]) => ({ ...track, kind: "midi", effects: [sampler], automation }) as unknown as Track;

  it("is a gain over the level the voices play at, as the engine applies it", () => {
    const lane = [{ time: 0, value: -6, curve: "linear" as const }, { time: 48000, value: -26, curve: "linear" as const }];
    const level = instrumentLevel(keys([{ target: "effect:s:gainDb", points: lane }]), catalog)!;
    expect(level.points).toBe(lane);
    expect(level.map(-6)).toBeCloseTo(1, 9);
    expect(level.map(-26)).toBeCloseTo(0.1, 9);
  });

  it("is none without a lane, or for a track without an instrument", () => {
    expect(instrumentLevel(keys([]), catalog)).toBeNull();
    expect(instrumentLevel(track, catalog)).toBeNull();
  });
});

