// The loop browser searches the library by its filters, shows what each file is, and hands loops on to be heard or added.
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, expect, it, vi } from "vitest";
import { LoopBrowser, loopsQuery } from "./LoopBrowser";
import type { Project } from "./model";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const project = { id: "p", tempo: 100, sampleRate: 48000, timeSignature: { numerator: 4, denominator: 4 }, tempoChanges: [] } as unknown as Project;
const groove = {
  id: "l1", listingId: "p1", index: 0, name: "Dusty Groove", pack: "Boom Bap", seller: "Loop Maker", instrument: "drums",
  bpm: 95, beats: 8, key: null, durationSeconds: 5.05, createdAt: "2030-01-01T00:00:00Z", kind: "loop",
};
const stab = { ...groove, id: "l2", name: "Stab", instrument: "keys", bpm: null, beats: null, key: "A minor", durationSeconds: 1.5, kind: "one-shot" };

it("asks for the filters, near the project's tempo when asked", () => {
  const none = { q: "", instrument: "", kind: "", key: "", nearTempo: false };
  expect(loopsQuery(none, 100)).toBe("?first=50");
  expect(loopsQuery({ q: " dusty ", instrument: "drums", kind: "loop", key: "A minor", nearTempo: true }, 100))
    .toBe("?q=dusty&instrument=drums&kind=loop&key=A+minor&first=50&bpmMin=90&bpmMax=110");
});

it("lists loops and one-shots, and hears and adds them", async () => {
  const fetch = vi.fn(async (_url: string) => new Response(JSON.stringify({ items: [groove, stab], nextCursor: null, next: null }),
    { headers: { "Content-Type": "application/json" } }));
  vi.stubGlobal("fetch", fetch);
  const onAudition = vi.fn();
  const onAdd = vi.fn();
  render(<LoopBrowser project={project} canEdit position={() => 0} auditioning={null} onAudition={onAudition} onAdd={onAdd} />);

  expect(await screen.findByText("Dusty Groove")).toBeTruthy();
  expect(screen.getByText("drums · 95 BPM · 8 beats")).toBeTruthy();
  expect(screen.getByText("keys · one-shot · 0:01 · A minor")).toBeTruthy();
  fireEvent.click(screen.getByRole("button", { name: "Hear Dusty Groove" }));
  expect(onAudition).toHaveBeenCalledWith(expect.objectContaining({ id: "l1" }));
  fireEvent.click(screen.getByRole("button", { name: "Add Stab" }));
  expect(onAdd).toHaveBeenCalledWith(expect.objectContaining({ id: "l2" }));

  fireEvent.change(screen.getByRole("combobox", { name: "Instrument" }), { target: { value: "keys" } });
  fireEvent.click(screen.getByRole("checkbox"));
  await screen.findByText("Dusty Groove");
  expect(fetch.mock.calls.at(-1)![0]).toBe("/api/loops?instrument=keys&first=50&bpmMin=90&bpmMax=110");
});

it("lets a viewer hear but not add", async () => {
  vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify({ items: [groove], nextCursor: null, next: null }),
    { headers: { "Content-Type": "application/json" } })));
  render(<LoopBrowser project={project} canEdit={false} position={() => 0} auditioning="l1" onAudition={vi.fn()} onAdd={vi.fn()} />);
  expect(await screen.findByRole("button", { name: "Stop Dusty Groove" })).toBeTruthy();
  expect(screen.queryByRole("button", { name: "Add Dusty Groove" })).toBeNull();
});
