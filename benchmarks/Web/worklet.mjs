// The studio's live effects in headless Chromium: 32 tracks, each a looping noise buffer through the app's own
// effect-chain worklet with two effects, rendered offline so the audio thread runs as fast as it can; the wall
// time over the render quanta is the audio thread's cost per 128-frame quantum (Web Audio's own nodes included).
// Real time allows 128 / 48000 s = 2.67 ms a quantum. See ../studio-audio.sh.
import { createRequire } from "node:module";
import { createServer } from "node:http";
import { readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";

const require = createRequire(new URL("../../frontend/web/package.json", import.meta.url));
const { chromium } = require("playwright-core");
const wwwroot = new URL("../../frontend/wwwroot/", import.meta.url).pathname;
const worklet = readdirSync(join(wwwroot, "assets")).find((f) => /^chain\.worklet.*\.js$/.test(f));
const stretcher = readdirSync(join(wwwroot, "assets")).find((f) => /^stretch\.worklet.*\.js$/.test(f));
if (!worklet || !stretcher) throw new Error("No effect-chain or stretch worklet in frontend/wwwroot/assets: build the web app first.");
const types = { ".js": "text/javascript", ".html": "text/html" };
const server = createServer((req, res) => {
  const path = req.url === "/" ? "index.html" : req.url.slice(1);
  let body;
  try {
    body = readFileSync(join(wwwroot, path));
  } catch {
    return res.writeHead(404).end();
  }
  res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" }).end(body);
}).listen(0, "127.0.0.1");
await new Promise((r) => server.once("listening", r));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage();
await page.goto(base + "/");

const chains = {
  "EQ + compressor": [
    { id: "a", type: "eq-peak", parameters: { frequency: 1000, q: 1, gainDb: 4 }, fixed: [], lanes: {} },
    { id: "b", type: "compressor", parameters: { thresholdDb: -24, ratio: 4, attackMs: 5, releaseMs: 80, kneeDb: 6, makeupDb: 2 }, fixed: [], lanes: {} },
  ],
  "delay + reverb": [
    { id: "a", type: "delay", parameters: { timeMs: 250, beats: 0, feedback: 0.4, mix: 0.3 }, fixed: ["timeMs", "beats"], lanes: {} },
    { id: "b", type: "reverb", parameters: { roomSize: 0.6, damping: 0.4, mix: 0.3 }, fixed: [], lanes: {} },
  ],
  "EQ automated + limiter": [
    { id: "a", type: "eq-lowpass", parameters: { frequency: 2000, q: 0.7 }, fixed: [], lanes: { frequency: [{ time: 0, value: 200, curve: "linear" }, { time: 480000, value: 8000, curve: "linear" }] } },
    { id: "b", type: "limiter", parameters: { ceilingDb: -6, releaseMs: 50, lookaheadMs: 5 }, fixed: ["ceilingDb", "releaseMs", "lookaheadMs"], lanes: {} },
  ],
};
const tracks = 32, seconds = 10, rate = 48000;
console.log(`${tracks} tracks × 2 effects, ${seconds} s at ${rate} Hz in ${await browser.version()}; real time is 2.67 ms a quantum`);
for (const [name, effects] of Object.entries(chains)) {
  const runs = [];
  for (let run = 0; run < 3; run++) {
    runs.push(await page.evaluate(async ({ url, effects, tracks, seconds, rate }) => {
      const context = new OfflineAudioContext(2, rate * seconds, rate);
      await context.audioWorklet.addModule(url);
      const noise = context.createBuffer(2, rate, rate);
      for (let c = 0; c < 2; c++) noise.getChannelData(c).forEach((_, i, a) => (a[i] = (Math.random() * 2 - 1) * 0.3));
      for (let t = 0; t < tracks; t++) {
        const source = context.createBufferSource();
        [source.buffer, source.loop] = [noise, true];
        const node = new AudioWorkletNode(context, "effect-chain", {
          numberOfInputs: 5, outputChannelCount: [2], channelCount: 2, channelCountMode: "explicit",
          processorOptions: { projectRate: rate, message: { tempo: 120, effects, passes: [{ frame: 0, from: 0 }] } },
        });
        source.connect(node).connect(context.destination);
        source.start();
      }
      const start = performance.now();
      await context.startRendering();
      return performance.now() - start;
    }, { url: `${base}/assets/${worklet}`, effects, tracks, seconds, rate }));
  }
  const best = Math.min(...runs);
  const perQuantum = best / ((seconds * rate) / 128);
  console.log(`${name.padEnd(24)} ${perQuantum.toFixed(3)} ms a quantum (best of 3), ${(2.667 / perQuantum).toFixed(1)}× real time`);
}
// Clips that follow the tempo or are transposed: each plays through its own stretcher worklet (WSOLA), here 32 at
// once, 1.25× as long and 2 semitones up, from a 10 s source of tones and noise; then the same keeping their formants.
for (const formants of [false, true]) {
  const stretched = [];
  for (let run = 0; run < 3; run++) {
    stretched.push(await page.evaluate(async ({ url, tracks, seconds, rate, formants }) => {
      const context = new OfflineAudioContext(2, rate * seconds, rate);
      await context.audioWorklet.addModule(url);
      const source = [0, 1].map(() => Float32Array.from({ length: rate * seconds }, (_, i) => 0.2 * Math.sin((2 * Math.PI * 220 * i) / rate) + (Math.random() * 2 - 1) * 0.05));
      for (let t = 0; t < tracks; t++) {
        const node = new AudioWorkletNode(context, "clip-stretch", {
          numberOfInputs: 0, outputChannelCount: [2],
          processorOptions: { source, from: 0, ratio: 1.25, semitones: 2, formants, start: 0, frames: rate * seconds },
        });
        node.connect(context.destination);
      }
      const start = performance.now();
      await context.startRendering();
      return performance.now() - start;
    }, { url: `${base}/assets/${stretcher}`, tracks, seconds, rate, formants }));
  }
  const perQuantum = Math.min(...stretched) / ((seconds * rate) / 128);
  const name = formants ? "stretched, formants kept" : "stretched clips";
  console.log(`${name.padEnd(24)} ${perQuantum.toFixed(3)} ms a quantum (best of 3), ${(2.667 / perQuantum).toFixed(1)}× real time`);
}
await browser.close();
server.close();
