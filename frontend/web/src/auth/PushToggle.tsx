// "Push notifications on this browser": subscribes through the Push API with the server's VAPID key and registers
// the subscription as a device; off unsubscribes and removes it (docs/push.md).
import { useEffect, useState } from "react";
import { api } from "../api/client";
import type { Schema } from "../api/types";
import { ErrorText } from "../ui/ui";

const worker = "/push-sw.js";
type State = "loading" | "on" | "off" | "unsupported" | "denied";

function supported() {
  return typeof navigator !== "undefined" && "serviceWorker" in navigator && typeof window !== "undefined" && "PushManager" in window && "Notification" in window;
}

/** The VAPID key as PushManager.subscribe takes it (base64url to bytes). */
export function keyBytes(base64url: string): Uint8Array {
  const base64 = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

async function currentSubscription() {
  const registration = await navigator.serviceWorker.getRegistration(worker);
  return (await registration?.pushManager.getSubscription()) ?? null;
}

async function deviceOf(subscription: PushSubscription) {
  const devices = await api.get<Schema<"DeviceResponse">[]>("/api/devices");
  return devices.find((d) => d.endpoint === subscription.endpoint) ?? null;
}

export function PushToggle() {
  const [state, setState] = useState<State>(supported() ? "loading" : "unsupported");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!supported()) return;
    void (async () => {
      const subscription = await currentSubscription();
      setState(subscription && (await deviceOf(subscription)) ? "on" : Notification.permission === "denied" ? "denied" : "off");
    })().catch(setError);
  }, []);

  async function turnOn() {
    if ((await Notification.requestPermission()) !== "granted") {
      setState("denied");
      return;
    }
    const config = await api.get<Schema<"PushConfigResponse">>("/api/devices/config");
    if (!config.vapidPublicKey) throw new Error("This server does not send browser pushes.");
    const registration = await navigator.serviceWorker.register(worker);
    const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(config.vapidPublicKey) as BufferSource });
    await api.post("/api/devices", { kind: "webPush", name: navigator.userAgent.slice(0, 100), subscription: subscription.toJSON() });
    setState("on");
  }

  async function turnOff() {
    const subscription = await currentSubscription();
    if (subscription) {
      const device = await deviceOf(subscription);
      if (device) await api.delete(`/api/devices/${device.id}`);
      await subscription.unsubscribe();
    }
    setState("off");
  }

  async function toggle(on: boolean) {
    setBusy(true);
    setError(null);
    try {
      await (on ? turnOn() : turnOff());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="push-heading" className="stack">
      <h2 id="push-heading">Notifications</h2>
      {state === "unsupported" ? (
        <p className="muted">This browser cannot receive push notifications.</p>
      ) : (
        <label>
          <input type="checkbox" checked={state === "on"} disabled={busy || state === "loading" || state === "denied"}
            onChange={(e) => void toggle(e.target.checked)} />
          Push notifications on this browser
        </label>
      )}
      {state === "denied" && <p className="muted">Notifications are blocked for this site in the browser's settings.</p>}
      <ErrorText error={error} />
    </section>
  );
}
