// 10 000 GraphQL subscriptions on one frontend (graphql-transport-ws over WebSockets): `users` accounts, each with
// `perUser` sockets subscribed to its notifications. Then rounds: an actor follows every account at once, so each
// account's notification fans out to its sockets; the latency of a delivery is from the follow request being sent
// to the notification arriving on that socket. The frontend's resident memory is read before the sockets open and
// once they are all subscribed. See ../subscriptions.sh.
import { createRequire } from "node:module";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const require = createRequire(new URL("../../frontend/web/package.json", import.meta.url));
const WebSocket = require("ws");
const [base, mailDir, pid, usersArg = "100", perUserArg = "100", roundsArg = "5"] = process.argv.slice(2);
const [users, perUser, rounds] = [Number(usersArg), Number(perUserArg), Number(roundsArg)];
const password = "benchmark pass";
const json = async (path, init = {}, token) => {
  const response = await fetch(base + path, { ...init, headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
};
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Signs an account up, confirms it by the mailed link (quoted-printable in the mail file), and signs in. */
async function account(n) {
  const email = `sub-${n}@bench.test`;
  await json("/api/auth/register", { method: "POST", body: JSON.stringify({ email, password, displayName: `Listener ${n}` }) });
  for (let i = 0; i < 200; i++) {
    const files = (() => { try { return readdirSync(mailDir, { recursive: true }); } catch { return []; } })(); // none before the first mail
    for (const file of files.filter((f) => String(f).endsWith(".eml"))) {
      const text = readFileSync(join(mailDir, String(file)), "utf8");
      if (!text.includes(email)) continue;
      const token = /verify-email\?token=([A-Za-z0-9_-]+)/.exec(text.replace(/=\r?\n/g, "").replace(/=3D/g, "="))?.[1];
      if (!token) continue;
      await json("/api/auth/verify-email", { method: "POST", body: JSON.stringify({ token }) });
      const login = await json("/api/auth/login", { method: "POST", body: JSON.stringify({ email, password }) });
      return { id: login.user.id, token: login.accessToken };
    }
    await sleep(100);
  }
  throw new Error(`no mail for ${email}`);
}

const started = Date.now();
const accounts = [];
for (let n = 0; n < users; n += 10) accounts.push(...(await Promise.all(Array.from({ length: Math.min(10, users - n) }, (_, i) => account(n + i)))));
const actors = [];
for (let n = 0; n <= rounds; n++) actors.push(await account(users + n));
console.log(`${users + rounds + 1} accounts in ${((Date.now() - started) / 1000).toFixed(0)} s`);

await sleep(3000);
const before = rss();
const sent = new Map(); // `${actor}:${user}` → when the follow was sent
const latencies = [];
const received = new Map(); // actor → deliveries
const sockets = [];
const url = base.replace(/^http/, "ws") + "/graphql";
async function open(user) {
  const socket = new WebSocket(url, "graphql-transport-ws");
  await new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.once("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${user.token}` } })));
    socket.on("message", (data) => {
      const message = JSON.parse(data);
      if (message.type === "connection_ack") {
        socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: "subscription { notifications { kind actorId } }" } }));
        resolve();
      } else if (message.type === "next") {
        const actor = message.payload.data.notifications.actorId;
        const at = sent.get(`${actor}:${user.id}`);
        if (at !== undefined) latencies.push(performance.now() - at);
        received.set(actor, (received.get(actor) ?? 0) + 1);
      } else if (message.type === "ping") socket.send(JSON.stringify({ type: "pong" }));
    });
  });
  sockets.push(socket);
}
const opening = Date.now();
for (const user of accounts) {
  for (let s = 0; s < perUser; s += 50) await Promise.all(Array.from({ length: Math.min(50, perUser - s) }, () => open(user)));
}
console.log(`${sockets.length} sockets open and subscribed in ${((Date.now() - opening) / 1000).toFixed(1)} s`);
await sleep(5000);
const after = rss();

const answered = [];
async function round(actor) {
  await Promise.all(accounts.map(async (user) => {
    const at = performance.now();
    sent.set(`${actor.id}:${user.id}`, at);
    await json(`/api/users/${user.id}/follow`, { method: "PUT" }, actor.token);
    answered.push(performance.now() - at);
  }));
  const expected = users * perUser;
  for (let i = 0; i < 100 && (received.get(actor.id) ?? 0) < expected; i++) await sleep(100);
  return received.get(actor.id) ?? 0;
}
console.log(`warm-up round: ${await round(actors[0])} of ${users * perUser} delivered`);
latencies.length = 0;
for (const actor of actors.slice(1)) console.log(`round: ${await round(actor)} of ${users * perUser} delivered`);
const pctOf = (values, p) => { const v = [...values].sort((a, b) => a - b); return v[Math.min(v.length - 1, Math.floor((p / 100) * v.length))].toFixed(1); };
const sorted = latencies.sort((a, b) => a - b);
const pct = (p) => pctOf(sorted, p);
console.log(`the follow requests themselves (the event's cause, not its fan-out): p50 ${pctOf(answered, 50)} ms, p99 ${pctOf(answered, 99)} ms`);
console.log(`fan-out latency over ${sorted.length} deliveries (${rounds} rounds of ${users} notifications × ${perUser} subscriptions each): p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${sorted.at(-1).toFixed(1)} ms`);
console.log(`frontend memory: ${before.toFixed(0)} MiB before the sockets, ${after.toFixed(0)} MiB with ${sockets.length} subscriptions (+${(after - before).toFixed(0)} MiB, ${(((after - before) * 1024) / sockets.length).toFixed(1)} KiB each)`);
for (const socket of sockets) socket.terminate();
