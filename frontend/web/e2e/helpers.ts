// Shared steps of the end-to-end tests: accounts, a WAV made on the spot, screenshots.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, type APIRequestContext, type Page } from "@playwright/test";

export const password = "correct horse battery";

/** A 16-bit stereo WAV: a sine with a beat every half second, so waveforms and meters have something to show. */
export function wav(seconds: number, frequency = 440, sampleRate = 44100): Buffer {
  const frames = Math.round(seconds * sampleRate);
  const buffer = Buffer.alloc(44 + frames * 4);
  buffer.write("RIFF", 0);
  buffer.writeUInt32LE(36 + frames * 4, 4);
  buffer.write("WAVEfmt ", 8);
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20);
  buffer.writeUInt16LE(2, 22);
  buffer.writeUInt32LE(sampleRate, 24);
  buffer.writeUInt32LE(sampleRate * 4, 28);
  buffer.writeUInt16LE(4, 32);
  buffer.writeUInt16LE(16, 34);
  buffer.write("data", 36);
  buffer.writeUInt32LE(frames * 4, 40);
  for (let i = 0; i < frames; i++) {
    const t = i / sampleRate;
    const beat = Math.exp(-((t % 0.5) * 20));
    const v = Math.round(12000 * Math.sin(2 * Math.PI * frequency * t) * (0.4 + 0.6 * beat));
    buffer.writeInt16LE(v, 44 + i * 4);
    buffer.writeInt16LE(v, 46 + i * 4);
  }
  return buffer;
}

/**
 * The channels of a WAV file as numbers: 16/24/32-bit integer or 32-bit float PCM. A data size past the end of the
 * file (a streamed WAV, 0xFFFFFFFF) means the samples run to the end.
 */
export function decode(bytes: Buffer): Float64Array[] {
  let at = 12;
  let format = 1, channels = 2, bits = 16;
  while (at < bytes.length) {
    const [id, size] = [bytes.toString("ascii", at, at + 4), Math.min(bytes.readUInt32LE(at + 4), bytes.length - at - 8)];
    if (id === "fmt ") {
      format = bytes.readUInt16LE(at + 8);
      channels = bytes.readUInt16LE(at + 10);
      bits = bytes.readUInt16LE(at + 22);
      if (format === 0xfffe) format = bytes.readUInt16LE(at + 32); // WAVE_FORMAT_EXTENSIBLE: the sub-format's tag
    }
    if (id === "data") {
      const width = bits / 8;
      const frames = Math.floor(size / (width * channels));
      const out = Array.from({ length: channels }, () => new Float64Array(frames));
      for (let f = 0; f < frames; f++) {
        for (let c = 0; c < channels; c++) {
          const p = at + 8 + (f * channels + c) * width;
          out[c][f] = format === 3 ? bytes.readFloatLE(p) : bits === 16 ? bytes.readInt16LE(p) / 32768 : bits === 24 ? bytes.readIntLE(p, 3) / 8388608 : bytes.readInt32LE(p) / 2147483648;
        }
      }
      return out;
    }
    at += 8 + size + (size % 2);
  }
  throw new Error("no data chunk");
}

export interface Account { email: string; displayName: string; id: string; accessToken: string }

/** Signs up through the API and, unless `verified` is false, confirms the address by the mailed link, as its owner would. */
export async function register(request: APIRequestContext, displayName: string, email = `${displayName.toLowerCase()}-${Date.now()}@e2e.test`,
  verified = true): Promise<Account> {
  const registered = await request.post("/api/auth/register", { data: { email, password, displayName } });
  expect(registered.status(), await registered.text()).toBe(202);
  if (verified) {
    const token = new URLSearchParams((await mailedLink(email, "/verify-email")).split("?")[1]).get("token");
    const confirmed = await request.post("/api/auth/verify-email", { data: { token } });
    expect(confirmed.status(), await confirmed.text()).toBe(200);
  }
  const response = await request.post("/api/auth/login", { data: { email, password } });
  expect(response.status(), await response.text()).toBe(200);
  const body = await response.json();
  return { email, displayName, id: body.user.id, accessToken: body.accessToken };
}

