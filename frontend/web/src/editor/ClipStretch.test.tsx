// The clip's time-and-pitch form: values checked before they are sent, one clip.stretch op with all of them.
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ClipStretch, detectedTempo, stretchOp } from "./ClipStretch";
import type { Clip, Project } from "./model";

// Jobs are followed by polling here (the hub is the live path).
vi.mock("../api/hub", () => ({ on: () => () => undefined }));

const clip = {
  id: "c", start: 0, length: 48000, assetId: "a", offset: 0, gainDb: 0, muted: false, notes: [],
  fadeIn: { length: 0, curve: "linear" }, fadeOut: { length: 0, curve: "linear" },
  sourceTempo: null, transpose: 0, cents: 0, preserveFormants: false,
} as Clip;
const project = { tempo: 120 } as Project;

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("clip time and pitch", () => {
  it("sends one clip.stretch with the tempo, semitones, cents and formants", () => {
    const onEdit = vi.fn();
    render(<ClipStretch project={project} clip={clip} canEdit onEdit={onEdit} />);
    fireEvent.change(screen.getByLabelText("Played at (BPM)"), { target: { value: "90" } });
    fireEvent.change(screen.getByLabelText("Transpose"), { target: { value: "-3" } });
    fireEvent.click(screen.getByLabelText("Keep formants"));
    expect(screen.getByText("follows the project's 120 BPM")).toBeTruthy();
    fireEvent.click(screen.getByText("Apply"));
    expect(onEdit).toHaveBeenCalledWith({ kind: "clip.stretch", payload: { clipId: "c", sourceTempo: 90, transpose: -3, cents: 0, preserveFormants: true } });
  });

  it("refuses values the server would refuse, with the reason", () => {
    expect(stretchOp("c", "1000", "0", "0", false)).toMatch(/20 to 400/);
    expect(stretchOp("c", "", "1.5", "0", false)).toMatch(/whole number of semitones/);
    expect(stretchOp("c", "", "0", "-101", false)).toMatch(/Cents/);
    expect(stretchOp("c", "", "", "", false)).toEqual({ kind: "clip.stretch", payload: { clipId: "c", sourceTempo: null, transpose: 0, cents: 0, preserveFormants: false } });
  });

  it("detects the tempo the clip was played at: a loop's exact one, else the estimate", async () => {
    expect(detectedTempo({ tempoBpm: 94.1, loop: { bpm: 93.75, beats: 8 } } as never)).toBe(93.75);
    expect(detectedTempo({ tempoBpm: 94.1, loop: { bpm: null, beats: null } } as never)).toBe(94.1);
    expect(detectedTempo({ tempoBpm: 94.1 } as never)).toBe(94.1);

    const job = (status: string) => ({ id: "j", kind: "analysis", status, result: status === "succeeded" ? { outputs: {}, report: { tempoBpm: 94.1, loop: { bpm: 93.75, beats: 8 } } } : null });
    const fetch = vi.fn(async (_url: string, init?: RequestInit) =>
      new Response(JSON.stringify(init?.method === "POST" ? job("queued") : job("succeeded")), { headers: { "Content-Type": "application/json" } }));
    vi.stubGlobal("fetch", fetch);
    render(<ClipStretch project={project} clip={clip} canEdit onEdit={vi.fn()} />);
    fireEvent.click(screen.getByText("Detect"));
    await vi.waitFor(() => expect((screen.getByLabelText("Played at (BPM)") as HTMLInputElement).value).toBe("93.75"));
    expect(fetch.mock.calls[0][0]).toBe("/api/ai/analysis");
    expect(JSON.parse(String(fetch.mock.calls[0][1]!.body))).toEqual({ assetId: "a" });
  });
});
