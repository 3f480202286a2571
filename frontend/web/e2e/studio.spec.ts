// The musician's journey through the real platform: sign up, make a project, upload a WAV and see its
// waveform, move a clip while a collaborator watches it move, master, publish, find and play the song.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { mailedLink, register, screenshot, signIn, wav } from "./helpers";

/** The clip's left edge in pixels, as the arrangement draws it. */
const leftOf = (clip: Locator) => clip.evaluate((e) => parseFloat((e as HTMLElement).style.left));

/** How many pixels of the clip's waveform image are painted (it is drawn from the server's peaks). */
async function paintedPixels(clip: Locator) {
  return clip.locator(".wave").evaluate(async (wave: HTMLElement) => {
    const image = new Image();
    image.src = getComputedStyle(wave).backgroundImage.slice(5, -2);
    await image.decode();
    const canvas = Object.assign(document.createElement("canvas"), { width: image.width, height: image.height });
    const context = canvas.getContext("2d")!;
    context.drawImage(image, 0, 0);
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
    return painted;
  });
}

async function dragBy(page: Page, target: Locator, dx: number) {
  const box = (await target.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + dx, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
}

test("sign up, upload, edit live with a collaborator, master, publish, search and play", async ({ browser, request }) => {
  const bea = await register(request, "Bea", undefined, false);
  const title = `Groove Zorblat${Date.now() % 100000}`;

  const ann = await (await browser.newContext()).newPage();
  await ann.goto("/signup");
  await ann.getByLabel("Display name").fill("Ann");
  const annEmail = `ann-${Date.now()}@e2e.test`;
  await ann.getByLabel("Email").fill(annEmail);
  await ann.getByLabel("Password").fill("correct horse battery");
  await ann.getByRole("button", { name: "Sign up" }).click();
  await expect(ann).toHaveURL(/\/projects$/);
  // She confirms her address by the mailed link (publishing needs it), then goes on to her projects.
  await ann.goto(await mailedLink(annEmail, "/verify-email"));
  await expect(ann.getByText("Your email address is confirmed.")).toBeVisible();
  await ann.goto("/projects");

  await ann.getByLabel("New project name").fill("First song");
  await ann.getByRole("button", { name: "Create project" }).click();
  await expect(ann).toHaveURL(/\/projects\/[0-9a-f-]{36}$/);
  const projectUrl = ann.url();

  // Upload a WAV: it becomes a track with a clip whose waveform is drawn from the server's peaks.
  await ann.getByLabel("Add audio files").setInputFiles({ name: "groove.wav", mimeType: "audio/wav", buffer: wav(6) });
  const annClip = ann.getByRole("button", { name: "Clip groove.wav" });
  await expect(annClip).toBeVisible({ timeout: 60_000 });
  await expect.poll(() => paintedPixels(annClip)).toBeGreaterThan(2000);
  // The upload is in her audio files, ready to place again.
  await ann.getByRole("tab", { name: "My audio" }).click();
  await expect(ann.getByRole("button", { name: "Place groove.wav" })).toBeEnabled();

  // Invite Bea; she opens the project in her own browser context.
  await ann.getByRole("tab", { name: "People" }).click();
  await ann.getByLabel("Invite by email").fill(bea.email);
  await ann.getByRole("button", { name: "Invite" }).click();
  await expect(ann.getByText(`Invitation sent to ${bea.email}`)).toBeVisible();
  // Bea confirms her address and opens the invitation from her mail; it brings her into the project.
  const beaPage = await (await browser.newContext()).newPage();
  await signIn(beaPage, bea);
  await beaPage.goto(await mailedLink(bea.email, "/verify-email"));
  await expect(beaPage.getByText("Your email address is confirmed.")).toBeVisible();
  await beaPage.goto(await mailedLink(bea.email, "/invitations/accept"));
  await expect(beaPage).toHaveURL(new RegExp(`${projectUrl}$`));
  const beaClip = beaPage.getByRole("button", { name: "Clip groove.wav" });
  await expect(beaClip).toBeVisible();
  await expect(ann.getByLabel("Who is here").getByLabel("Bea")).toBeVisible();

  // Ann moves the clip; Bea sees it move within a second.
  const before = await leftOf(beaClip);
  await dragBy(ann, annClip, 240);
  const moved = Date.now();
  await expect.poll(() => leftOf(annClip), { timeout: 1000 }).toBeGreaterThan(before + 100);
  await expect.poll(() => leftOf(beaClip), { timeout: 1000 }).toBeGreaterThan(before + 100);
  console.log(`the move reached the collaborator in ${Date.now() - moved} ms`);
  expect(await leftOf(beaClip)).toBe(await leftOf(annClip));
  await screenshot(ann, "editor");

  // Undo is an op like any other: the clip goes back for both, and redo brings the move again.
  const movedTo = await leftOf(annClip);
  await ann.keyboard.press("Control+z");
  await expect.poll(() => leftOf(beaClip)).toBe(before);
  await ann.keyboard.press("Control+Shift+z");
  await expect.poll(() => leftOf(beaClip)).toBe(movedTo);

  // Master the upload: the progress bar runs to the end and the before/after players appear.
  await ann.getByRole("tab", { name: "AI", exact: true }).click();
  const ai = ann.getByRole("complementary");
  await ai.getByRole("tab", { name: "Mastering" }).click();
  await ai.getByLabel("Source").selectOption({ label: "groove.wav" });
  await ai.getByRole("button", { name: "Master", exact: true }).click();
  const mastering = ann.getByRole("progressbar", { name: "Mastering" });
  await expect(mastering).toBeVisible();
  await expect(mastering).toHaveAttribute("aria-valuenow", "100", { timeout: 180_000 });
  await expect(ann.getByLabel("Before")).toBeVisible();
  await expect(ann.getByLabel("After")).toBeVisible();
  await screenshot(ann, "mastering");

  // Publish the project as a release.
  await ann.getByRole("toolbar").getByRole("button", { name: "Publish" }).click();
  const dialog = ann.getByRole("dialog");
  await dialog.getByLabel("Title").fill(title);
  await dialog.getByLabel("Genre").fill("electronic");
  await dialog.getByRole("button", { name: "Publish" }).click();
  await expect(dialog.getByRole("progressbar", { name: "Publishing" })).toBeVisible();
  await dialog.getByRole("link", { name: "Open release" }).click({ timeout: 180_000 });
  await expect(ann.getByRole("heading", { name: title })).toBeVisible();
  await screenshot(ann, "release");

  // Find it in search and play it in the player bar.
  await ann.goto("/");
  await ann.getByLabel("Search releases").fill(title.split(" ")[1]);
  await ann.getByRole("button", { name: "Search" }).click();
  await expect(ann.getByRole("link", { name: title })).toBeVisible();
  await ann.getByRole("button", { name: `Play ${title}` }).click();
  await expect.poll(() => ann.getByTestId("player-audio").evaluate((a: HTMLAudioElement) => a.currentTime), { timeout: 20_000 }).toBeGreaterThan(0.5);
  await expect(ann.getByRole("contentinfo", { name: "Player" })).toContainText(title);
  await screenshot(ann, "discover");
});
