// End-to-end tests against the real platform in embedded mode (a fresh data folder each run), in
// Debian's Chromium. Screenshots of the main pages land in test-results/screens as artifacts.
import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const port = Number(process.env.JACAMENO_E2E_PORT ?? 5180);
// Kept in the environment: the workers load this file again, and read the platform's mails from its data folder.
const data = (process.env.JACAMENO_E2E_DATA ??= mkdtempSync(join(tmpdir(), "jacameno-e2e-")));
export const adminEmail = "admin@e2e.test";
const stripePort = Number(process.env.JACAMENO_E2E_STRIPE_PORT ?? 5181);
const stripeSecret = "whsec_e2e";

/** How Chromium is started; a spec that needs more (a fake microphone) adds to these. */
export const chromiumArgs = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
];

export default defineConfig({
  testDir: "e2e",
  timeout: 240_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  outputDir: "test-results/output",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1400, height: 900 },
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: chromiumArgs,
    },
  },
  webServer: [{
    // Stripe's stand-in: Premium is bought at its checkout page, which sends the platform the signed webhook.
    command: "node e2e/stripe-stand-in.mjs",
    url: `http://127.0.0.1:${stripePort}/health`,
    env: { JACAMENO_E2E_STRIPE_PORT: String(stripePort), JACAMENO_E2E_PLATFORM: `http://127.0.0.1:${port}`, JACAMENO_E2E_STRIPE_SECRET: stripeSecret },
    reuseExistingServer: false,
  }, {
    // The build (dotnet build / scripts/test.sh) has put the web app in wwwroot; the platform serves it.
    command:
      `dotnet bin/Release/net10.0/Jacameno.Frontend.dll --urls http://127.0.0.1:${port} --Jacameno:DataDirectory ${data} ` +
      `--Jacameno:Auth:AdminEmails:0 ${adminEmail} --Jacameno:RateLimits:AuthPerMinute 1000 --Jacameno:PublicUrl http://127.0.0.1:${port} ` +
      `--Jacameno:Premium:Provider stripe --Jacameno:Premium:MonthlyPriceId price_monthly --Jacameno:Premium:YearlyPriceId price_yearly ` +
      `--Jacameno:Marketplace:Stripe:SecretKey sk_test_e2e --Jacameno:Marketplace:Stripe:WebhookSecret ${stripeSecret} ` +
      `--Jacameno:Marketplace:Stripe:ApiBase http://127.0.0.1:${stripePort} ` +
      // Chromium cannot reach a browser push service offline: reach.spec.ts stands one in on loopback.
      `--Jacameno:Push:AllowedHosts:0 127.0.0.1 --Jacameno:Push:AllowLocalEndpoints true`,
    cwd: "..",
    url: `http://127.0.0.1:${port}/health/ready`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
  }],
});
