// An artist's reach, through the app: she turns on push notifications in her settings, a listener finds her song by
// search, plays it and follows her; the follow reaches her browser as an encrypted Web Push that her service worker
// shows; her Insights page counts the play, the listener and where the play came from; off removes the device.
//
// Chromium offline has no push service to subscribe with, so the test stands one in: PushManager.subscribe hands
// the app a subscription whose endpoint is a server of this test, with keys this test holds. The platform encrypts
// to those keys (RFC 8291) and signs with its VAPID key as it would for Google's or Mozilla's service; the test
// decrypts what arrived and gives it to the service worker as the push service would (DevTools' deliverPushMessage).
import { createDecipheriv, createECDH, hkdfSync, randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { register, release, screenshot, signIn } from "./helpers";

interface Push { path: string; headers: IncomingHttpHeaders; body: Buffer }

/** Reads a push encrypted with aes128gcm (RFC 8188) to the browser keys `ua` and `auth` (RFC 8291). */
function decrypt(body: Buffer, ua: ReturnType<typeof createECDH>, auth: Buffer): string {
  const salt = body.subarray(0, 16);
  const keyLength = body[20];
  const serverKey = body.subarray(21, 21 + keyLength);
  const content = body.subarray(21 + keyLength);
  const info = Buffer.concat([Buffer.from("WebPush: info\0"), ua.getPublicKey(), serverKey]);
  const ikm = Buffer.from(hkdfSync("sha256", ua.computeSecret(serverKey), auth, info, 32));
  const cek = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12));
  const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(content.subarray(-16));
  const plain = Buffer.concat([decipher.update(content.subarray(0, -16)), decipher.final()]);
  let end = plain.length - 1;
  while (plain[end] === 0) end--; // padding, then the last record's delimiter (2)
  expect(plain[end]).toBe(2);
  return plain.subarray(0, end).toString("utf8");
}

test("push on in settings, a listener's play and follow reach the artist's browser and her Insights, push off", async ({ browser, request }) => {
  // The stand-in push service: it keeps what it is sent and answers 201 as push services do.
  const pushes: Push[] = [];
  const service = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      pushes.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(201).end();
    });
  });
  await new Promise<void>((resolve) => service.listen(0, "127.0.0.1", resolve));
  const endpointBase = `http://127.0.0.1:${(service.address() as AddressInfo).port}/push`;
  const ua = createECDH("prime256v1");
  ua.generateKeys();
  const auth = randomBytes(16);

  try {
    const artist = await register(request, "Mira");
    const listener = await register(request, "Theo");
    const title = `Northern Reach ${Date.now() % 100000}`;
    await release(request, artist, title);

    // Mira turns push notifications on in her settings.
    const context = await browser.newContext({ permissions: ["notifications"] });
    await context.addInitScript(({ endpointBase, p256dh, auth }) => {
      const stored = () => localStorage.getItem("stand-in-push");
      const subscription = (json: PushSubscriptionJSON) => ({
        endpoint: json.endpoint,
        toJSON: () => json,
        unsubscribe: async () => (localStorage.removeItem("stand-in-push"), true),
      });
      PushManager.prototype.subscribe = async function () {
        const json = { endpoint: `${endpointBase}/${crypto.randomUUID()}`, expirationTime: null, keys: { p256dh, auth } };
        localStorage.setItem("stand-in-push", JSON.stringify(json));
        return subscription(json) as unknown as PushSubscription;
      };
      PushManager.prototype.getSubscription = async function () {
        const json = stored();
        return (json ? subscription(JSON.parse(json)) : null) as unknown as PushSubscription;
      };
    }, { endpointBase, p256dh: ua.getPublicKey().toString("base64url"), auth: auth.toString("base64url") });
    const page = await context.newPage();
    await signIn(page, artist);
    await page.goto("/settings");
    const toggle = page.getByLabel("Push notifications on this browser");
    await expect(toggle).toBeEnabled();
    await toggle.click(); // the box follows the subscription, once the device is registered
    await expect(toggle).toBeChecked();
    const headers = { Authorization: `Bearer ${artist.accessToken}` };
    const devices = await (await request.get("/api/devices", { headers })).json();
    expect(devices).toHaveLength(1);
    expect(devices[0].endpoint).toContain(endpointBase);
    await page.reload();
    await expect(page.getByLabel("Push notifications on this browser")).toBeChecked(); // the device is found again

    // Theo finds the song by search, plays it to the end of its counting time, and follows Mira.
    const theo = await (await browser.newContext()).newPage();
    await signIn(theo, listener);
    await theo.goto("/");
    await theo.getByLabel("Search releases").fill(title.split(" ")[1]);
    await theo.getByRole("button", { name: "Search" }).click();
    await theo.getByRole("button", { name: `Play ${title}` }).click();
    await expect.poll(() => theo.getByTestId("player-audio").evaluate((a: HTMLAudioElement) => a.ended || a.currentTime > 3.8), { timeout: 30_000 }).toBe(true);
    const followed = await request.put(`/api/users/${artist.id}/follow`, { headers: { Authorization: `Bearer ${listener.accessToken}` } });
    expect(followed.status(), await followed.text()).toBe(200);

    // The follow arrives at the push service encrypted to Mira's browser, signed with the platform's VAPID key.
    await expect.poll(() => pushes.length, { timeout: 60_000 }).toBeGreaterThan(0);
    const push = pushes[0];
    expect(push.headers["content-encoding"]).toBe("aes128gcm");
    expect(String(push.headers.authorization)).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/);
    const payload = JSON.parse(decrypt(push.body, ua, auth));
    expect(payload.body).toBe("Theo followed you");

    // Her service worker shows it, as it would when her browser's push service delivers it.
    const cdp = await context.newCDPSession(page);
    const registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] = [];
    cdp.on("ServiceWorker.workerRegistrationUpdated", (e) => registrations.push(...e.registrations));
    await cdp.send("ServiceWorker.enable");
    await expect.poll(() => registrations.filter((r) => !r.isDeleted).length).toBeGreaterThan(0);
    const origin = new URL(page.url()).origin;
    await cdp.send("ServiceWorker.deliverPushMessage", { origin, registrationId: registrations.find((r) => !r.isDeleted)!.registrationId, data: JSON.stringify(payload) });
    await expect.poll(() => page.evaluate(async () =>
      (await (await navigator.serviceWorker.getRegistration("/push-sw.js"))!.getNotifications()).map((n) => `${n.title}: ${n.body}`)), { timeout: 15_000 })
      .toContain(`${payload.title}: Theo followed you`);

    // Her Insights count the play, its listener, and that it came from search.
    await page.getByRole("link", { name: "Insights" }).click();
    await expect.poll(async () => {
      await page.reload();
      return page.getByLabel("Totals").textContent();
    }, { timeout: 60_000 }).toMatch(/Plays\s*1.*Listeners\s*1/s);
    await expect(page.getByRole("link", { name: title })).toBeVisible();
    await expect(page.getByRole("region", { name: "Where plays came from" })).toContainText("Search: 1 (100%)");
    await expect(page.getByRole("img", { name: /Plays per day/ })).toBeVisible();
    await screenshot(page, "insights");

    // Off: the device is removed and the subscription dropped.
    await page.goto("/settings");
    await page.getByLabel("Push notifications on this browser").click();
    await expect(page.getByLabel("Push notifications on this browser")).not.toBeChecked();
    await expect.poll(async () => (await (await request.get("/api/devices", { headers })).json()).length).toBe(0);
  } finally {
    service.close();
  }
});
