// Measures the web app in headless Chromium against a running platform; see ../web.sh.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";

const require = createRequire(new URL("../../frontend/web/package.json", import.meta.url));
const { chromium } = require("playwright-core");
const [base, loadsArg, out] = process.argv.slice(2);
const loads = Number(loadsArg);
const wwwroot = new URL("../../frontend/wwwroot/", import.meta.url).pathname;
const args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args });
const pct = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
const ms = (v) => `${v.toFixed(1)} ms`;

// --- the first page ------------------------------------------------------------------------------------
const ttis = [];
const fcps = [];
let first = null;
for (let i = 0; i < loads; i++) {
  const context = await browser.newContext(); // a cold cache every time
  const page = await context.newPage();
  const files = [];
  page.on("response", async (r) => {
    const url = new URL(r.url());
    if (url.origin === base && !url.pathname.startsWith("/api") && r.request().resourceType() !== "websocket")
      files.push({ path: url.pathname, encoding: r.headers()["content-encoding"] ?? "identity", wire: Number(r.headers()["content-length"] ?? 0) });
  });
  await page.goto(base + "/", { waitUntil: "commit" });
  await page.getByLabel("Search releases").waitFor({ state: "visible" });
  // Interactive: the search box takes a query and the app reacts to it (its Search button is enabled).
  await page.getByLabel("Search releases").fill("x");
  const tti = await page.evaluate(() => performance.now());
  ttis.push(tti);
  fcps.push(await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN));
  await page.waitForLoadState("networkidle");
  first ??= files;
  await context.close();
}
const rows = first.map((f) => {
  const local = f.path === "/" ? "index.html" : f.path.slice(1);
  const raw = readFileSync(join(wwwroot, local));
  return { ...f, raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length };
});
const sum = (key) => rows.reduce((s, r) => s + r[key], 0);
console.log("first page (/): files a cold visit downloads");
for (const r of rows) console.log(`  ${r.path.padEnd(42)} ${String(r.raw).padStart(7)} B raw  ${String(r.gzip).padStart(6)} B gzip  ${String(r.wire).padStart(6)} B sent (${r.encoding})`);
console.log(`  total: ${(sum("raw") / 1024).toFixed(1)} KiB raw, ${(sum("gzip") / 1024).toFixed(1)} KiB gzip, ${(sum("wire") / 1024).toFixed(1)} KiB sent`);
console.log(`  editor chunk loaded by the first page: ${rows.some((r) => r.path.includes("EditorPage")) ? "YES" : "no"}`);
console.log(`time to interactive, ${loads} cold loads: median ${ms(pct(ttis, 50))}, min ${ms(Math.min(...ttis))}, max ${ms(Math.max(...ttis))} (from navigation start to the search box taking a query)`);
console.log(`first contentful paint: median ${ms(pct(fcps, 50))}`);

