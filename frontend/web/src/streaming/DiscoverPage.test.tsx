import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import DiscoverPage from "./DiscoverPage";
import { PlayerProvider } from "./player";
import { fakeServer, page } from "../api/testing";
import type { ReleaseSummary } from "./types";

const release = (id: string, title: string): ReleaseSummary => ({
  id,
  ownerId: `owner-${id}`,
  artist: "Ada",
  title,
  description: null,
  genre: "ambient",
  tags: [],
  mood: null,
  bpm: 120.3,
  key: "A minor",
  durationSeconds: 95,
  explicit: false,
  hasArtwork: false,
  listed: true,
  releaseAt: "2026-01-01T00:00:00Z",
  createdAt: "2026-01-01T00:00:00Z",
  plays: 3,
  likes: 0,
  reposts: 0,
  comments: 0,
  trend: 0,
});

function renderAt(path: string) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <PlayerProvider>
        <DiscoverPage />
      </PlayerProvider>
    </MemoryRouter>,
  );
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("DiscoverPage", () => {
  it("shows trending releases and genres when not searching", async () => {
    fakeServer({
      "GET /api/charts?first=20": page([release("t1", "Top Tune")]),
      "GET /api/genres": [{ genre: "drum & bass", releases: 4 }],
    });
    renderAt("/");
    const trending = await screen.findByRole("list", { name: "Trending" });
    expect(within(trending).getByRole("link", { name: "Top Tune" })).toHaveProperty("href", expect.stringMatching(/\/releases\/t1$/));
    expect(within(trending).getByRole("link", { name: "Ada" })).toHaveProperty("href", expect.stringMatching(/\/users\/owner-t1$/));
    expect(within(trending).getByRole("button", { name: "Play Top Tune" })).toBeTruthy();
    expect(within(trending).getByText(/ambient · 120 BPM · A minor · 1:35 · 3 plays/)).toBeTruthy();
    const genre = await screen.findByRole("link", { name: /drum & bass/ });
    expect(genre.getAttribute("href")).toBe("/?genre=drum%20%26%20bass&sort=trending");
  });

  it("searches with the filters and loads more through the next link", async () => {
    const calls = fakeServer({
      "GET /api/charts?first=20": page([]),
      "GET /api/genres": [],
      "GET /api/releases?q=rain&key=A+minor&first=20": page([release("r1", "Rain One")], "/api/releases?q=rain&first=20&after=abc"),
      "GET /api/releases?q=rain&first=20&after=abc": page([release("r2", "Rain Two")]),
    });
    renderAt("/");
    fireEvent.change(screen.getByRole("searchbox", { name: "Search releases" }), { target: { value: "rain" } });
    fireEvent.change(screen.getByRole("combobox", { name: "Key" }), { target: { value: "A minor" } });
    fireEvent.click(screen.getByRole("button", { name: "Search" }));

    const results = await screen.findByRole("list", { name: "Search results" });
    expect(within(results).getByRole("button", { name: "Play Rain One" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Load more" }));
    expect(await screen.findByRole("link", { name: "Rain Two" })).toBeTruthy();
    expect(within(results).getAllByRole("listitem")).toHaveLength(2);
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
    expect(calls.map((c) => c.url)).toContain("/api/releases?q=rain&first=20&after=abc");
  });

  it("says why a tempo range cannot be searched", () => {
    fakeServer({ "GET /api/charts?first=20": page([]), "GET /api/genres": [] });
    renderAt("/");
    fireEvent.change(screen.getByLabelText("BPM from"), { target: { value: "150" } });
    fireEvent.change(screen.getByLabelText("BPM to"), { target: { value: "100" } });
    fireEvent.click(screen.getByRole("button", { name: "Search" }));
    expect(screen.getByRole("alert").textContent).toMatch(/lowest tempo is above the highest/);
  });
});
