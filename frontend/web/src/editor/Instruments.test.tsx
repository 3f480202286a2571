// The drum machine's editors turn clicks into ops: a step of the pattern adds or removes its note; a pad's sample
// and a sampler's zones go out whole, as effect.zones.
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, expect, it, vi } from "vitest";
import { DrumPads, SamplerZones, StepGrid } from "./Instruments";
import type { Clip, Effect, Project } from "./model";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

// 120 BPM at 48 kHz: a sixteenth is 6 000 samples; the clip is a bar, 16 steps.
const clip: Clip = {
  id: "d", start: 0, length: 96000, assetId: null, offset: 0, gainDb: 0, muted: false,
  fadeIn: { length: 0, curve: "linear" }, fadeOut: { length: 0, curve: "linear" },
  notes: [{ id: "k1", pitch: 36, velocity: 100, start: 0, length: 6000 }],
  sourceTempo: null, transpose: 0, cents: 0, preserveFormants: false,
};
const zone = (assetId: string, key: number) => ({ assetId, root: key, low: key, high: key, lowVelocity: 1, highVelocity: 127 });
const kit: Effect = { id: "kit", type: "drums", parameters: {}, bypass: false, sidechainTrackId: null, state: null, zones: [zone("kick", 36), zone("hat", 42)], soundFont: null };
const project = { tempo: 120, sampleRate: 48000 } as Project;

const assets = (...names: string[]) => vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify({
  items: names.map((n) => ({ id: n, fileName: `${n}.wav`, status: "ready", error: null, durationSeconds: 1, sampleRate: 48000, channels: 1, loudness: null })), nextCursor: null, next: null,
}), { headers: { "Content-Type": "application/json" } })));

it("shows the loaded pads by the clip's sixteenths, and a click toggles a step's note", () => {
  const onEdit = vi.fn();
  render(<StepGrid project={project} clip={clip} kit={kit} canEdit onEdit={onEdit} />);
  expect(screen.getAllByRole("row").map((r) => r.querySelector("th")!.textContent)).toEqual(["Kick", "Closed hat"]);
  expect(screen.getAllByRole("button", { name: /^Kick step/ })).toHaveLength(16);
  const first = screen.getByRole("button", { name: "Kick step 1" });
  expect(first.getAttribute("aria-pressed")).toBe("true");
  fireEvent.click(first);
  expect(onEdit).toHaveBeenLastCalledWith({ kind: "note.remove", payload: { clipId: "d", noteId: "k1" } });
  fireEvent.click(screen.getByRole("button", { name: "Closed hat step 3" }));
  expect(onEdit).toHaveBeenLastCalledWith({ kind: "note.add", payload: { clipId: "d", pitch: 42, velocity: 100, start: 12000, length: 6000 } });
});

it("lets a viewer look at a pattern but not change it", () => {
  render(<StepGrid project={project} clip={clip} kit={kit} canEdit={false} onEdit={vi.fn()} />);
  expect((screen.getByRole("button", { name: "Kick step 2" }) as HTMLButtonElement).disabled).toBe(true);
});

it("sets a pad's sample as a one-key zone, and clears it", async () => {
  assets("snare");
  const onEdit = vi.fn();
  render(<DrumPads effect={kit} canEdit onEdit={onEdit} />);
  await screen.findAllByRole("option", { name: "snare.wav" });
  fireEvent.change(screen.getByRole("combobox", { name: "Pad Snare" }), { target: { value: "snare" } });
  expect(onEdit).toHaveBeenLastCalledWith({ kind: "effect.zones", payload: { effectId: "kit", zones: [...kit.zones, zone("snare", 38)] } });
  fireEvent.change(screen.getByRole("combobox", { name: "Pad Kick" }), { target: { value: "" } });
  expect(onEdit).toHaveBeenLastCalledWith({ kind: "effect.zones", payload: { effectId: "kit", zones: [zone("hat", 42)] } });
});

it("adds a sampler zone over the whole keyboard, and moves its root", async () => {
  assets("piano");
  const onEdit = vi.fn();
  const sampler = { ...kit, id: "s", type: "sampler", zones: [{ ...zone("piano", 60), low: 0, high: 127 }] };
  render(<SamplerZones effect={sampler} canEdit onEdit={onEdit} />);
  await screen.findAllByRole("option", { name: "piano.wav" });
  fireEvent.change(screen.getByRole("combobox", { name: "Add a zone" }), { target: { value: "piano" } });
  expect(onEdit).toHaveBeenLastCalledWith({ kind: "effect.zones", payload: { effectId: "s", zones: [sampler.zones[0], { assetId: "piano", root: 60, low: 0, high: 127, lowVelocity: 1, highVelocity: 127 }] } });
  fireEvent.change(screen.getByRole("spinbutton", { name: "Zone 1 root" }), { target: { value: "72" } });
  expect(onEdit).toHaveBeenLastCalledWith({ kind: "effect.zones", payload: { effectId: "s", zones: [{ ...sampler.zones[0], root: 72 }] } });
});