// --- the editor with 50 tracks × 40 clips ----------------------------------------------------------------
const api = async (path, token, body, method = "POST", type = "application/json") => {
  const response = await fetch(base + path, { method, headers: { "Content-Type": type, ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: type === "application/json" ? JSON.stringify(body) : body });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
};
const email = `bench-${Date.now()}@example.org`;
const { accessToken, refreshToken, expiresIn, user } = await api("/api/auth/register", null, { email, password: "benchmark pass", displayName: "Bench" });
const wav = readFileSync(process.env.BENCH_WAV);
const asset = await api("/api/assets?fileName=loop.wav", accessToken, wav, "POST", "audio/wav");
while ((await api(`/api/assets/${asset.id}`, accessToken, undefined, "GET")).status === "processing") await new Promise((r) => setTimeout(r, 200));
const project = await api("/api/projects", accessToken, { name: "Big session", tempo: 120 });
const ops = [];
let n = 0;
const op = (kind, payload) => ({ clientId: "bench", opId: String(++n), baseVersion: 0, kind, payload });
const trackIds = Array.from({ length: 50 }, () => crypto.randomUUID());
trackIds.forEach((trackId, t) => ops.push(op("track.add", { trackId, name: `Track ${t + 1}` })));
for (const trackId of trackIds) for (let c = 0; c < 40; c++) ops.push(op("clip.add", { trackId, start: c * 96000, length: 90000, assetId: asset.id }));
for (let i = 0; i < ops.length; i += 100) await api(`/api/projects/${project.id}/ops`, accessToken, { ops: ops.slice(i, i + 100) });

const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
await context.addInitScript(([session]) => localStorage.setItem("jacameno.session", session), [JSON.stringify({ accessToken, refreshToken, expiresAt: Date.now() + expiresIn * 1000, user })]);
const page = await context.newPage();
const opened = Date.now();
await page.goto(`${base}/projects/${project.id}`);
await page.locator(".clip").first().waitFor({ state: "visible", timeout: 60_000 });
const drawnAt = Date.now() - opened;
const mounted = await page.locator(".clip").count();
console.log(`editor, 50 tracks × 40 clips: the first screen of clips drawn ${drawnAt} ms after navigation (${mounted} of 2000 clips in the page: those in and near view)`);
await page.waitForTimeout(1500); // waveforms in

/** Frame intervals (requestAnimationFrame) and long tasks while `action` runs. */
async function frames(name, action) {
  await page.evaluate(() => {
    window.__frames = [];
    window.__long = 0;
    window.__observer?.disconnect();
    window.__observer = new PerformanceObserver((list) => (window.__long += list.getEntries().length));
    window.__observer.observe({ type: "longtask" });
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (window.__frames) window.__raf = requestAnimationFrame(tick);
    };
    window.__raf = requestAnimationFrame(tick);
  });
  await action();
  const { intervals, long } = await page.evaluate(() => {
    cancelAnimationFrame(window.__raf);
    return { intervals: window.__frames.slice(1), long: window.__long };
  });
  const over = intervals.filter((f) => f > 50).length;
  console.log(`  ${name.padEnd(34)} ${intervals.length} frames: p50 ${ms(pct(intervals, 50))}, p95 ${ms(pct(intervals, 95))}, max ${ms(Math.max(...intervals))}; ${over} over 50 ms; ${long} long tasks`);
}

await context.tracing.start({ screenshots: true, snapshots: false });
await browser.startTracing(page, { path: join(out, "editor-trace.json"), categories: ["devtools.timeline", "disabled-by-default-devtools.timeline.frame"] });
console.log("editor frame intervals (60 Hz display: 16.7 ms is every frame):");
await frames("scrolling the arrangement 3 s", async () => {
  await page.evaluate(async () => {
    const arrangement = document.querySelector(".arrangement");
    const end = performance.now() + 3000;
    while (performance.now() < end) {
      arrangement.scrollLeft += 40;
      arrangement.scrollTop = (arrangement.scrollTop + 15) % 2500;
      await new Promise(requestAnimationFrame);
    }
  });
});
await frames("zooming in and out 6 steps", async () => {
  for (const key of ["+", "+", "+", "-", "-", "-"]) {
    await page.keyboard.press(key);
    await page.waitForTimeout(150);
  }
});
await frames("dragging a clip across 60 steps", async () => {
  const clip = page.locator(".clip").first();
  const box = await clip.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 60; i++) await page.mouse.move(box.x + box.width / 2 + i * 4, box.y + box.height / 2);
  await page.mouse.up();
  await page.waitForTimeout(300);
});
await frames("a collaborator's 100 ops arriving", async () => {
  const moves = Array.from({ length: 100 }, (_, i) => ({ clientId: "peer", opId: `m${i}`, baseVersion: 0, kind: "track.set", payload: { trackId: trackIds[i % 50], volumeDb: -(i % 12) } }));
  for (let i = 0; i < 100; i += 10) {
    await api(`/api/projects/${project.id}/ops`, accessToken, { ops: moves.slice(i, i + 10) });
    await page.waitForTimeout(50);
  }
  await page.waitForTimeout(500);
});
await browser.stopTracing();
await context.tracing.stop({ path: join(out, "editor-playwright-trace.zip") });
console.log(`traces: ${join(out, "editor-trace.json")} (chrome://tracing), ${join(out, "editor-playwright-trace.zip")} (npx playwright show-trace)`);
await browser.close();
