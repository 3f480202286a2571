// Clips that follow the tempo or are transposed, heard in the studio: its stretcher (an AudioWorklet, WSOLA) is not
// the server's Rubber Band, so the two are compared as a listener would: the same pitch (within 10 cents) and the
// same timing (clicks within 10 ms), in the browser's mix ("Mix in the browser") and the server's render.
import { expect, test } from "@playwright/test";
import { fft } from "../src/editor/dsp/formants";
import { browserMix, register, serverMix, signIn, uploaded, wav } from "./helpers";

const rate = 48000;

/** A click every half second (a 120 BPM beat), `seconds` long. */
function beat(seconds: number): Buffer {
  const buffer = wav(seconds, 440, rate);
  for (let i = 0; i < seconds * rate; i++) {
    const v = i % (rate / 2) < 96 ? Math.round(20000 * Math.sin((2 * Math.PI * i) / 48)) : 0;
    buffer.writeInt16LE(v, 44 + i * 4);
    buffer.writeInt16LE(v, 46 + i * 4);
  }
  return buffer;
}

/** A steady 440 Hz tone. */
function tone(seconds: number): Buffer {
  const buffer = wav(seconds, 440, rate);
  for (let i = 0; i < seconds * rate; i++) {
    const v = Math.round(12000 * Math.sin((2 * Math.PI * 440 * i) / rate));
    buffer.writeInt16LE(v, 44 + i * 4);
    buffer.writeInt16LE(v, 46 + i * 4);
  }
  return buffer;
}

const upwardCrossings = (x: Float64Array, from: number, to: number) => {
  let ups = 0;
  for (let i = from + 1; i < to; i++) if (x[i - 1] < 0 && x[i] >= 0) ups++;
  return ups / ((to - from) / rate);
};

/** Where each click is: the loudest sample within 50 ms of where it is expected. */
const clickAt = (x: Float64Array, expected: number) => {
  let [peak, where] = [0, -1];
  for (let i = Math.round(expected - 0.05 * rate); i < expected + 0.05 * rate; i++) if (Math.abs(x[i]) > peak) [peak, where] = [Math.abs(x[i]), i];
  return where;
};

test("a transposed clip and one following the tempo sound in the studio as in the render: pitch within 10 cents, beats within 10 ms", async ({ page, request }) => {
  test.setTimeout(240_000);
  const ann = await register(request, "Ann");
  await signIn(page, ann);
  const headers = { authorization: `Bearer ${ann.accessToken}` };
  const [toneId, beatId] = [await uploaded(request, ann, "tone", tone(2)), await uploaded(request, ann, "beat", beat(3))];
  const projectId = (await (await request.post("/api/projects", { data: { name: "Stretch", sampleRate: rate, tempo: 100 }, headers })).json()).id as string;
  const [melody, drums, toneClip, beatClip] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
  const op = (kind: string, payload: object) => ({ clientId: "e2e", opId: crypto.randomUUID(), baseVersion: 0, kind, payload });
  const applied = await request.post(`/api/projects/${projectId}/ops`, { headers, data: { ops: [
    op("project.set", { tempo: 100 }),
    op("track.add", { trackId: melody, name: "Tone", kind: "audio" }),
    op("clip.add", { trackId: melody, clipId: toneClip, start: 0, length: 2 * rate, assetId: toneId }),
    op("clip.stretch", { clipId: toneClip, transpose: 7, cents: 0 }),
    // The 120 BPM beat in a 100 BPM project: stretched by 1.2, a click every 0.6 s, from 2.5 s.
    op("track.add", { trackId: drums, name: "Beat", kind: "audio" }),
    op("clip.add", { trackId: drums, clipId: beatClip, start: 2.5 * rate, length: 3 * rate, offset: 0, assetId: beatId }),
    op("clip.stretch", { clipId: beatClip, sourceTempo: 120, transpose: 0, cents: 0 }),
  ] } });
  expect(applied.status(), await applied.text()).toBe(200);

  const [server, browser] = [await serverMix(request, ann, projectId), await browserMix(page, projectId)];
  expect(browser[0].length).toBe(server[0].length);
  const [serverHz, browserHz] = [upwardCrossings(server[0], 0.25 * rate, 1.75 * rate), upwardCrossings(browser[0], 0.25 * rate, 1.75 * rate)];
  console.log(`transposed +7: ${browserHz.toFixed(1)} Hz in the browser, ${serverHz.toFixed(1)} Hz on the server (${(1200 * Math.log2(browserHz / serverHz)).toFixed(1)} cents)`);
  expect(Math.abs(1200 * Math.log2(browserHz / serverHz))).toBeLessThan(10);
  for (let n = 0; n < 4; n++) {
    const expected = 2.5 * rate + n * 0.6 * rate;
    const [s, b] = [clickAt(server[0], expected), clickAt(browser[0], expected)];
    console.log(`click ${n + 1}: server ${((s - expected) / rate * 1000).toFixed(1)} ms, browser ${((b - expected) / rate * 1000).toFixed(1)} ms from where the tempo puts it`);
    expect(Math.abs(b - s) / rate).toBeLessThan(0.01);
  }
});