export async function signIn(page: Page, account: Pick<Account, "email">) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: false });
}

/**
 * The path and query of the newest link to `path` mailed to `email`: embedded mode writes mails as .eml files
 * under its data folder (quoted-printable is undone here, as a mail client would).
 */
export async function mailedLink(email: string, path: string): Promise<string> {
  const folder = join(process.env.JACAMENO_E2E_DATA ?? "", "mail");
  for (let attempt = 0; attempt < 100; attempt++) {
    const files = existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith(".eml")).sort().reverse() : [];
    for (const file of files) {
      const raw = readFileSync(join(folder, file), "latin1");
      // Decoded only when the mail is quoted-printable: decoding a plain one would turn "token=F3…" into another
      // character.
      const text = /quoted-printable/i.test(raw)
        ? raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
        : raw;
      const link = text.match(new RegExp(`https?://[^\\s"<>]*${path}\\?token=[A-Za-z0-9_-]+`));
      if (text.toLowerCase().includes(email.toLowerCase()) && link) {
        const url = new URL(link[0]);
        return url.pathname + url.search;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`No mail with a ${path} link reached ${email}.`);
}

/** A public release of a short tone, published through the API as an artist would through the app. */
export async function release(request: APIRequestContext, artist: Account, title: string): Promise<string> {
  const headers = { Authorization: `Bearer ${artist.accessToken}` };
  const asset = await (await request.post("/api/assets?fileName=tone.wav", { headers, data: wav(4, 330) })).json();
  await expect.poll(async () => (await (await request.get(`/api/assets/${asset.id}`, { headers })).json()).status, { timeout: 60_000 }).toBe("ready");
  const published = await request.post("/api/releases", { headers, data: { assetId: asset.id, title } });
  expect(published.status(), await published.text()).toBe(202);
  const { release, jobId } = await published.json();
  await expect.poll(async () => (await (await request.get(`/api/jobs/${jobId}`, { headers })).json()).status, { timeout: 120_000 }).toBe("succeeded");
  return release.id;
}

/** The server's render of the project, as 32-bit float WAV. */
export async function serverMix(request: APIRequestContext, ann: Account, projectId: string): Promise<Float64Array[]> {
  const headers = { authorization: `Bearer ${ann.accessToken}` };
  const started = await request.post(`/api/projects/${projectId}/renders`, { data: { format: "wav", bitDepth: 32 }, headers });
  expect(started.status(), await started.text()).toBe(202);
  const jobId = (await started.json()).id as string;
  let job: { status: string; result?: { outputs: { mix: string } } } = { status: "queued" };
  await expect.poll(async () => {
    job = await (await request.get(`/api/jobs/${jobId}`, { headers })).json();
    return job.status;
  }, { timeout: 120_000 }).toBe("succeeded");
  return decode(await (await request.get(`/api/assets/${job.result!.outputs.mix}/audio`, { headers })).body());
}

/** The studio's own mix of the project, made in the page. */
export async function browserMix(page: Page, projectId: string): Promise<Float64Array[]> {
  await page.goto(`/projects/${projectId}`);
  await page.getByRole("tab", { name: /export/i }).click();
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Mix in the browser" }).click();
  return decode(readFileSync((await (await download).path())!));
}

export const energy = (x: Float64Array, from = 0, to = x.length) => x.subarray(from, to).reduce((s, v) => s + v * v, 0);

/** Uploads a WAV as the account and waits until it is processed; its asset id. */
export async function uploaded(request: APIRequestContext, ann: Account, name: string, audio: Buffer): Promise<string> {
  const headers = { authorization: `Bearer ${ann.accessToken}` };
  const asset = await (await request.post(`/api/assets?fileName=${name}.wav`, { headers, data: audio })).json();
  await expect.poll(async () => (await (await request.get(`/api/assets/${asset.id}`, { headers })).json()).status, { timeout: 60_000 }).toBe("ready");
  return asset.id as string;
}
