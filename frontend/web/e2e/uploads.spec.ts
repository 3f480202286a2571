// Resumable uploads in the browser: the editor sends audio with the tus protocol (tus-js-client), and when the
// connection drops part way, it asks the server how far it got and goes on from there rather than from the start.
import { expect, test } from "@playwright/test";
import { register, signIn, wav } from "./helpers";

test("an upload whose connection drops goes on from where the server got to", async ({ page, request }) => {
  const account = await register(request, "Resa");
  await signIn(page, account);
  await page.goto("/projects");
  await page.getByLabel("New project name").fill("Long takes");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}$/);

  // Every request of the upload, by method and offset; the second PATCH's connection is reset.
  const seen: string[] = [];
  let patches = 0;
  await page.route("**/api/uploads**", async (route) => {
    const sent = route.request();
    const offset = sent.headers()["upload-offset"];
    seen.push(offset === undefined ? sent.method() : `${sent.method()} ${offset}`);
    if (sent.method() === "PATCH" && ++patches === 2) return route.abort("connectionreset");
    return route.continue();
  });

  // 100 s of stereo 16-bit audio: 17.6 MB, three PATCHes of at most 8 MiB.
  const file = wav(100);
  await page.getByLabel("Add audio files").setInputFiles({ name: "long take.wav", mimeType: "audio/wav", buffer: file });
  await expect(page.getByRole("button", { name: "Clip long take.wav" })).toBeVisible({ timeout: 120_000 });

  const chunk = 8 * 1024 * 1024;
  expect(seen).toEqual(["POST", "PATCH 0", `PATCH ${chunk}`, "HEAD", `PATCH ${chunk}`, `PATCH ${2 * chunk}`, "GET"]);
  const assets = await (await request.get("/api/assets", { headers: { Authorization: `Bearer ${account.accessToken}` } })).json();
  expect(assets.items.map((a: { fileName: string; size: number }) => [a.fileName, a.size])).toEqual([["long take.wav", file.length]]);
});
