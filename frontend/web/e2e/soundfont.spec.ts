// SoundFont playback: a MIDI track given the soundfont instrument in the studio, its SoundFont and preset chosen there;
// the server renders it with FluidSynth, the studio plays it with its own SF2 player. Mixed in Chromium and rendered by
// the server, every note must have the same pitch (within 5 cents) and start at the same time (within 1 ms).
import { expect, test } from "@playwright/test";
import { browserMix, register, serverMix, signIn } from "./helpers";

const rate = 48000;

/** The fundamental of x[from, to) by autocorrelation: the first lag nearly as alike as the best, refined by a parabola. */
function pitch(x: Float64Array, from: number, to: number): number {
  const correlation = (lag: number) => {
    let sum = 0;
    for (let i = from; i < to - lag; i++) sum += x[i] * x[i + lag];
    return sum;
  };
  const lags = Array.from({ length: rate / 50 - rate / 2000 }, (_, i) => i + rate / 2000).map((lag) => ({ lag, c: correlation(lag) }));
  const best = Math.max(...lags.map((l) => l.c));
  let i = lags.findIndex((l) => l.c > 0.9 * best);
  while (i + 1 < lags.length && lags[i + 1].c > lags[i].c) i++;
  const [a, b, c] = [lags[i - 1].c, lags[i].c, lags[i + 1].c];
  return rate / (lags[i].lag + (0.5 * (a - c)) / (a - 2 * b + c));
}

/** The first frame from `from` on where the sound reaches a thousandth of the loudest in [from, to). */
function onset(x: Float64Array, from: number, to: number): number {
  let peak = 0;
  for (let i = from; i < to; i++) peak = Math.max(peak, Math.abs(x[i]));
  for (let i = from; i < to; i++) if (Math.abs(x[i]) >= peak / 1000) return i;
  return -1;
}

test("a SoundFont preset chosen in the studio plays at the server's pitch and timing", async ({ page, request }) => {
  test.setTimeout(240_000);
  const ann = await register(request, "Ann");
  await signIn(page, ann);
  const headers = { authorization: `Bearer ${ann.accessToken}` };
  const projectId = (await (await request.post("/api/projects", { data: { name: "Organ", sampleRate: rate }, headers })).json()).id as string;
  const track = crypto.randomUUID();
  const op = (kind: string, payload: object) => ({ clientId: "e2e", opId: crypto.randomUUID(), baseVersion: 0, kind, payload });
  // Four notes a fifth of a second long, a second apart (the organ's release rings for a while), none on a 64-frame boundary.
  const notes = [57, 64, 69, 76].map((pitch, i) => ({ pitch, velocity: 100, start: 1000 + i * 48000 + i * 7, length: 9600 }));
  const applied = await request.post(`/api/projects/${projectId}/ops`, { headers, data: { ops: [
    op("track.add", { trackId: track, name: "Organ", kind: "midi" }),
    op("clip.add", { trackId: track, start: 0, length: 4 * 48000, notes }),
  ] } });
  expect(applied.status(), await applied.text()).toBe(200);

  await page.goto(`/projects/${projectId}`);
  await page.getByRole("region", { name: "Mixer" }).getByRole("button", { name: "Organ", exact: true }).click();
  await page.getByLabel("Instrument to add").selectOption("soundfont");
  await page.getByLabel("SoundFont", { exact: true }).selectOption("TimGM6mb");
  await page.getByLabel("Preset").selectOption("0:19"); // Church Organ
  await expect(page.getByLabel("Preset")).toHaveValue("0:19");

  const [server, browser] = [await serverMix(request, ann, projectId), await browserMix(page, projectId)];
  expect(browser[0].length).toBe(server[0].length);
  for (const [i, note] of notes.entries()) {
    const [from, to] = [note.start - 500, Math.min(server[0].length, note.start + 48000 - 500)];
    const [serverOnset, browserOnset] = [onset(server[0], from, to), onset(browser[0], from, to)];
    const [serverPitch, browserPitch] = [pitch(server[0], note.start + 2400, note.start + 9000), pitch(browser[0], note.start + 2400, note.start + 9000)];
    const expected = 440 * Math.pow(2, (note.pitch - 69) / 12);
    const cents = 1200 * Math.log2(browserPitch / serverPitch);
    let [serverEnergy, browserEnergy] = [0, 0];
    for (let k = note.start; k < note.start + 9600; k++) [serverEnergy, browserEnergy] = [serverEnergy + server[0][k] ** 2, browserEnergy + browser[0][k] ** 2];
    console.log(`note ${i + 1} (${note.pitch}): server ${serverPitch.toFixed(2)} Hz from frame ${serverOnset}, browser ${browserPitch.toFixed(2)} Hz from frame ${browserOnset}`
      + ` (${cents.toFixed(2)} cents; expected ${expected.toFixed(2)} Hz; level ${(10 * Math.log10(browserEnergy / serverEnergy)).toFixed(1)} dB)`);
    // The organ's stops sound an octave under some notes too: its pitch is the note's, in some octave.
    const octaves = 1200 * Math.log2(serverPitch / expected);
    expect(Math.abs(octaves - 1200 * Math.round(octaves / 1200))).toBeLessThan(5);
    expect(Math.abs(cents)).toBeLessThan(5);
    expect(Math.abs(browserOnset - serverOnset)).toBeLessThanOrEqual(rate / 1000);
  }
});
