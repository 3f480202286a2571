// The main pages at a desktop's and a phone's width (screenshots for the record), errors in plain words,
// and the app shell's serving: compressed immutable bundles, deep links, API paths that stay API.
import { expect, test } from "@playwright/test";
import { password, register, screenshot, signIn } from "./helpers";

const phone = { width: 390, height: 844 };

test("wrong credentials and bad input are explained in plain words", async ({ page, request }) => {
  const account = await register(request, "Cy");
  await page.goto("/signin");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(`${password}!`);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("Wrong email or password.");

  await page.goto("/signup");
  await page.getByLabel("Display name").fill("Cy again");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(`${password} but another`);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByRole("alert")).toContainText("may already have an account");

  await signIn(page, account);
  await page.goto("/projects/00000000-0000-0000-0000-000000000001");
  await expect(page.getByRole("alert")).toContainText("not found");
});

test("the main pages fit a phone's width and are kept as screenshots", async ({ browser, request }) => {
  const account = await register(request, "Dee");
  const headers = { Authorization: `Bearer ${account.accessToken}` };
  const project = await (await request.post("/api/projects", { headers, data: { name: "Phone song" } })).json();
  await request.post(`/api/projects/${project.id}/ops`, {
    headers,
    data: { ops: [{ clientId: "e2e", opId: "1", baseVersion: 0, kind: "track.add", payload: { name: "Drums" } }] },
  });

  for (const [size, viewport] of [["desktop", { width: 1400, height: 900 }], ["phone", phone]] as const) {
    const page = await (await browser.newContext({ viewport })).newPage();
    await signIn(page, account);
    for (const [name, path, heading] of [
      ["discover", "/", "Discover"],
      ["projects", "/projects", "Studio"],
      ["marketplace", "/market", "Marketplace"],
      ["seller", "/market/seller", "Sell"],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
      await page.waitForLoadState("networkidle");
      // Nothing wider than the screen: no sideways scrolling on a phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `${name} at ${size}`).toBeLessThanOrEqual(1);
      await screenshot(page, `${name}-${size}`);
    }
    await page.goto(`/projects/${project.id}`);
    await expect(page.getByRole("toolbar", { name: "Transport and project" })).toBeVisible();
    await expect(page.getByText("Drums").first()).toBeVisible();
    await screenshot(page, `editor-${size}`);
    await page.context().close();
  }
});

test("bundles are served compressed and cached for good, deep links load the app, API paths stay API", async ({ page, request }) => {
  const bundles: { encoding?: string; cache?: string }[] = [];
  page.on("response", (r) => {
    if (new URL(r.url()).pathname.startsWith("/assets/") && r.url().endsWith(".js")) bundles.push({ encoding: r.headers()["content-encoding"], cache: r.headers()["cache-control"] });
  });
  await page.goto("/releases/00000000-0000-0000-0000-000000000002");
  await expect(page.getByRole("link", { name: "Jacameno" })).toBeVisible();
  expect(bundles.length).toBeGreaterThan(0);
  expect(bundles.every((b) => b.encoding === "br" && b.cache?.includes("immutable"))).toBe(true);

  const index = await request.get("/market/anything");
  expect(index.headers()["content-type"]).toContain("text/html");
  expect(index.headers()["cache-control"]).toBe("no-cache");
  const api = await request.get("/api/no-such-thing");
  expect(api.status()).toBe(404);
  expect(api.headers()["content-type"]).toContain("application/problem+json");
});
