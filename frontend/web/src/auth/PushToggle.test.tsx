// The push toggle: turning it on asks permission, subscribes with the server's VAPID key and registers the
// subscription; turning it off removes the device and unsubscribes.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, expect, it, vi } from "vitest";
import { keyBytes, PushToggle } from "./PushToggle";

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const endpoint = "https://updates.push.services.mozilla.com/wpush/v2/abc";
const key = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function browser() {
  let subscription: { endpoint: string; toJSON: () => unknown; unsubscribe: () => Promise<boolean> } | null = null;
  const subscribe = vi.fn(async () => {
    subscription = { endpoint, toJSON: () => ({ endpoint, keys: { p256dh: "p", auth: "a" } }), unsubscribe: vi.fn(async () => { subscription = null; return true; }) };
    return subscription;
  });
  const registration = { pushManager: { subscribe, getSubscription: async () => subscription } };
  vi.stubGlobal("PushManager", class {});
  vi.stubGlobal("Notification", { permission: "default", requestPermission: vi.fn(async () => "granted") });
  Object.defineProperty(navigator, "serviceWorker", {
    configurable: true,
    value: { register: vi.fn(async () => registration), getRegistration: async () => (subscription ? registration : undefined) },
  });
  return { subscribe };
}

it("turns pushes on and off for this browser", async () => {
  const { subscribe } = browser();
  let devices: unknown[] = [];
  const fetchMock = vi.fn(async (path: string, init?: RequestInit) => {
    if (path === "/api/devices/config") return json({ vapidPublicKey: key, kinds: ["webPush"] });
    if (path === "/api/devices" && init?.method === "POST") {
      devices = [{ id: "d1", kind: "webPush", name: "x", endpoint, createdAt: "2030-01-01T00:00:00Z" }];
      return json(devices[0], 201);
    }
    if (path === "/api/devices") return json(devices);
    if (init?.method === "DELETE") {
      devices = [];
      return new Response(null, { status: 204 });
    }
    return json({}, 404);
  });
  vi.stubGlobal("fetch", fetchMock);
  render(<PushToggle />);

  const toggle = await screen.findByRole("checkbox", { name: "Push notifications on this browser" });
  await waitFor(() => expect((toggle as HTMLInputElement).disabled).toBe(false));
  fireEvent.click(toggle);
  await waitFor(() => expect((toggle as HTMLInputElement).checked).toBe(true));
  expect(subscribe).toHaveBeenCalledWith({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
  const registered = fetchMock.mock.calls.find(([path, init]) => path === "/api/devices" && init?.method === "POST")!;
  expect(JSON.parse(String(registered[1]!.body))).toMatchObject({ kind: "webPush", subscription: { endpoint } });

  fireEvent.click(toggle);
  await waitFor(() => expect((toggle as HTMLInputElement).checked).toBe(false));
  expect(fetchMock.mock.calls.some(([path, init]) => path === "/api/devices/d1" && init?.method === "DELETE")).toBe(true);
});

it("reads the VAPID key as the Push API wants it: 65 bytes of an uncompressed point", () => {
  const bytes = keyBytes(key);
  expect(bytes.length).toBe(65);
  expect(bytes[0]).toBe(4);
});
