// Apps and tokens, through the app: a user makes a personal access token in settings, uses it and revokes it; a
// developer registers an app; the user, signed out, follows the app's /oauth/authorize link (PKCE S256), signs in,
// allows the app on the consent page and is sent to the app's redirect URI with a code, which the app exchanges
// for tokens; revoking the app in settings ends its access token at once.
import { createHash, randomBytes } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { password, register, screenshot, signIn } from "./helpers";

const redirectUri = "https://app.example.org/callback";

const base64url = (bytes: Buffer) => bytes.toString("base64url");

async function me(request: APIRequestContext, token: string) {
  return (await request.get("/api/users/me", { headers: { Authorization: `Bearer ${token}` } })).status();
}

test("a personal token made, used and revoked; an app registered, allowed through the consent page, used and revoked", async ({ browser, request }) => {
  const user = await register(request, "Mia");
  const developer = await register(request, "Dana");

  // Mia makes a token for a script: it is shown once, works with its scope, and stops when she revokes it.
  const page = await (await browser.newContext()).newPage();
  await signIn(page, user);
  await page.goto("/settings");
  const tokenForm = page.getByRole("form", { name: "New token" });
  await tokenForm.getByLabel("Name").fill("My script");
  await tokenForm.getByRole("checkbox", { name: /^profile/ }).check();
  await tokenForm.getByRole("button", { name: "Create token" }).click();
  const shown = page.getByRole("region", { name: "Token “My script”" });
  await expect(shown).toContainText("shown only this once");
  const secret = await shown.getByLabel("Secret").inputValue();
  expect(secret).toMatch(/^jcm_pat_/);
  await expect(page.getByRole("list", { name: "Your tokens" })).toContainText("My script");
  await shown.scrollIntoViewIfNeeded();
  await screenshot(page, "settings-token");
  expect(await me(request, secret)).toBe(200);
  await shown.getByRole("button", { name: "I have copied it" }).click();
  await page.getByRole("button", { name: "Revoke token My script" }).click();
  await expect(page.getByText("You have no tokens.")).toBeVisible();
  expect(await me(request, secret)).toBe(401);

  // Dana registers a public app (a single-page app: no secret, PKCE alone).
  const devPage = await (await browser.newContext()).newPage();
  await signIn(devPage, developer);
  await devPage.goto("/settings");
  const appForm = devPage.getByRole("form", { name: "Register an app" });
  await appForm.getByLabel("App name").fill("Beat Sync");
  await appForm.getByLabel("Redirect URIs (one a line)").fill(redirectUri);
  await appForm.getByRole("button", { name: "Register the app" }).click();
  await expect(devPage.getByRole("status")).toContainText("Registered “Beat Sync”");
  const apps = devPage.getByRole("list", { name: "Your apps" });
  await expect(apps).toContainText(redirectUri);
  const clientId = (await apps.locator("code").first().textContent())!;
  await apps.scrollIntoViewIfNeeded();
  await screenshot(devPage, "settings-developer-apps");

  // The app sends Mia, signed out in this browser, to authorize it; she signs in and lands on the consent page.
  const verifier = base64url(randomBytes(32));
  const challenge = base64url(createHash("sha256").update(verifier).digest());
  const state = base64url(randomBytes(12));
  const authorize = new URLSearchParams({
    response_type: "code", client_id: clientId, redirect_uri: redirectUri, scope: "profile releases:read",
    state, code_challenge: challenge, code_challenge_method: "S256",
  });
  const browserPage = await (await browser.newContext()).newPage();
  // The app's side of the redirect: the browser arrives there with the code; nothing leaves the test.
  let callback: URL | null = null;
  await browserPage.route("https://app.example.org/**", (route) => {
    callback = new URL(route.request().url());
    return route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Beat Sync signed you in</h1>" });
  });
  await browserPage.goto(`/oauth/authorize?${authorize}`);
  await expect(browserPage).toHaveURL(/\/signin\?returnTo=/);
  await browserPage.getByLabel("Email").fill(user.email);
  await browserPage.getByLabel("Password").fill(password);
  await browserPage.getByRole("button", { name: "Sign in" }).click();
  await expect(browserPage).toHaveURL(/\/oauth\/consent\?/);
  expect(new URL(browserPage.url()).searchParams.get("code_challenge")).toBe(challenge);
  await expect(browserPage.getByRole("heading", { name: "Allow Beat Sync to use your account?" })).toBeVisible();
  await expect(browserPage.getByText("Dana", { exact: true })).toBeVisible();
  const scopes = browserPage.getByRole("list", { name: "What the app may do" });
  await expect(scopes).toContainText("profile");
  await expect(scopes).toContainText("releases:read");
  await expect(browserPage.getByText(/revoke its access at any time/)).toBeVisible();
  await screenshot(browserPage, "oauth-consent");

  await browserPage.getByRole("button", { name: "Allow" }).click();
  await expect(browserPage.getByRole("heading", { name: "Beat Sync signed you in" })).toBeVisible();
  expect(callback).not.toBeNull();
  const arrived = callback! as URL;
  expect(arrived.origin + arrived.pathname).toBe(redirectUri);
  expect(arrived.searchParams.get("state")).toBe(state);
  const code = arrived.searchParams.get("code");
  expect(code).toBeTruthy();

  // The app exchanges the code (with the PKCE verifier) and acts for Mia with the access token.
  const exchanged = await request.post("/oauth/token", {
    form: { grant_type: "authorization_code", code: code!, redirect_uri: redirectUri, client_id: clientId, code_verifier: verifier },
  });
  expect(exchanged.status(), await exchanged.text()).toBe(200);
  const tokens = await exchanged.json();
  expect(tokens.scope.split(" ")).toEqual(expect.arrayContaining(["profile", "releases:read"]));
  const profile = await request.get("/api/users/me", { headers: { Authorization: `Bearer ${tokens.access_token}` } });
  expect(profile.status()).toBe(200);
  expect((await profile.json()).id).toBe(user.id);

  // Mia finds the app in her settings and revokes it: its access token stops at once.
  await page.goto("/settings");
  const allowed = page.getByRole("list", { name: "Apps you allowed" });
  await expect(allowed).toContainText("Beat Sync");
  await allowed.scrollIntoViewIfNeeded();
  await screenshot(page, "settings-authorized-apps");
  await page.getByRole("button", { name: "Revoke access of Beat Sync" }).click();
  await expect(page.getByText("You have not allowed any app to use your account.")).toBeVisible();
  expect(await me(request, tokens.access_token)).toBe(401);
});
