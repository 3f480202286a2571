// Effects heard live: the studio runs the built-in effects in an AudioWorklet with the engine's algorithms. Mixed in
// Chromium (the export panel's "Mix in the browser", an OfflineAudioContext through the same graph the studio plays)
// and rendered by the server, the same project must agree: EQ, compressor and delay on a panned track within −40 dB
// of difference, a track with a hosted plugin (heard through the server's preview) too, a reverb's decay (RT60) within 10%.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { browserMix, energy, register, serverMix, signIn, wav, type Account } from "./helpers";

const rate = 48000;

/** A click every second: something a reverb rings after. */
function clicks(seconds: number): Buffer {
  const frames = seconds * rate;
  const buffer = wav(seconds, 440, rate);
  for (let i = 0; i < frames; i++) {
    const v = i % rate < 48 ? Math.round(20000 * Math.sin((2 * Math.PI * i) / 48)) : 0;
    buffer.writeInt16LE(v, 44 + i * 4);
    buffer.writeInt16LE(v, 46 + i * 4);
  }
  return buffer;
}

async function projectWith(request: APIRequestContext, ann: Account, name: string, audio: Buffer, effects: { type: string; parameters: object }[], pan = 0) {
  const headers = { authorization: `Bearer ${ann.accessToken}` };
  const asset = await (await request.post(`/api/assets?fileName=${name}.wav`, { headers, data: audio })).json();
  await expect.poll(async () => (await (await request.get(`/api/assets/${asset.id}`, { headers })).json()).status, { timeout: 60_000 }).toBe("ready");
  const projectId = (await (await request.post("/api/projects", { data: { name, sampleRate: rate }, headers })).json()).id as string;
  const trackId = crypto.randomUUID();
  const op = (kind: string, payload: object) => ({ clientId: "e2e", opId: crypto.randomUUID(), baseVersion: 0, kind, payload });
  const frames = (audio.length - 44) / 4;
  const applied = await request.post(`/api/projects/${projectId}/ops`, {
    headers,
    data: { ops: [
      op("track.add", { trackId, name: "Take", kind: "audio" }),
      op("track.set", { trackId, pan }),
      op("clip.add", { trackId, start: 0, length: frames, assetId: asset.id }),
      ...effects.map((e) => op("effect.add", { trackId, ...e })),
    ] },
  });
  expect(applied.status(), await applied.text()).toBe(200);
  return projectId;
}

/** RT60 from Schroeder's backward integration of a click's tail: the slope between −5 and −25 dB, extrapolated. */
function rt60(x: Float64Array, from: number, to: number): number {
  const tail = x.subarray(from, to);
  const decay = new Float64Array(tail.length);
  for (let i = tail.length - 1, sum = 0; i >= 0; i--) decay[i] = sum += tail[i] * tail[i];
  const level = (i: number) => 10 * Math.log10(decay[i] / decay[0]);
  const at = (db: number) => decay.findIndex((_, i) => level(i) <= db);
  return (3 * (at(-25) - at(-5))) / rate;
}

