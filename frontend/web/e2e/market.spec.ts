// Buying on the marketplace with the manual provider: a seller's beat is for sale, a buyer orders a tier,
// an admin confirms the payment, the buyer downloads the file and reads the license.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { adminEmail } from "../playwright.config";
import { register, screenshot, signIn, wav, type Account } from "./helpers";

async function job(request: APIRequestContext, account: Account, jobId: string) {
  const headers = { Authorization: `Bearer ${account.accessToken}` };
  await expect
    .poll(async () => (await (await request.get(`/api/jobs/${jobId}`, { headers })).json()).status, { timeout: 120_000 })
    .toBe("succeeded");
}

/** A published beat with one 29.99 USD tier, made through the API as a seller would through the app. */
async function beatForSale(request: APIRequestContext, seller: Account, title: string): Promise<string> {
  const headers = { Authorization: `Bearer ${seller.accessToken}` };
  const asset = await (await request.post("/api/assets?fileName=night-drive.wav", { headers, data: wav(5, 220) })).json();
  await expect.poll(async () => (await (await request.get(`/api/assets/${asset.id}`, { headers })).json()).status, { timeout: 60_000 }).toBe("ready");
  const created = await request.post("/api/listings", {
    headers,
    data: {
      type: "beat", title, genre: "hip-hop", assetId: asset.id,
      tiers: [{ name: "Basic", price: 2999, currency: "USD", formats: ["mp3"], exclusive: false, terms: { distributionCopies: 5000, creditLine: `Prod. ${seller.displayName}` } }],
    },
  });
  expect(created.status(), await created.text()).toBe(202);
  const { listing, jobId } = await created.json();
  await job(request, seller, jobId);
  expect((await request.post(`/api/listings/${listing.id}/publish`, { headers })).status()).toBe(200);
  return listing.id;
}

test("buy a beat with the manual provider, have it confirmed, download it and read the license", async ({ browser, request }) => {
  const seller = await register(request, "Sam");
  const buyer = await register(request, "Bo");
  const admin = await register(request, "Admin", adminEmail, false);
  const title = `Night Drive ${Date.now() % 100000}`;
  const listingId = await beatForSale(request, seller, title);

  const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await signIn(page, buyer);
  await page.goto("/market");
  await page.getByRole("link", { name: title }).first().click();
  await expect(page).toHaveURL(new RegExp(`/market/listings/${listingId}$`));
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  await screenshot(page, "listing");
  await page.getByRole("button", { name: "Buy Basic" }).click();
  await expect(page.getByTestId("order-status")).toContainText("pending");
  const orderId = (await page.getByTestId("order-id").textContent())!.trim();

  // The admin sees the order waiting and confirms the money arrived.
  const adminPage = await (await browser.newContext()).newPage();
  await signIn(adminPage, admin);
  await adminPage.goto("/market/seller");
  await adminPage.getByRole("button", { name: `Confirm payment ${orderId}` }).click();
  await expect(adminPage.getByTestId("admin-order-status").first()).toContainText("completed");

  // The buyer's page notices by itself; then the files and the license are theirs.
  await expect(page.getByTestId("order-status")).toContainText("completed", { timeout: 20_000 });
  await page.goto("/market/purchases");
  const order = page.getByRole("article", { name: `${title}, Basic` });
  await order.getByRole("button", { name: "Get download links" }).click();
  const link = order.getByRole("link", { name: /^Download/ }).first();
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const path = await download.path();
  const { statSync } = await import("node:fs");
  expect(statSync(path).size).toBeGreaterThan(10_000);
  await order.getByRole("link", { name: "License", exact: true }).click();
  await expect(page.getByRole("heading", { name: "License document" })).toBeVisible();
  await expect(page.getByText(orderId).first()).toBeVisible();
  await screenshot(page, "purchases");
});
