// Automation in the studio: a track's volume lane drawn, moved, shaped and thinned by hand while a collaborator
// watches, each change checked in the project document; then a pan lane written by moving the mixer's pan while
// playing.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { register, screenshot, signIn } from "./helpers";

interface Lane { target: string; points: { time: number; value: number; curve: string }[] }
interface Doc { sampleRate: number; tempo: number; tracks: { id: string; name: string; automation: Lane[] }[]; master: { automation: Lane[] } }

async function dragBy(page: Page, target: Locator, dx: number, dy: number) {
  const box = (await target.boundingBox())!;
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx, y + dy, { steps: 8 });
  await page.mouse.up();
}

test("draw, move, shape and remove automation points; record a pan lane while playing", async ({ browser, request }) => {
  const ann = await register(request, "Ann");
  const bea = await register(request, "Bea");
  const headers = { authorization: `Bearer ${ann.accessToken}` };
  const created = await request.post("/api/projects", { data: { name: "Rides" }, headers });
  const projectId = (await created.json()).id as string;
  await request.put(`/api/projects/${projectId}/collaborators/${bea.id}`, { data: { role: "editor" }, headers });
  const doc = async () => (await (await request.get(`/api/projects/${projectId}`, { headers })).json()) as Doc;
  const lane = async (target: string) => (await doc()).tracks[0]?.automation.find((l) => l.target === target)?.points ?? [];

  const page = await (await browser.newContext()).newPage();
  await signIn(page, ann);
  await page.goto(`/projects/${projectId}`);
  await page.getByRole("toolbar").getByRole("button", { name: "Add track" }).click();
  const toggle = page.locator(".heads").getByRole("button", { name: /^Automation (?!Master)/ }).first();
  await expect(toggle).toBeVisible();
  const trackName = (await toggle.getAttribute("aria-label"))!.replace(/^Automation /, "");

  // Bea watches the same lane.
  const beaPage = await (await browser.newContext()).newPage();
  await signIn(beaPage, bea);
  await beaPage.goto(`/projects/${projectId}`);
  await beaPage.getByRole("button", { name: `Automation ${trackName}` }).click();
  const beaPoints = beaPage.getByLabel(`Automation lane ${trackName}`).locator(".automation-point");

  // Show the volume lane and click two points into it: at 1 s near the top, at 5 s lower (60 px a second, snapped to beats).
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByLabel(`Automation target ${trackName}`)).toHaveValue("volume");
  const row = page.getByLabel(`Automation lane ${trackName}`);
  const area = row.locator("svg");
  const points = row.locator(".automation-point");
  await area.click({ position: { x: 61, y: 10 } });
  await expect(points).toHaveCount(1);
  await area.click({ position: { x: 299, y: 40 } });
  await expect(points).toHaveCount(2);

  const { sampleRate } = await doc();
  await expect.poll(() => lane("volume")).toHaveLength(2);
  let volume = await lane("volume");
  expect(volume.map((p) => p.time)).toEqual([sampleRate, 5 * sampleRate]);
  expect(volume[0].value).toBeGreaterThan(volume[1].value);
  expect(volume.every((p) => p.value >= -60 && p.value <= 12 && p.curve === "linear")).toBe(true);
  await expect(beaPoints).toHaveCount(2);
  const line = row.locator(".automation-line");
  await expect(line).toHaveAttribute("points", /,/);
  await screenshot(page, "automation-lane");

  // Drag the second point a second later and lower: the document follows, and so does Bea's lane.
  const before = volume[1];
  await dragBy(page, points.nth(1), 60, 8);
  await expect.poll(async () => (await lane("volume"))[1]?.time).toBe(6 * sampleRate);
  volume = await lane("volume");
  expect(volume[1].value).toBeLessThan(before.value);
  await expect.poll(() => beaPoints.nth(1).getAttribute("cx")).toBe(await points.nth(1).getAttribute("cx"));

  // A right-click on the first point sets its curve.
  await points.first().click({ button: "right" });
  await page.getByRole("menuitemradio", { name: "S-curve" }).click();
  await expect.poll(async () => (await lane("volume"))[0]?.curve).toBe("sCurve");

  // A double-click removes the first point; undo brings it back; Alt-click removes it again.
  await points.first().dblclick();
  await expect.poll(async () => (await lane("volume")).length).toBe(1);
  expect((await lane("volume"))[0].time).toBe(6 * sampleRate);
  await expect(points).toHaveCount(1);
  await page.keyboard.press("Control+z");
  await expect.poll(async () => (await lane("volume")).length).toBe(2);
  await expect(points).toHaveCount(2);
  await points.first().click({ modifiers: ["Alt"] });
  await expect.poll(async () => (await lane("volume")).length).toBe(1);
  await expect(beaPoints).toHaveCount(1);

  // The master has a volume lane of its own, under the tracks.
  await page.getByRole("button", { name: "Automation Master" }).click();
  await page.getByLabel("Automation lane Master").locator("svg").click({ position: { x: 121, y: 45 } });
  await expect.poll(async () => (await doc()).master.automation).toEqual([{ target: "volume", points: [{ time: 2 * sampleRate, value: expect.any(Number), curve: "linear" }] }]);
  expect((await doc()).master.automation[0].points[0].value).toBeLessThan(-40);

  // Automation write: play, move the track's pan in the mixer, stop; the pan lane holds the moves.
  await page.getByRole("button", { name: "Automation write" }).click();
  const transport = page.getByRole("toolbar");
  await transport.getByRole("button", { name: "Play" }).click();
  const pan = page.getByLabel(`Pan ${trackName}`);
  for (const value of ["-0.5", "0", "0.5", "1"]) {
    await page.waitForTimeout(250);
    await pan.fill(value);
  }
  await page.waitForTimeout(250);
  await transport.getByRole("button", { name: "Stop" }).click();
  await expect.poll(async () => (await lane("pan")).length).toBeGreaterThanOrEqual(4);
  const written = await lane("pan");
  expect(written.map((p) => p.value)).toEqual(expect.arrayContaining([-0.5, 0.5, 1]));
  expect(written.every((p, i) => i === 0 || p.time >= written[i - 1].time)).toBe(true);
  // The moves went to the lane, not to the track's own pan.
  expect((await doc()).tracks[0]).toMatchObject({ pan: 0 });
  await page.getByLabel(`Automation target ${trackName}`).selectOption("pan");
  await expect(points.first()).toBeVisible();
  await screenshot(page, "automation-written");
});
