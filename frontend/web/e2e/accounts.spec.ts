// An account's life, through the app: sign up and confirm the address by the mailed link, forget the password
// and set a new one by the next mailed link, buy Premium at (a stand-in for) Stripe's checkout, report a comment,
// and an admin removes it from the moderation queue.
import { expect, test } from "@playwright/test";
import { adminEmail } from "../playwright.config";
import { mailedLink, register, release, screenshot, signIn } from "./helpers";

test("sign up, confirm by mail, reset a forgotten password, buy Premium, report a comment that an admin removes", async ({ browser, request }) => {
  const email = `cleo-${Date.now()}@e2e.test`;
  const page = await (await browser.newContext()).newPage();
  await page.goto("/signup");
  await page.getByLabel("Display name").fill("Cleo");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await page.goto(await mailedLink(email, "/verify-email"));
  await expect(page.getByText("Your email address is confirmed.")).toBeVisible();

  // Signed out, she has forgotten the password: a link by mail, a new password, and she is back in.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.goto("/signin");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Mail me a link" }).click();
  await expect(page.getByRole("status")).toContainText("30 minutes");
  await page.goto(await mailedLink(email, "/reset-password"));
  await page.getByLabel("New password").fill("a brand new horse");
  await page.getByRole("button", { name: "Set the password" }).click();
  await expect(page.getByRole("status")).toContainText("Your password is changed");
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a brand new horse");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();

  // She buys Premium at (a stand-in for) Stripe's checkout and comes back to her settings with it on.
  await page.goto("/settings");
  await expect(page.getByText("You are on the free plan.")).toBeVisible();
  await page.getByRole("button", { name: "Go Premium (monthly)" }).click();
  await expect(page.getByRole("heading", { name: "Test checkout: Premium monthly" })).toBeVisible();
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page).toHaveURL(/\/settings\/premium\?checkout=done$/);
  await expect(page.getByText("Premium is on")).toBeVisible();
  await expect(page.getByRole("table", { name: "What Premium unlocks" })).toContainText("Lossless");
  await screenshot(page, "settings");

  // A troll comments on a release she listens to; she reports the comment.
  const artist = await register(request, "Artie");
  const troll = await register(request, "Troll");
  const releaseId = await release(request, artist, `Calm Tone ${Date.now() % 100000}`);
  const comment = await request.post(`/api/releases/${releaseId}/comments`, {
    headers: { Authorization: `Bearer ${troll.accessToken}` }, data: { text: "this is awful and so are you", atSeconds: 1 },
  });
  expect(comment.status(), await comment.text()).toBe(201);
  await page.goto(`/releases/${releaseId}`);
  await expect(page.getByText("this is awful and so are you")).toBeVisible();
  await page.getByRole("button", { name: "Report comment" }).click();
  await page.getByLabel("Why").selectOption("harassment");
  await page.getByRole("button", { name: "Send report" }).click();
  await expect(page.getByText("Reported")).toBeVisible();

  // The admin finds it in the queue and removes it, with a reason; the comment is gone.
  const admin = await register(request, "Admin", adminEmail, false);
  const adminPage = await (await browser.newContext()).newPage();
  await signIn(adminPage, admin);
  await adminPage.getByRole("link", { name: "Moderation" }).click();
  const report = adminPage.getByRole("article", { name: /Report of comment/ });
  await expect(report).toContainText("harassment");
  await screenshot(adminPage, "moderation");
  await report.getByLabel("Reason").fill("Harassment of a listener");
  await report.getByRole("button", { name: "Remove" }).click();
  await expect(adminPage.getByText("No open reports.")).toBeVisible();
  await page.reload();
  await expect(page.getByText("No comments yet.")).toBeVisible();
});
