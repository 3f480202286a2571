// The panel against a stubbed API: tabs, a mastering job from the Master button to the A/B player, an
// auto-mix proposal applied as ops, and a failed job's reason shown in plain words.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AiPanel } from "./AiPanel";

vi.mock("../api/hub", () => ({ on: () => () => undefined }));

const assets = [
  { id: "a1", fileName: "vocals.wav" },
  { id: "a2", fileName: "drums.wav" },
];

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

/** Any AI job request starts job-1, which reads back as `finishedJob`; ops are acknowledged as applied. */
function stubApi(finishedJob: Record<string, unknown>) {
  const calls: { url: string; method: string; body: unknown }[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const body = init.body ? JSON.parse(String(init.body)) : undefined;
      calls.push({ url, method: init.method ?? "GET", body });
      if (url.startsWith("/api/ai/")) return json({ id: "job-1", status: "queued", progress: 0, stage: "queued", result: null, error: null }, 202);
      if (url === "/api/jobs/job-1") return json({ id: "job-1", ...finishedJob });
      if (url.endsWith("/audio")) return new Response(new Blob(["mp3"], { type: "audio/mpeg" }));
      if (url.endsWith("/ops")) return json({ acks: body.ops.map((op: { opId: string }) => ({ opId: op.opId, status: "applied", reason: null })) });
      return json({ title: "Not found" }, 404);
    }),
  );
  return calls;
}

const loudness = (lufs: number) => ({ integratedLufs: lufs, loudnessRangeLu: 3, truePeakDbtp: -1.2, samplePeakDbfs: -1.3 });

const succeeded = {
  status: "succeeded",
  progress: 100,
  stage: "done",
  error: null,
  result: {
    outputs: { master: "m", masterMp3: "m3", previewBefore: "pb", previewAfter: "pa" },
    report: {
      target: { lufs: -14, truePeakDbtp: -1 },
      style: "warm",
      intensity: 0.5,
      before: loudness(-20),
      after: loudness(-14),
      equalizer: [{ hz: 63, gainDb: 2 }],
      compressor: { thresholdDb: -14.4, ratio: 1.5 },
      width: 1,
      gainDb: 6.4,
      iterations: 1,
      referenceMatched: false,
      preview: { startSeconds: 0, seconds: 30, loudnessLufs: -14 },
    },
  },
};

beforeEach(() => {
  vi.spyOn(URL, "createObjectURL").mockReturnValue("blob:preview");
  vi.spyOn(URL, "revokeObjectURL").mockReturnValue(undefined);
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("AiPanel", () => {
  it("has the four tabs and shows one panel at a time", () => {
    stubApi(succeeded);
    render(<AiPanel projectId="p1" assets={assets} />);
    expect(screen.getAllByRole("tab").map((tab) => tab.textContent)).toEqual(["Analysis", "Mastering", "Auto-mix", "Lyrics"]);
    fireEvent.click(screen.getByRole("tab", { name: "Lyrics" }));
    expect(screen.getByRole("tab", { name: "Lyrics" }).getAttribute("aria-selected")).toBe("true");
    expect(screen.getByRole("button", { name: "Write lyrics" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Master" })).toBeNull();
  });

  it("masters the chosen source and offers the before/after previews", async () => {
    const calls = stubApi(succeeded);
    render(<AiPanel projectId="p1" assets={assets} />);
    fireEvent.click(screen.getByRole("tab", { name: "Mastering" }));
    fireEvent.change(screen.getByLabelText("Source"), { target: { value: "a2" } });
    fireEvent.click(screen.getByRole("button", { name: "Master" }));

    expect(await screen.findByLabelText("After")).toBeTruthy();
    expect(screen.getByRole("progressbar", { name: "Mastering" }).getAttribute("aria-valuenow")).toBe("100");
    await waitFor(() => expect(screen.getByLabelText("Before").getAttribute("src")).toBe("blob:preview"));
    expect(screen.getByText("-20.0 LUFS")).toBeTruthy();
    const posted = calls.find((call) => call.url === "/api/ai/mastering");
    expect(posted?.body).toMatchObject({ assetId: "a2", target: { lufs: -14, truePeakDbtp: -1 }, style: "balanced" });
    expect(calls.map((call) => call.url)).toContain("/api/assets/pa/audio");
  });

  it("masters the project's mix when chosen", async () => {
    const calls = stubApi(succeeded);
    render(<AiPanel projectId="p1" assets={assets} />);
    fireEvent.click(screen.getByRole("tab", { name: "Mastering" }));
    fireEvent.change(screen.getByLabelText("Source"), { target: { value: "project" } });
    fireEvent.click(screen.getByRole("button", { name: "Master" }));
    await screen.findByLabelText("After");
    expect(calls.find((call) => call.url === "/api/ai/mastering")?.body).toMatchObject({ projectId: "p1" });
  });

  it("lists the auto-mix proposal in words and applies it as ops on the measured version", async () => {
    const calls = stubApi({
      status: "succeeded",
      progress: 100,
      stage: "done",
      error: null,
      result: {
        outputs: {},
        report: {
          projectId: "p1",
          version: 4,
          targetTrackLufs: -21,
          tracks: [{ trackId: "t1", name: "Melody", loudnessLufs: -17.41, role: "lead", volumeDb: -3.5, pan: 0, highPassHz: 100, cutsHz: [] }],
          master: { glueCompressor: false },
          ops: [
            { kind: "track.set", payload: { trackId: "t1", volumeDb: -3.5, pan: 0 } },
            { kind: "effect.add", payload: { type: "eq-highpass", trackId: "t1", parameters: { frequency: 100, q: 0.707 } } },
          ],
        },
      },
    });
    render(<AiPanel projectId="p1" assets={assets} />);
    fireEvent.click(screen.getByRole("tab", { name: "Auto-mix" }));
    fireEvent.click(screen.getByRole("button", { name: "Propose a mix" }));
    expect(await screen.findByText("Melody: volume -3.5 dB, pan centre")).toBeTruthy();
    expect(screen.getByText("Melody: add a high-pass filter at 100 Hz")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Apply changes" }));
    expect(await screen.findByText(/Applied 2 changes\./)).toBeTruthy();
    const submitted = calls.find((call) => call.url === "/api/projects/p1/ops")?.body as { ops: { opId: string; baseVersion: number; clientId: string }[] };
    expect(submitted.ops.map((op) => [op.clientId, op.opId, op.baseVersion])).toEqual([
      ["automix-job-1", "1", 4],
      ["automix-job-1", "2", 4],
    ]);
  });

  it("shows why a job failed", async () => {
    stubApi({ status: "failed", progress: 0, stage: "running", result: null, error: "The audio is silent (below the -70 LUFS gate); there is nothing to analyse." });
    render(<AiPanel projectId="p1" assets={assets} />);
    fireEvent.click(screen.getByRole("tab", { name: "Mastering" }));
    fireEvent.click(screen.getByRole("button", { name: "Master" }));
    expect((await screen.findByRole("alert")).textContent).toContain("The audio is silent");
  });
});