/** A vowel-like sound: a 150 Hz pulse train through a resonance at 800 Hz, 100 Hz wide. */
function vowel(seconds: number): Buffer {
  const buffer = wav(seconds, 440, rate);
  const r = Math.exp((-Math.PI * 100) / rate);
  const [a1, a2] = [2 * r * Math.cos((2 * Math.PI * 800) / rate), -r * r];
  let [y1, y2] = [0, 0];
  for (let i = 0; i < seconds * rate; i++) {
    const y = (i % 320 === 0 ? 1 : 0) + a1 * y1 + a2 * y2;
    [y2, y1] = [y1, y];
    const v = Math.round(Math.max(-32767, Math.min(32767, 1600 * y)));
    buffer.writeInt16LE(v, 44 + i * 4);
    buffer.writeInt16LE(v, 46 + i * 4);
  }
  return buffer;
}

/** The strongest harmonic of `f0` between 300 and 2000 Hz in 8192 samples from `from`. */
function strongestHarmonic(x: Float64Array, from: number, f0: number): number {
  const n = 8192;
  const re = Float64Array.from({ length: n }, (_, i) => x[from + i] * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n)));
  const im = new Float64Array(n);
  fft(re, im);
  let [best, strongest] = [0, 0];
  for (let h = Math.ceil(300 / f0); h * f0 < 2000; h++) {
    const k = Math.round((h * f0 * n) / rate);
    const level = Math.max(...[-2, -1, 0, 1, 2].map((d) => Math.hypot(re[k + d], im[k + d])));
    if (level > strongest) [best, strongest] = [h * f0, level];
  }
  return best;
}

test("a voice transposed up a fourth keeping its formants keeps them in the studio as in the render", async ({ page, request }) => {
  test.setTimeout(240_000);
  const ann = await register(request, "Ann");
  await signIn(page, ann);
  const headers = { authorization: `Bearer ${ann.accessToken}` };
  const voice = await uploaded(request, ann, "vowel", vowel(2));
  const projectId = (await (await request.post("/api/projects", { data: { name: "Formants", sampleRate: rate }, headers })).json()).id as string;
  const [track, clip] = [crypto.randomUUID(), crypto.randomUUID()];
  const op = (kind: string, payload: object) => ({ clientId: "e2e", opId: crypto.randomUUID(), baseVersion: 0, kind, payload });
  const applied = await request.post(`/api/projects/${projectId}/ops`, { headers, data: { ops: [
    op("track.add", { trackId: track, name: "Voice", kind: "audio" }),
    op("clip.add", { trackId: track, clipId: clip, start: 0, length: 2 * rate, assetId: voice }),
    op("clip.stretch", { clipId: clip, transpose: 5, cents: 0, preserveFormants: true }),
  ] } });
  expect(applied.status(), await applied.text()).toBe(200);

  const [server, browser] = [await serverMix(request, ann, projectId), await browserMix(page, projectId)];
  const f0 = 150 * Math.pow(2, 5 / 12);
  const [s, b] = [strongestHarmonic(server[0], 0.5 * rate, f0), strongestHarmonic(browser[0], 0.5 * rate, f0)];
  console.log(`strongest harmonic, formants kept through +5 semitones: server ${s.toFixed(0)} Hz, browser ${b.toFixed(0)} Hz (the resonance is at 800 Hz; transposed plainly it would be at 1068)`);
  expect(Math.abs(s - 800)).toBeLessThan(f0 / 2 + 1);
  expect(Math.abs(b - 800)).toBeLessThan(f0 / 2 + 1);
});
