// Instruments in the studio: a sampler playing an arpeggio from one sample (transposed from its root, under its
// envelope, softer notes quieter, its level fading by an automation lane) and a drum machine set up as a user would: the instrument added to a MIDI track, a
// sample on the kick pad, a step pattern clicked in. Mixed in Chromium ("Mix in the browser") and rendered by the
// server, the project must agree within −40 dB.
import { expect, test } from "@playwright/test";
import { browserMix, energy, register, serverMix, signIn, uploaded, wav } from "./helpers";

const rate = 48000;

/** A kick: a 60 Hz sine falling away over 0.3 s, 16-bit stereo. */
function kick(): Buffer {
  const buffer = wav(0.3, 60, rate);
  for (let i = 0; i < 0.3 * rate; i++) {
    const v = Math.round(20000 * Math.sin((2 * Math.PI * 60 * i) / rate) * Math.exp((-12 * i) / rate));
    buffer.writeInt16LE(v, 44 + i * 4);
    buffer.writeInt16LE(v, 46 + i * 4);
  }
  return buffer;
}

test("a sampler and a drum machine set up in the studio sound as the server renders them, within −40 dB", async ({ page, request }) => {
  test.setTimeout(240_000);
  const ann = await register(request, "Ann");
  await signIn(page, ann);
  const headers = { authorization: `Bearer ${ann.accessToken}` };
  const [tone, kickId] = [await uploaded(request, ann, "tone", wav(1, 440, rate)), await uploaded(request, ann, "kick", kick())];

  const projectId = (await (await request.post("/api/projects", { data: { name: "Beat", sampleRate: rate }, headers })).json()).id as string;
  const [keys, drums, sampler, drumClip] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
  const op = (kind: string, payload: object) => ({ clientId: "e2e", opId: crypto.randomUUID(), baseVersion: 0, kind, payload });
  // A4, C#5, E5, A5 a quarter of a second each, the later ones softer; a bar for the drums to fill.
  const notes = [69, 73, 76, 81].map((pitch, i) => ({ pitch, velocity: 120 - 20 * i, start: i * 12000, length: 9000 }));
  const applied = await request.post(`/api/projects/${projectId}/ops`, {
    headers,
    data: { ops: [
      op("track.add", { trackId: keys, name: "Keys", kind: "midi" }),
      op("effect.add", { trackId: keys, effectId: sampler, type: "sampler", index: 0, parameters: { attackMs: 5, decayMs: 100, sustain: 0.7, releaseMs: 80 } }),
      op("effect.zones", { effectId: sampler, zones: [{ assetId: tone, root: 69 }] }),
      op("clip.add", { trackId: keys, start: 0, length: 96000, notes }),
      // The sampler's level falls 18 dB over the arpeggio.
      op("automation.set", { trackId: keys, target: `effect:${sampler}:gainDb`, points: [{ time: 0, value: 0, curve: "linear" }, { time: 48000, value: -18, curve: "linear" }] }),
      op("track.add", { trackId: drums, name: "Drums", kind: "midi" }),
      op("clip.add", { trackId: drums, clipId: drumClip, start: 0, length: 96000 }),
    ] },
  });
  expect(applied.status(), await applied.text()).toBe(200);

  // The drum machine, as a user makes it: the track's effects, an instrument, a pad's sample, four steps.
  await page.goto(`/projects/${projectId}`);
  await page.getByRole("region", { name: "Mixer" }).getByRole("button", { name: "Drums", exact: true }).click();
  await page.getByLabel("Instrument to add").selectOption("drums");
  await page.getByLabel("Pad Kick").selectOption({ label: "kick.wav" });
  await expect(page.getByLabel("Pad Kick")).toHaveValue(kickId);
  await page.locator(`[data-clip-id="${drumClip}"]`).click();
  for (const step of [1, 5, 9, 13]) {
    await page.getByRole("button", { name: `Kick step ${step}`, exact: true }).click();
    await expect(page.getByRole("button", { name: `Kick step ${step}`, exact: true })).toHaveAttribute("aria-pressed", "true");
  }
  const project = await (await request.get(`/api/projects/${projectId}`, { headers })).json();
  const pattern = project.tracks[1].clips[0].notes.map((n: { start: number; pitch: number }) => [n.start, n.pitch]);
  expect(pattern.sort((a: number[], b: number[]) => a[0] - b[0])).toEqual([[0, 36], [24000, 36], [48000, 36], [72000, 36]]);

  const [server, browser] = [await serverMix(request, ann, projectId), await browserMix(page, projectId)];
  expect(browser[0].length).toBe(server[0].length);
  for (let c = 0; c < 2; c++) {
    const db = 10 * Math.log10(energy(server[c].map((v, i) => v - browser[c][i])) / energy(server[c]));
    console.log(`channel ${c}: the browser's sampler and drums differ from the server's render by ${db.toFixed(1)} dB`);
    expect(db).toBeLessThan(-40);
  }
  // The level lane is heard in both: the fourth note (velocity 60, the lane at −13.5 dB) against the second (100, −4.5 dB)
  // is 18 dB down; 9 dB of that is the velocities'.
  for (const [name, mix] of [["server", server], ["browser", browser]] as const) {
    const down = 10 * Math.log10(energy(mix[0], 36000 + 2400, 36000 + 7200) / energy(mix[0], 12000 + 2400, 12000 + 7200));
    console.log(`${name}: the fourth note ${down.toFixed(1)} dB from the second`);
    expect(down).toBeLessThan(-16);
  }
  // Both instruments are heard: the kick's 60 Hz after the arpeggio (from 0.75 s), the sampler's notes before.
  expect(energy(server[0], 48000, 48000 + 4800)).toBeGreaterThan(1);
  expect(energy(server[0], 12000 + 100, 12000 + 4800)).toBeGreaterThan(1);
});
