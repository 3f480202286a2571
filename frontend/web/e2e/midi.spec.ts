// MIDI in the studio: a MIDI track, a clip made by double-clicking its lane, notes drawn in the piano roll,
// seen live by a collaborator, and heard in a render of the project.
import { expect, test } from "@playwright/test";
import { register, screenshot, signIn } from "./helpers";

test("draw notes in a MIDI clip while a collaborator watches, then render them", async ({ browser, request }) => {
  const ann = await register(request, "Ann");
  const bea = await register(request, "Bea");
  const created = await request.post("/api/projects", { data: { name: "Keys" }, headers: { authorization: `Bearer ${ann.accessToken}` } });
  const projectId = (await created.json()).id as string;
  await request.put(`/api/projects/${projectId}/collaborators/${bea.id}`, { data: { role: "editor" }, headers: { authorization: `Bearer ${ann.accessToken}` } });

  const annPage = await (await browser.newContext()).newPage();
  await signIn(annPage, ann);
  await annPage.goto(`/projects/${projectId}`);
  const beaPage = await (await browser.newContext()).newPage();
  await signIn(beaPage, bea);
  await beaPage.goto(`/projects/${projectId}`);

  await annPage.getByRole("button", { name: "Add MIDI track" }).click();
  const lane = annPage.getByLabel("Lane MIDI");
  await expect(lane).toBeVisible();
  await lane.dblclick({ position: { x: 30, y: 30 } });
  const clip = lane.locator(".clip");
  await expect(clip).toHaveCount(1);
  await clip.click();

  // Two notes, a beat apart, on two rows of the roll.
  const grid = annPage.getByTestId("note-grid");
  const roll = annPage.getByLabel("Piano roll");
  await expect(roll).toBeVisible();
  const scrollTop = await roll.evaluate((e) => e.scrollTop);
  await grid.click({ position: { x: 10, y: scrollTop + 60 } });
  await grid.click({ position: { x: 64 + 10, y: scrollTop + 84 } });
  await expect(grid.locator(".note")).toHaveCount(2);

  // Bea sees them drawn in the clip, live.
  await expect(beaPage.getByLabel("Lane MIDI").locator(".mini-note")).toHaveCount(2);

  // A double-click removes one, for both.
  await grid.locator(".note").first().dblclick();
  await expect(grid.locator(".note")).toHaveCount(1);
  await expect(beaPage.getByLabel("Lane MIDI").locator(".mini-note")).toHaveCount(1);
  await screenshot(annPage, "piano-roll");

  // The render plays the note: the mix is not silent.
  const render = await request.post(`/api/projects/${projectId}/renders`, { data: {}, headers: { authorization: `Bearer ${ann.accessToken}` } });
  expect(render.status()).toBe(202);
  const jobId = (await render.json()).id as string;
  let job: { status: string; result?: { outputs: { mix: string } } } = { status: "queued" };
  await expect.poll(async () => {
    job = await (await request.get(`/api/jobs/${jobId}`, { headers: { authorization: `Bearer ${ann.accessToken}` } })).json();
    return job.status;
  }, { timeout: 120_000 }).toBe("succeeded");
  const mix = await (await request.get(`/api/assets/${job.result!.outputs.mix}`, { headers: { authorization: `Bearer ${ann.accessToken}` } })).json();
  expect(mix.loudness.integratedLufs).toBeGreaterThan(-40);
});
