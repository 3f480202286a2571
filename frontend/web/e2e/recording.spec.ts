// Recording in the studio. Headless Chromium has no speakers and no microphone, so two stand-ins:
// - a loopback: the page's microphone is what the page plays, through a 30 ms delay (a "room"), so the calibration
//   has a real echo to measure and a take of the project's own clicks must land on them (±1 ms);
// - Chromium's fake capture device playing a file of clicks every quarter second: the take goes up while it is
//   recorded, survives the browser going offline, keeps every sample (the clicks stay a quarter second apart), and a
//   second take over it makes a take lane.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { chromiumArgs } from "../playwright.config";
import { decode, register, signIn, type Account } from "./helpers";

const rate = 48000;

// Chromium's fake microphone plays this file (the loopback test replaces the microphone in the page instead).
const fakeMicrophone = join(tmpdir(), `jacameno-e2e-microphone-${process.pid}.wav`);
test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [...chromiumArgs, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${fakeMicrophone}`],
  },
});

/** A 16-bit mono WAV with a 48-sample click (one sine period) every `period` seconds. */
function clickTrack(seconds: number, period: number, channels = 1): Buffer {
  const frames = Math.round(seconds * rate);
  const buffer = Buffer.alloc(44 + frames * 2 * channels);
  buffer.write("RIFF", 0);
  buffer.writeUInt32LE(36 + frames * 2 * channels, 4);
  buffer.write("WAVEfmt ", 8);
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20);
  buffer.writeUInt16LE(channels, 22);
  buffer.writeUInt32LE(rate, 24);
  buffer.writeUInt32LE(rate * 2 * channels, 28);
  buffer.writeUInt16LE(2 * channels, 32);
  buffer.writeUInt16LE(16, 34);
  buffer.write("data", 36);
  buffer.writeUInt32LE(frames * 2 * channels, 40);
  const step = Math.round(period * rate);
  for (let i = 0; i < frames; i++) {
    const v = i % step < 48 ? Math.round(24000 * Math.sin((2 * Math.PI * (i % step)) / 48)) : 0;
    for (let c = 0; c < channels; c++) buffer.writeInt16LE(v, 44 + (i * channels + c) * 2);
  }
  return buffer;
}

/** Where each click starts, in seconds: the first sample above a threshold after 10 ms of quiet. */
function onsets(x: Float64Array, sampleRate: number, threshold = 0.2): number[] {
  const found: number[] = [];
  let quiet = Infinity;
  for (let i = 0; i < x.length; i++) {
    if (Math.abs(x[i]) >= threshold) {
      if (quiet >= sampleRate * 0.01) found.push(i / sampleRate);
      quiet = 0;
    } else quiet++;
  }
  return found;
}

const sampleRateOf = (wav: Buffer) => wav.readUInt32LE(24);

// Long enough not to loop during the test: Chromium joins the end of a looping file to its start with a gap.
writeFileSync(fakeMicrophone, clickTrack(60, 0.25));

async function studio(request: APIRequestContext, ann: Account, clicks?: Buffer) {
  const headers = { authorization: `Bearer ${ann.accessToken}` };
  const projectId = (await (await request.post("/api/projects", { data: { name: "Session", sampleRate: rate, tempo: 120 }, headers })).json()).id as string;
  const vocal = crypto.randomUUID();
  const op = (kind: string, payload: object) => ({ clientId: "e2e", opId: crypto.randomUUID(), baseVersion: 0, kind, payload });
  const ops = [op("track.add", { trackId: vocal, name: "Vocal", kind: "audio" })];
  if (clicks) {
    const asset = await (await request.post("/api/assets?fileName=clicks.wav", { headers, data: clicks })).json();
    await expect.poll(async () => (await (await request.get(`/api/assets/${asset.id}`, { headers })).json()).status, { timeout: 60_000 }).toBe("ready");
    const track = crypto.randomUUID();
    ops.push(op("track.add", { trackId: track, name: "Clicks", kind: "audio" }), op("clip.add", { trackId: track, start: 0, length: (clicks.length - 44) / 2, assetId: asset.id }));
  }
  const applied = await request.post(`/api/projects/${projectId}/ops`, { headers, data: { ops } });
  expect(applied.status(), await applied.text()).toBe(200);
  return { projectId, vocal, headers };
}

type Clip = { id: string; start: number; length: number; assetId: string; muted: boolean };

/** The vocal track's clips once there are `count` of them. */
async function takes(request: APIRequestContext, s: Awaited<ReturnType<typeof studio>>, count: number): Promise<Clip[]> {
  let clips: Clip[] = [];
  await expect.poll(async () => {
    const project = await (await request.get(`/api/projects/${s.projectId}`, { headers: s.headers })).json();
    clips = project.tracks.find((t: { id: string }) => t.id === s.vocal).clips;
    return clips.length;
  }, { timeout: 60_000 }).toBe(count);
  return clips;
}

async function recordFor(page: Page, seconds: number, during?: () => Promise<void>) {
  await page.getByRole("button", { name: "Record", exact: true }).click();
  await expect(page.getByRole("button", { name: "Stop recording" })).toBeVisible();
  await page.waitForTimeout(2300); // the count-in: a bar of 4/4 at 120 BPM, and the lead before it
  await during?.();
  await page.waitForTimeout(seconds * 1000);
  await page.getByRole("button", { name: "Stop recording" }).click();
}

test.describe("through a loopback", () => {
  test.beforeEach(async ({ page }) => {
    // The room: whatever the page plays reaches its "microphone" 30 ms later (plus what the browser adds).
    await page.addInitScript(() => {
      const contexts: AudioContext[] = [];
      const Native = window.AudioContext;
      window.AudioContext = class extends Native {
        constructor(options?: AudioContextOptions) {
          super(options);
          contexts.push(this);
        }
      };
      const rooms = new Map<BaseAudioContext, { input: DelayNode; stream: MediaStream }>();
      const roomOf = (context: BaseAudioContext) => {
        let room = rooms.get(context);
        if (!room) {
          const input = context.createDelay(1);
          input.delayTime.value = 0.03;
          const out = (context as AudioContext).createMediaStreamDestination();
          connect.call(input, out);
          room = { input, stream: out.stream };
          rooms.set(context, room);
        }
        return room;
      };
      const connect = AudioNode.prototype.connect as (this: AudioNode, ...args: unknown[]) => unknown;
      AudioNode.prototype.connect = function (this: AudioNode, ...args: unknown[]) {
        const result = connect.apply(this, args);
        if (args[0] instanceof AudioDestinationNode && contexts.includes(this.context as AudioContext)) connect.call(this, roomOf(this.context).input);
        return result;
      } as typeof AudioNode.prototype.connect;
      navigator.mediaDevices.getUserMedia = async () => roomOf(contexts[contexts.length - 1]).stream.clone();
    });
  });

  test("the calibration measures the round trip, and a take of what was played lands on it within 1 ms", async ({ page, request }) => {
    test.setTimeout(180_000);
    const ann = await register(request, "Rec");
    const clicks = clickTrack(8, 0.5);
    const s = await studio(request, ann, clicks);
    await signIn(page, ann);
    await page.goto(`/projects/${s.projectId}`);
    await page.getByRole("button", { name: "Arm Vocal" }).click();
    await page.getByRole("button", { name: "Calibrate" }).click();
    await expect.poll(() => page.evaluate(() => Number(localStorage.getItem("jacameno.recording.latency"))), { timeout: 15_000 }).toBeGreaterThan(0.029);
    const latency = await page.evaluate(() => Number(localStorage.getItem("jacameno.recording.latency")));
    console.log(`calibrated round trip: ${(latency * 1000).toFixed(2)} ms (30 ms of it the room's delay)`);
    expect(latency).toBeLessThan(0.2);

    await recordFor(page, 3);
    const [take] = await takes(request, s, 1);
    expect(take.start).toBe(0);
    const audio = await (await request.get(`/api/projects/${s.projectId}/assets/${take.assetId}/audio`, { headers: s.headers })).body();
    const heard = onsets(decode(audio)[0], sampleRateOf(audio));
    const played = onsets(decode(clicks)[0], rate);
    expect(heard.length).toBeGreaterThanOrEqual(6);
    const errors = heard.map((t) => Math.min(...played.map((p) => Math.abs(p - t))));
    console.log(`take clicks off the project's by at most ${(Math.max(...errors) * 1000).toFixed(3)} ms (${heard.length} clicks)`);
    expect(Math.max(...errors)).toBeLessThan(0.001);
    // The clip is as long as what was recorded: the 3 s after the count-in and a little more.
    expect(take.length / rate).toBeGreaterThan(2.9);
    expect(take.length / rate).toBeLessThan(6);
    expect(Math.abs(decode(audio)[0].length / sampleRateOf(audio) - take.length / rate)).toBeLessThan(0.001);
  });
});