test("the browser's effects sound as the server renders them: EQ, compressor and delay within −40 dB, reverb's RT60 within 10%", async ({ page, request }) => {
  test.setTimeout(240_000);
  const ann = await register(request, "Ann");
  await signIn(page, ann);

  const dynamics = await projectWith(request, ann, "Shaped", wav(4, 220, rate), [
    { type: "eq-peak", parameters: { frequency: 1000, q: 1.2, gainDb: 6 } },
    { type: "eq-highpass", parameters: { frequency: 120, q: 0.707 } },
    { type: "compressor", parameters: { thresholdDb: -24, ratio: 4, attackMs: 5, releaseMs: 80, kneeDb: 6, makeupDb: 4 } },
    { type: "delay", parameters: { timeMs: 180, feedback: 0.4, mix: 0.3 } },
  ], 0.4); // panned: the browser must pan as the engine does (a gain per channel), not as StereoPannerNode would
  const [server, browser] = [await serverMix(request, ann, dynamics), await browserMix(page, dynamics)];
  expect(browser[0].length).toBe(server[0].length);
  for (let c = 0; c < 2; c++) {
    const difference = server[c].map((v, i) => v - browser[c][i]);
    const db = 10 * Math.log10(energy(difference) / energy(server[c]));
    console.log(`channel ${c}: the browser's mix differs from the server's by ${db.toFixed(1)} dB`);
    expect(db).toBeLessThan(-40);
  }

  // A hosted plugin is not run in the browser: the studio plays the server's preview of the track, and so does its mix.
  const plugged = await projectWith(request, ann, "Plugged", wav(4, 220, rate), [
    { type: "lv2:http://lsp-plug.in/plugins/lv2/compressor_stereo", parameters: {} },
    { type: "eq-peak", parameters: { frequency: 1000, q: 1.2, gainDb: 6 } },
  ], -0.3);
  const [serverPlugged, browserPlugged] = [await serverMix(request, ann, plugged), await browserMix(page, plugged)];
  for (let c = 0; c < 2; c++) {
    const db = 10 * Math.log10(energy(serverPlugged[c].map((v, i) => v - browserPlugged[c][i])) / energy(serverPlugged[c]));
    console.log(`channel ${c}: with a plugin, the browser's mix differs from the server's by ${db.toFixed(1)} dB`);
    expect(db).toBeLessThan(-40);
  }

  const room = await projectWith(request, ann, "Room", clicks(3), [{ type: "reverb", parameters: { roomSize: 0.5, damping: 0.3, mix: 0.5 } }]);
  const [serverRoom, browserRoom] = [await serverMix(request, ann, room), await browserMix(page, room)];
  for (let c = 0; c < 2; c++) {
    const [expected, actual] = [rt60(serverRoom[c], 100, rate), rt60(browserRoom[c], 100, rate)];
    console.log(`channel ${c}: RT60 ${actual.toFixed(3)} s in the browser, ${expected.toFixed(3)} s on the server`);
    expect(expected).toBeGreaterThan(0.2);
    expect(Math.abs(actual - expected) / expected).toBeLessThan(0.1);
  }
});

test("sends sound as the server renders them: post-fader with an automated level into a delay bus, pre-fader into another bus, within −40 dB", async ({ page, request }) => {
  test.setTimeout(240_000);
  const ann = await register(request, "Ann");
  await signIn(page, ann);
  const headers = { authorization: `Bearer ${ann.accessToken}` };
  const projectId = await projectWith(request, ann, "Sent", clicks(3), [{ type: "eq-peak", parameters: { frequency: 1000, q: 1.2, gainDb: 6 } }], 0.4);
  const project = await (await request.get(`/api/projects/${projectId}`, { headers })).json();
  const take = project.tracks[0].id as string;
  const [echo, dry] = [crypto.randomUUID(), crypto.randomUUID()];
  const op = (kind: string, payload: object) => ({ clientId: "e2e", opId: crypto.randomUUID(), baseVersion: 0, kind, payload });
  const applied = await request.post(`/api/projects/${projectId}/ops`, { headers, data: { ops: [
    op("track.add", { trackId: echo, name: "Echo", kind: "bus" }),
    op("effect.add", { trackId: echo, type: "delay", parameters: { timeMs: 250, feedback: 0.3, mix: 1 } }),
    op("track.add", { trackId: dry, name: "Dry", kind: "bus" }),
    op("track.set", { trackId: dry, pan: -0.5 }),
    op("track.set", { trackId: take, volumeDb: -6 }),
    op("track.send", { trackId: take, busId: echo, levelDb: -6 }),
    // The echo comes in after the first click: silent, then the send's level rising to 0 dB over the second second.
    op("automation.set", { trackId: take, target: `send:${echo}`, points: [
      { time: 0, value: -96, curve: "hold" }, { time: rate, value: -24, curve: "linear" }, { time: 2 * rate, value: 0, curve: "linear" },
    ] }),
    op("track.send", { trackId: take, busId: dry, levelDb: -12, preFader: true }),
  ] } });
  expect(applied.status(), await applied.text()).toBe(200);

  const [server, browser] = [await serverMix(request, ann, projectId), await browserMix(page, projectId)];
  expect(browser[0].length).toBe(server[0].length);
  for (let c = 0; c < 2; c++) {
    const db = 10 * Math.log10(energy(server[c].map((v, i) => v - browser[c][i])) / energy(server[c]));
    console.log(`channel ${c}: with sends, the browser's mix differs from the server's by ${db.toFixed(1)} dB`);
    expect(db).toBeLessThan(-40);
  }
  // The echo bus is heard once its send opens: nothing 250 ms after the first click, an echo after the third.
  expect(energy(server[0], 0.25 * rate, 0.3 * rate)).toBeLessThan(1e-6);
  expect(energy(server[0], 2.25 * rate, 2.3 * rate)).toBeGreaterThan(1e-3);
});
