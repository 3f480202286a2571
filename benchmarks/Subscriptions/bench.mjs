// 10 000 GraphQL subscriptions on one frontend (graphql-transport-ws over WebSockets): `users` accounts, each with
// `perUser` sockets subscribed to its notifications. Then rounds: an actor follows every account, so each account's
// notification fans out to its sockets; the latency of a delivery is from the follow request being sent to the
// notification arriving on that socket. Three phases, in one frontend process so that they compare:
//   burst     every account followed at once: all the subscriptions get a notification in the same instant;
//   paced     the follows of a round spread over a second: a steady 100 notifications a second;
//   unshared  a burst again, with each socket's document made unique (its operation name), so no two subscriptions
//             share an event's execution and serialization: the cost without that sharing.
// The frontend's resident memory is read before the sockets open and once they are all subscribed. See ../subscriptions.sh.
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
// CPU time (ms) the frontend and this client have used so far, to tell which side a round's time goes to.
const serverCpu = () => { const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" "); return ((Number(f[11]) + Number(f[12])) * 1000) / 100; };
const clientCpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
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

const phases = ["burst", "paced", "unshared"];
const started = Date.now();
const accounts = [];
for (let n = 0; n < users; n += 10) accounts.push(...(await Promise.all(Array.from({ length: Math.min(10, users - n) }, (_, i) => account(n + i)))));
const actors = [];
for (let n = 0; n < phases.length * (rounds + 1); n++) actors.push(await account(users + n));
console.log(`${users + actors.length} accounts in ${((Date.now() - started) / 1000).toFixed(0)} s`);

await sleep(3000);
const before = rss();
const sent = new Map(); // `${actor}:${user}` → when the follow was sent
const latencies = [];
const received = new Map(); // actor → deliveries
let sockets = [];
const url = base.replace(/^http/, "ws") + "/graphql";
async function open(user, operation) {
  const socket = new WebSocket(url, "graphql-transport-ws");
  await new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.once("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${user.token}` } })));
    socket.on("message", (data) => {
      const message = JSON.parse(data);
      if (message.type === "connection_ack") {
        socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: `subscription ${operation} { notifications { kind actorId } }` } }));
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
/** Opens perUser sockets for every account; unique: each with its own operation name. */
async function openAll(unique) {
  const opening = Date.now();
  let n = 0;
  for (const user of accounts) {
    for (let s = 0; s < perUser; s += 50) await Promise.all(Array.from({ length: Math.min(50, perUser - s) }, () => open(user, unique ? `S${n++}` : "Notified")));
  }
  console.log(`${sockets.length} sockets open and subscribed in ${((Date.now() - opening) / 1000).toFixed(1)} s`);
  await sleep(5000);
}

let answered = [];
const cpu = { server: 0, client: 0 };
async function round(actor, pace) {
  const [server0, client0] = [serverCpu(), clientCpu()];
  await Promise.all(accounts.map(async (user, i) => {
    if (pace) await sleep((i * 1000) / accounts.length);
    const at = performance.now();
    sent.set(`${actor.id}:${user.id}`, at);
    await json(`/api/users/${user.id}/follow`, { method: "PUT" }, actor.token);
    answered.push(performance.now() - at);
  }));
  const expected = users * perUser;
  for (let i = 0; i < 100 && (received.get(actor.id) ?? 0) < expected; i++) await sleep(100);
  cpu.server += serverCpu() - server0;
  cpu.client += clientCpu() - client0;
  return received.get(actor.id) ?? 0;
}
const pctOf = (values, p) => { const v = [...values].sort((a, b) => a - b); return v[Math.min(v.length - 1, Math.floor((p / 100) * v.length))].toFixed(1); };

await openAll(false);
const after = rss();
console.log(`frontend memory: ${before.toFixed(0)} MiB before the sockets, ${after.toFixed(0)} MiB with ${sockets.length} subscriptions (+${(after - before).toFixed(0)} MiB, ${(((after - before) * 1024) / sockets.length).toFixed(1)} KiB each)`);
for (const phase of phases) {
  if (phase === "unshared") {
    for (const socket of sockets) socket.terminate();
    sockets = [];
    await sleep(3000);
    await openAll(true);
  }
  const pace = phase === "paced";
  console.log(`${phase}: warm-up round: ${await round(actors.shift(), pace)} of ${users * perUser} delivered`);
  [latencies.length, answered, cpu.server, cpu.client] = [0, [], 0, 0];
  for (let r = 0; r < rounds; r++) console.log(`${phase}: round: ${await round(actors.shift(), pace)} of ${users * perUser} delivered`);
  console.log(`${phase}: the follow requests themselves (the event's cause, not its fan-out): p50 ${pctOf(answered, 50)} ms, p99 ${pctOf(answered, 99)} ms`);
  console.log(`${phase}: fan-out latency over ${latencies.length} deliveries (${rounds} rounds of ${users} notifications × ${perUser} subscriptions each): `
    + `p50 ${pctOf(latencies, 50)} ms, p99 ${pctOf(latencies, 99)} ms, max ${pctOf(latencies, 100)} ms`);
  console.log(`${phase}: CPU per round: frontend ${(cpu.server / rounds).toFixed(0)} ms, this client ${(cpu.client / rounds).toFixed(0)} ms (a round includes up to 100 ms of waiting)`);
}
for (const socket of sockets) socket.terminate();
