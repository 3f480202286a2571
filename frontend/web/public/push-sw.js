// The service worker of pushes: shows each push as a notification and opens its page on a click (docs/push.md).
self.addEventListener("push", (event) => {
  const push = event.data ? event.data.json() : { title: "Jacameno", body: "", url: "/" };
  event.waitUntil(self.registration.showNotification(push.title, { body: push.body, tag: push.eventId, data: { url: push.url } }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  // Only a path on this site, whatever the payload says.
  const url = new URL(event.notification.data?.url ?? "/", self.location.origin);
  event.waitUntil(self.clients.openWindow(url.origin === self.location.origin ? url.href : "/"));
});
