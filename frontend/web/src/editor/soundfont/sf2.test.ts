// The studio's SoundFont reader and player math, on a SoundFont built here: one preset of one instrument with two
// zones (a looped sine for low keys, another sample above), generators at both levels.
import { describe, expect, it } from "vitest";
import { Gen, SoundFont, SoundFontError } from "./sf2";
import { blockStart, envelopeBlocks, noteLevel, playbackRate, scheduleEnvelope } from "./player";

/** A RIFF chunk (padded to an even length). */
function chunk(id: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + body.length + (body.length % 2));
  out.set([...id].map((c) => c.charCodeAt(0)), 0);
  new DataView(out.buffer).setUint32(4, body.length, true);
  out.set(body, 8);
  return out;
}
const join = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
};
const list = (kind: string, ...chunks: Uint8Array[]) => chunk("LIST", join(new Uint8Array([...kind].map((c) => c.charCodeAt(0))), ...chunks));
/** Records of little-endian fields: [bytes, value] pairs; a string field is [20, "name"]. */
const records = (...rows: (readonly (readonly [number, number | string])[])[]) => join(...rows.map((row) => {
  const bytes = new Uint8Array(row.reduce((n, [size]) => n + size, 0));
  const view = new DataView(bytes.buffer);
  row.reduce((at, [size, v]) => {
    if (typeof v === "string") bytes.set([...v].map((c) => c.charCodeAt(0)), at);
    else if (size === 1) view.setInt8(at, v);
    else if (size === 2) view.setInt16(at, v, true);
    else view.setUint32(at, v, true);
    return at + size;
  }, 0);
  return bytes;
}));
const gen = (oper: number, amount: number) => [[2, oper], [2, amount]] as const;
const range = (oper: number, lo: number, hi: number) => [[2, oper], [2, lo | (hi << 8)]] as const;

function font(): ArrayBuffer {
  const sine = new Int16Array(1000).map((_, i) => Math.round(16000 * Math.sin((2 * Math.PI * i) / 100)));
  const shdr = (name: string, start: number, end: number, pitch: number, correction: number) =>
    [[20, name], [4, start], [4, end], [4, start + 100], [4, start + 900], [4, 44100], [1, pitch], [1, correction], [2, 0], [2, 1]] as const;
  const pdta = list("pdta",
    chunk("phdr", records([[20, "Sine"], [2, 5], [2, 1], [2, 0], [4, 0], [4, 0], [4, 0]], [[20, "EOP"], [2, 0], [2, 0], [2, 2], [4, 0], [4, 0], [4, 0]])),
    // Preset: a global zone (coarse tune +1 semitone), then a zone using instrument 0.
    chunk("pbag", records([[2, 0], [2, 0]], [[2, 1], [2, 0]], [[2, 2], [2, 0]])),
    chunk("pmod", records([[2, 0], [2, 0], [2, 0], [2, 0], [2, 0]])),
    chunk("pgen", records(gen(Gen.coarseTune, 1), gen(Gen.instrument, 0), gen(0, 0))),
    chunk("inst", records([[20, "Sine"], [2, 0]], [[20, "EOI"], [2, 3]])),
    // Instrument: a global zone (attack 2^-1 s, attenuation 100 cB), keys 0-60 on sample 0 (looped), keys 61-127 for velocities 64+ on sample 1.
    chunk("ibag", records([[2, 0], [2, 0]], [[2, 2], [2, 0]], [[2, 6], [2, 0]], [[2, 9], [2, 0]])),
    chunk("imod", records([[2, 0], [2, 0], [2, 0], [2, 0], [2, 0]])),
    chunk("igen", records(gen(Gen.attackVolEnv, -1200), gen(Gen.initialAttenuation, 100),
      range(Gen.keyRange, 0, 60), gen(Gen.overridingRootKey, 57), gen(Gen.sampleModes, 1), gen(Gen.sampleID, 0),
      range(Gen.keyRange, 61, 127), range(Gen.velRange, 64, 127), gen(Gen.sampleID, 1), gen(0, 0))),
    chunk("shdr", records(shdr("sine", 0, 500, 60, 0), shdr("other", 500, 1000, 72, -10), shdr("EOS", 0, 0, 0, 0))));
  const riff = join(new Uint8Array([..."sfbk"].map((c) => c.charCodeAt(0))),
    list("INFO", chunk("INAM", new Uint8Array([..."Test font\0"].map((c) => c.charCodeAt(0))))),
    list("sdta", chunk("smpl", new Uint8Array(sine.buffer))), pdta);
  return chunk("RIFF", riff).buffer as ArrayBuffer;
}