test.describe("from Chromium's fake microphone", () => {
  test("a take goes up while recorded, survives going offline with every sample, and a second take stacks in a take lane", async ({ page, context, request }) => {
    test.setTimeout(180_000);
    const ann = await register(request, "Mic");
    const s = await studio(request, ann);
    await signIn(page, ann);
    await page.goto(`/projects/${s.projectId}`);
    await page.getByRole("button", { name: "Arm Vocal" }).click();
    // No loopback here: the calibration says so instead of measuring nonsense.
    await page.getByRole("button", { name: "Calibrate" }).click();
    await expect(page.getByRole("alert")).toContainText("not heard back");

    const uploads: string[] = [];
    page.on("request", (r) => r.url().includes("/api/uploads") && uploads.push(`${r.method()} ${r.headers()["upload-length"] ?? ""}`));
    await recordFor(page, 4, async () => {
      await page.waitForTimeout(1000);
      // Bytes were sent before recording stopped (and before the connection drops).
      expect(uploads.filter((u) => u.startsWith("PATCH")).length).toBeGreaterThan(0);
      await context.setOffline(true);
      await page.waitForTimeout(2500);
      await context.setOffline(false);
    });
    const [first] = await takes(request, s, 1);
    const audio = await (await request.get(`/api/projects/${s.projectId}/assets/${first.assetId}/audio`, { headers: s.headers })).body();
    const heard = onsets(decode(audio)[0], sampleRateOf(audio));
    const gaps = heard.slice(1).map((t, i) => t - heard[i]);
    console.log(`take of ${(first.length / rate).toFixed(2)} s: ${heard.length} clicks, spacing ${Math.min(...gaps).toFixed(5)} to ${Math.max(...gaps).toFixed(5)} s`);
    expect(heard.length).toBeGreaterThanOrEqual(14);
    for (const gap of gaps) expect(Math.abs(gap - 0.25)).toBeLessThan(0.001);

    // A second take over the first (the playhead back at the start): it plays, the first is muted; the take lane picks
    // the first again.
    await page.getByLabel(/^Ruler/).click({ position: { x: 1, y: 5 } });
    await recordFor(page, 1);
    const both = await takes(request, s, 2);
    const second = both.find((c) => c.id !== first.id)!;
    expect([both.find((c) => c.id === first.id)!.muted, second.muted]).toEqual([true, false]);
    await page.getByRole("button", { name: "Clip Take 2.wav" }).click();
    const lane = page.getByRole("region", { name: "Takes" });
    await expect(lane.getByRole("button")).toHaveCount(2);
    await lane.getByRole("button", { name: "Take 1" }).click();
    await expect.poll(async () => (await takes(request, s, 2)).map((c) => `${c.id === first.id}:${c.muted}`).sort()).toEqual(["false:true", "true:false"]);
  });
});
