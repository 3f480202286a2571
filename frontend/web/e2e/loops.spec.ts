// The loop library, as a seller fills it and a musician uses it: a free sample pack given to the library is analysed
// (its loop's tempo from its length), found in the studio's Loops tab by instrument and tempo, heard, and dragged onto
// a track, where it follows the project's tempo: its clicks on the project's beats in the server's render and in the
// studio's own mix.
import { expect, test } from "@playwright/test";
import { browserMix, register, serverMix, signIn, uploaded, wav } from "./helpers";

const rate = 48000;

/** Two bars at 100 BPM (4.8 s): a click on every beat, the downbeats louder. */
function clickLoop(): Buffer {
  const beat = (60 / 100) * rate;
  const frames = Math.round(8 * beat);
  const buffer = wav(frames / rate, 440, rate);
  for (let i = 0; i < frames; i++) {
    const n = Math.floor(i / beat);
    const t = i - Math.round(n * beat);
    const v = t >= 0 && t < 480 ? Math.round((n % 4 === 0 ? 24000 : 14000) * Math.sin((2 * Math.PI * 1000 * t) / rate) * Math.exp(-t / 120)) : 0;
    buffer.writeInt16LE(v, 44 + i * 4);
    buffer.writeInt16LE(v, 46 + i * 4);
  }
  return buffer;
}

/** Where each click is: the loudest sample within 50 ms of where it is expected. */
const clickAt = (x: Float64Array, expected: number) => {
  let [peak, where] = [0, -1];
  for (let i = Math.round(expected - 0.05 * rate); i < expected + 0.05 * rate; i++) if (Math.abs(x[i]) > peak) [peak, where] = [Math.abs(x[i]), i];
  return where;
};

test("a library loop is found by instrument and tempo, heard, and dragged onto a track where it follows the project's tempo", async ({ page, request }) => {
  test.setTimeout(240_000);
  const word = `w${Date.now().toString(36)}`;
  const lou = await register(request, "Lou");
  const louHeaders = { authorization: `Bearer ${lou.accessToken}` };
  const assetId = await uploaded(request, lou, `Click Groove ${word}`, clickLoop());
  const created = await request.post("/api/listings", { headers: louHeaders, data: {
    type: "samplePack", title: `Metronome Kit ${word}`, assetIds: [assetId], library: true, instrument: "percussion",
    tiers: [{ name: "Free", price: 0, currency: "USD", formats: ["wav"] }],
  } });
  expect(created.status(), await created.text()).toBe(202);
  const { listing, jobId } = await created.json();
  await expect.poll(async () => (await (await request.get(`/api/jobs/${jobId}`, { headers: louHeaders })).json()).status, { timeout: 60_000 }).toBe("succeeded");
  expect((await request.post(`/api/listings/${listing.id}/publish`, { headers: louHeaders })).status()).toBe(200);

  const ann = await register(request, "Ann");
  const headers = { authorization: `Bearer ${ann.accessToken}` };
  const projectId = (await (await request.post("/api/projects", { data: { name: "Loops", sampleRate: rate, tempo: 120 }, headers })).json()).id as string;
  const op = (kind: string, payload: object) => ({ clientId: "e2e", opId: crypto.randomUUID(), baseVersion: 0, kind, payload });
  await request.post(`/api/projects/${projectId}/ops`, { headers, data: { ops: [op("project.set", { tempo: 120 }), op("track.add", { name: "Drums", kind: "audio" })] } });

  await signIn(page, ann);
  await page.goto(`/projects/${projectId}`);
  await page.getByRole("tab", { name: "Loops" }).click();
  await page.getByLabel("Search loops").fill(word);
  await page.getByRole("combobox", { name: "Instrument" }).selectOption("percussion");
  const row = page.getByRole("listitem").filter({ hasText: `Click Groove ${word}` });
  await expect(row).toContainText("percussion · 100 BPM · 8 beats");
  // Near the project's 120 BPM (±10%) the 100 BPM loop is not; off again, it is.
  await page.getByRole("checkbox", { name: /Near 120 BPM/ }).check();
  await expect(page.getByText("No loops match.")).toBeVisible();
  await page.getByRole("checkbox", { name: /Near 120 BPM/ }).uncheck();

  // Heard (stretched to 120 BPM in the page), then stopped.
  await row.getByRole("button", { name: /^Hear / }).click();
  await expect(row.getByRole("button", { name: /^Stop / })).toBeVisible();
  await row.getByRole("button", { name: /^Stop / }).click();

  // Dragged to the start of the Drums track.
  await row.dragTo(page.getByLabel("Lane Drums"), { targetPosition: { x: 2, y: 10 } });
  let clip: { start: number; length: number; sourceTempo: number | null; assetId: string } | undefined;
  await expect.poll(async () => {
    const project = await (await request.get(`/api/projects/${projectId}`, { headers })).json();
    clip = project.tracks.find((t: { name: string }) => t.name === "Drums")?.clips[0];
    return clip?.sourceTempo ?? null;
  }, { timeout: 30_000 }).toBe(100);
  // Its 8 beats at the project's 120 BPM: 4 s.
  expect(clip!.start).toBe(0);
  expect(clip!.length).toBe(4 * rate);
  // The loop is Ann's now, under one free order of the pack.
  expect((await request.get(`/api/assets/${clip!.assetId}`, { headers })).status()).toBe(200);
  const orders = (await (await request.get("/api/orders?first=100", { headers })).json()).items as { listingId: string; status: string }[];
  expect(orders.map((o) => [o.listingId, o.status])).toEqual([[listing.id, "completed"]]);

  // On the project's beats: a click every 0.5 s, in the render and in the studio's mix.
  const [server, browser] = [await serverMix(request, ann, projectId), await browserMix(page, projectId)];
  for (let n = 0; n < 8; n++) {
    const expected = n * 0.5 * rate;
    const [s, b] = [clickAt(server[0], expected + 0.02 * rate), clickAt(browser[0], expected + 0.02 * rate)];
    console.log(`beat ${n + 1}: server ${(((s - expected) / rate) * 1000).toFixed(1)} ms, browser ${(((b - expected) / rate) * 1000).toFixed(1)} ms from the project's beat`);
    expect(Math.abs(s - expected) / rate).toBeLessThan(0.01);
    expect(Math.abs(b - expected) / rate).toBeLessThan(0.01);
  }
});
