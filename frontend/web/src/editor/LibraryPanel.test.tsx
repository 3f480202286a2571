// "My audio" lists the caller's files from the API and places a ready one; processing ones cannot be placed yet.
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, expect, it, vi } from "vitest";
import { LibraryPanel } from "./LibraryPanel";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const asset = (id: string, fileName: string, status: string, durationSeconds: number | null) =>
  ({ id, fileName, status, error: null, durationSeconds, sampleRate: 48000, channels: 2, loudness: null });

it("lists the files and places a ready one", async () => {
  const fetch = vi.fn(async (_url: string) => new Response(JSON.stringify({
    items: [asset("a2", "mix.flac", "processing", null), asset("a1", "beat.wav", "ready", 75)], nextCursor: null, next: null,
  }), { headers: { "Content-Type": "application/json" } }));
  vi.stubGlobal("fetch", fetch);
  const onPlace = vi.fn();
  render(<LibraryPanel canEdit onPlace={onPlace} />);

  expect(await screen.findByText("beat.wav")).toBeTruthy();
  expect(screen.getByText("1:15")).toBeTruthy();
  expect(fetch.mock.calls[0][0]).toBe("/api/assets?first=50");
  expect((screen.getByRole("button", { name: "Place mix.flac" }) as HTMLButtonElement).disabled).toBe(true);
  fireEvent.click(screen.getByRole("button", { name: "Place beat.wav" }));
  expect(onPlace).toHaveBeenCalledWith(expect.objectContaining({ id: "a1", fileName: "beat.wav" }));
});

it("lets a viewer look but not place", async () => {
  vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify({ items: [asset("a1", "beat.wav", "ready", 3)], nextCursor: null, next: null }),
    { headers: { "Content-Type": "application/json" } })));
  render(<LibraryPanel canEdit={false} onPlace={vi.fn()} />);
  expect(await screen.findByText("beat.wav")).toBeTruthy();
  expect(screen.queryByRole("button", { name: "Place beat.wav" })).toBeNull();
});
