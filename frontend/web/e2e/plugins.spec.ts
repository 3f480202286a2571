// Plugins in the studio: find a real LV2 plugin in the browser, add it to a track, set one of its declared
// parameters, load one of its factory presets, and save it as a preset of one's own; every step lands in the project.
import { expect, test } from "@playwright/test";
import { register, screenshot, signIn, wav } from "./helpers";

test("browse plugins, add one to a track, set a parameter and use presets", async ({ browser, request }) => {
  const ann = await register(request, "Ann");
  const auth = { authorization: `Bearer ${ann.accessToken}` };
  const projectId = (await (await request.post("/api/projects", { data: { name: "Plugged" }, headers: auth })).json()).id as string;
  const trackId = crypto.randomUUID();
  const op = (kind: string, payload: object) => ({ clientId: "e2e", opId: crypto.randomUUID(), baseVersion: 0, kind, payload });
  await request.post(`/api/projects/${projectId}/ops`, { data: { ops: [op("track.add", { trackId, name: "Room", kind: "audio" })] }, headers: auth });
  const project = async () => (await (await request.get(`/api/projects/${projectId}`, { headers: auth })).json()).tracks[0].effects;

  const page = await (await browser.newContext()).newPage();
  await signIn(page, ann);
  await page.goto(`/projects/${projectId}`);
  await page.getByRole("button", { name: "Room", exact: true }).click();
  await page.getByRole("button", { name: "Plugins…" }).click();

  // Search, narrow to a category, add.
  await page.getByLabel("Search plugins").fill("calf reverb");
  await page.getByRole("button", { name: "Add Calf Reverb" }).click();
  const plugin = page.getByLabel("Plugin Calf Reverb");
  await expect(plugin).toBeVisible();
  await expect.poll(async () => (await project())[0]?.type).toBe("lv2:http://calf.sourceforge.net/plugins/Reverb");

  // A declared parameter, as a slider with the plugin's own range.
  const decay = plugin.getByRole("slider", { name: "Decay time" });
  await decay.focus();
  await decay.press("End");
  await expect.poll(async () => (await project())[0].parameters.decay_time).toBeGreaterThan(10);

  // A factory preset: the plugin's state and parameters arrive in the project.
  await plugin.getByLabel("Factory preset of Calf Reverb").selectOption({ label: "Ambience" });
  await expect.poll(async () => ((await project())[0].state as string | null)?.length ?? 0).toBeGreaterThan(0);
  await screenshot(page, "plugin-effect");

  // Saved as her own preset, it is offered back.
  page.once("dialog", (dialog) => dialog.accept("My ambience"));
  await plugin.getByRole("button", { name: "Save preset of Calf Reverb" }).click();
  await expect(plugin.getByLabel("My preset of Calf Reverb")).toBeVisible();
  const mine = await (await request.get(`/api/plugins/presets`, { headers: auth })).json();
  expect(mine.map((p: { name: string }) => p.name)).toContain("My ambience");
});

test("a plugin track plays the server's preview, which follows an edit made while playing", async ({ page, request }) => {
  const ann = await register(request, "Pia");
  const auth = { authorization: `Bearer ${ann.accessToken}` };
  const asset = await (await request.post("/api/assets?fileName=loop.wav", { headers: auth, data: wav(20, 220, 48000) })).json();
  await expect.poll(async () => (await (await request.get(`/api/assets/${asset.id}`, { headers: auth })).json()).status, { timeout: 60_000 }).toBe("ready");
  const projectId = (await (await request.post("/api/projects", { data: { name: "Previewed", sampleRate: 48000 }, headers: auth })).json()).id as string;
  const [trackId, effectId] = [crypto.randomUUID(), crypto.randomUUID()];
  const op = (kind: string, payload: object) => ({ clientId: "e2e", opId: crypto.randomUUID(), baseVersion: 0, kind, payload });
  const submit = async (...ops: object[]) => expect((await request.post(`/api/projects/${projectId}/ops`, { data: { ops }, headers: auth })).status()).toBe(200);
  await submit(
    op("track.add", { trackId, name: "Squashed", kind: "audio" }),
    op("clip.add", { trackId, start: 0, length: 20 * 48000, assetId: asset.id }),
    op("effect.add", { trackId, effectId, type: "lv2:http://lsp-plug.in/plugins/lv2/compressor_stereo" }),
  );

  await signIn(page, ann);
  await page.goto(`/projects/${projectId}`);
  const previews: { url: string; at: number }[] = [];
  page.on("response", (r) => r.url().includes("/preview?") && r.status() === 200 && previews.push({ url: r.url(), at: Date.now() }));
  await page.getByRole("button", { name: "Play" }).click();
  // The first window, at the playhead.
  await expect.poll(() => previews.length, { timeout: 15_000 }).toBeGreaterThan(0);
  expect(previews[0].url).toMatch(new RegExp(`/api/projects/${projectId}/tracks/${trackId}/preview\\?from=\\d+&seconds=4$`));

  // A collaborator changes the compressor while she plays: a new preview comes from the playhead.
  await page.waitForTimeout(500);
  const before = previews.length;
  const edited = Date.now();
  await submit(op("effect.set", { effectId, parameters: { cr: 10 } }));
  await expect.poll(() => previews.length, { timeout: 15_000 }).toBeGreaterThan(before);
  const fresh = previews[before];
  expect(Number(new URL(fresh.url).searchParams.get("from"))).toBeGreaterThan(0);
  console.log(`the preview after an edit arrived ${fresh.at - edited} ms after the edit was sent`);
  await page.getByRole("button", { name: "Stop" }).click();
});