describe("the SoundFont reader", () => {
  const sf = SoundFont.parse(font());

  it("reads the name, presets and samples", () => {
    expect(sf.name).toBe("Test font");
    expect(sf.presetList()).toEqual([{ bank: 1, program: 5, name: "Sine" }]);
    expect(sf.samples.map((s) => [s.name, s.start, s.end, s.originalPitch, s.pitchCorrection])).toEqual([["sine", 0, 500, 60, 0], ["other", 500, 1000, 72, -10]]);
    expect(sf.data[25]).toBe(16000);
  });

  it("finds the regions of a key and velocity, the instrument's global zone under its own, the preset's values added", () => {
    expect(sf.regions(0, 5, 40, 100)).toEqual([]); // no such bank
    const low = sf.regions(1, 5, 40, 10);
    expect(low.map((r) => r.sample.name)).toEqual(["sine"]);
    expect(low[0].value(Gen.attackVolEnv)).toBe(-1200);
    expect(low[0].value(Gen.coarseTune)).toBe(1);
    expect(low[0].value(Gen.overridingRootKey)).toBe(57); // not offset by the preset
    expect(low[0].value(Gen.sampleModes)).toBe(1);
    expect(low[0].value(Gen.scaleTuning)).toBe(100); // the default
    expect(sf.regions(1, 5, 70, 10)).toEqual([]); // above 60 only from velocity 64
    expect(sf.regions(1, 5, 70, 64).map((r) => r.sample.name)).toEqual(["other"]);
  });

  it("plays a region at its pitch: key against its root, the tunings and the sample's correction", () => {
    const [low] = sf.regions(1, 5, 57, 100);
    expect(playbackRate(low, 57)).toBeCloseTo(Math.pow(2, 1 / 12), 12); // at the root, up the preset's semitone
    expect(playbackRate(low, 45)).toBeCloseTo(Math.pow(2, -11 / 12), 12);
    const [high] = sf.regions(1, 5, 72, 100);
    expect(playbackRate(high, 72)).toBeCloseTo(Math.pow(2, (100 - 10) / 1200), 12); // the sample's own root, its −10 cents
  });

  it("steps the volume envelope as FluidSynth does, a block of 64 frames at a time: a linear attack, then decibels", () => {
    const [low] = sf.regions(1, 5, 40, 127);
    // A 0.5 s attack at 48 kHz is 1 + 375 blocks, each a 376th of the way up; then the hold's and decay's single
    // blocks (their −12 000 timecents round to one) and the sustain, full level by default.
    const { held, released: never } = envelopeBlocks(low, 40, 48000, Infinity);
    expect(never).toEqual([]);
    expect(held[0]).toBe(0);
    expect(held[1]).toBeCloseTo(1 / 376, 12);
    expect(held[188]).toBeCloseTo(0.5, 12);
    expect(held[376]).toBeCloseTo(1, 12);
    expect(held[held.length - 1]).toBeCloseTo(1, 12);
    expect(held.length).toBeLessThan(380); // it stops where it settles
    // Let go after 100 blocks, in the attack: from that amplitude down over the shortest release (16 ms: 1 + 11 blocks) in decibels.
    const early = envelopeBlocks(low, 40, 48000, 100);
    expect(early.held.length).toBe(101);
    const released = early.released;
    expect(released[0]).toBeCloseTo(100 / 376, 12);
    const db = (l: number) => 20 * Math.log10(l);
    expect(db(released[1]) - db(released[0])).toBeCloseTo(-96 / 12, 1);
    expect(released[released.length - 1]).toBe(0);
    // 100/376 of full amplitude is −11.5 dB, 0.88 of the 96 dB course: 11 blocks of a twelfth each to silence.
    expect(released.length).toBe(1 + 11);
    // Let go long after it settled: it holds, then releases from full level.
    const late = envelopeBlocks(low, 40, 48000, 10000);
    expect(late.held.length).toBeLessThan(380);
    expect(late.released[0]).toBeCloseTo(1, 12);
    expect(late.released.length).toBe(1 + 12);
    // Velocity 127 is full level, less the attenuation of 100 cB taken at 0.4 (4 dB); 64 is the concave curve's −24 dB lower.
    expect(20 * Math.log10(noteLevel(low, 127, 1))).toBeCloseTo(-4, 6);
    expect(20 * Math.log10(noteLevel(low, 64, 1))).toBeCloseTo(-4 + 80 * Math.log10(64 / 127), 6);
  });

  it("schedules a note begun before playback from where its envelope is, never before playback starts", () => {
    const [low] = sf.regions(1, 5, 40, 127);
    const calls: { kind: string; time: number; values: number[] }[] = [];
    const param = {
      setValueAtTime: (value: number, time: number) => (calls.push({ kind: "set", time, values: [value] }), param),
      setValueCurveAtTime: (values: Iterable<number>, time: number) => (calls.push({ kind: "curve", time, values: [...values] }), param),
    } as unknown as AudioParam;
    const block = 64 / 48000;
    // 0.25 s into a note with a 0.5 s attack, held 1 s, playback starting at context time 10.
    const end = scheduleEnvelope(param, low, 40, 48000, 10, 0.25, 1, 1);
    const first = calls[0];
    expect(first.kind).toBe("curve");
    expect(first.time).toBeGreaterThan(10 - block);
    expect(first.time).toBeLessThanOrEqual(10);
    expect(first.values[0]).toBeCloseTo(Math.floor(0.25 / block) / 376, 9); // the attack where it is
    // The release curve comes at the key's release, 0.75 s after playback starts; the end is in the note's own time.
    expect(calls[calls.length - 1].time).toBeCloseTo(10 + 0.75, 2);
    expect(end).toBeGreaterThan(1);
    // A note over before playback starts schedules nothing.
    calls.length = 0;
    expect(scheduleEnvelope(param, low, 40, 48000, 10, 5, 1, 1)).toBeLessThan(5);
    expect(calls).toEqual([]);
  });

  it("puts notes on FluidSynth's 64-frame blocks", () => {
    expect([0, 1, 63, 64, 65, 1000].map(blockStart)).toEqual([0, 64, 64, 64, 128, 1024]);
  });

  it("refuses what is not a SoundFont, or a chunk that runs past the end", () => {
    expect(() => SoundFont.parse(new TextEncoder().encode("not a soundfont").buffer as ArrayBuffer)).toThrow(SoundFontError);
    const broken = new Uint8Array(font()).slice(0, 200);
    expect(() => SoundFont.parse(broken.buffer)).toThrow(/past the end/);
  });
});
