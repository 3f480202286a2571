import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { signedIn, signOut } from "../api/client";
import { fakeServer, page, tokensFor } from "../api/testing";
import ReleasePage from "./ReleasePage";
import { PlayerProvider } from "./player";

// wavesurfer draws on a canvas, which the test DOM lacks; the page only needs it to take the peaks.
const created: { peaks: number[][]; duration: number }[] = [];
vi.mock("wavesurfer.js", () => ({
  default: {
    create: (options: { peaks: number[][]; duration: number }) => {
      created.push(options);
      return { on: () => undefined, setTime: () => undefined, destroy: () => undefined };
    },
  },
}));
vi.mock("../api/hub", () => ({ on: () => () => undefined }));

const release = {
  id: "r1",
  ownerId: "artist",
  artist: "Ada",
  title: "Sine Dream",
  description: "Made with <b>sines</b>",
  genre: "ambient",
  tags: ["calm"],
  mood: null,
  bpm: 120,
  key: "A major",
  durationSeconds: 8,
  explicit: false,
  hasArtwork: false,
  releaseAt: "2026-01-01T00:00:00Z",
  plays: 1,
  likes: 0,
  reposts: 0,
  comments: 1,
  credits: [],
  license: "ccBy",
  visibility: "public",
  published: true,
  status: "ready",
  error: null,
  secret: null,
};

const comment = { id: "c1", releaseId: "r1", authorId: "fan", parentId: null, atSeconds: 2, text: "lovely <i>bit</i>", createdAt: "2026-01-01T00:00:00Z" };

beforeEach(() => {
  signedIn(tokensFor({ id: "me", displayName: "Me" }));
});

afterEach(async () => {
  cleanup();
  await signOut();
  vi.unstubAllGlobals();
});

describe("ReleasePage", () => {
  it("shows the release, its waveform from the peaks, comments as markers, and likes it", async () => {
    const calls = fakeServer({
      "GET /api/releases/r1": release,
      "GET /api/releases/r1/peaks?format=json": { version: 2, channels: 1, sample_rate: 100, samples_per_pixel: 200, bits: 8, length: 4, data: [-64, 64, 0, 0, -128, 127, -32, 32] },
      "GET /api/releases/r1/comments?first=50": page([comment]),
      "GET /api/releases/r1/related?first=10": [],
      "GET /api/users/artist/follows": { userId: "artist", followers: 2, following: 0, followedByMe: false },
      "GET /api/releases/marks?ids=r1": { liked: [], reposted: ["r1"] },
      "GET /api/users/me/playlists?first=100": page([]),
      "GET /api/users/fan": { id: "fan", displayName: "Fan", bio: null, createdAt: "" },
      "PUT /api/releases/r1/like": { ...release, likes: 1 },
      "POST /api/releases/r1/comments": () => ({ status: 201, json: comment }),
    });
    render(
      <MemoryRouter initialEntries={["/releases/r1"]}>
        <PlayerProvider>
          <Routes>
            <Route path="/releases/:releaseId" element={<ReleasePage />} />
          </Routes>
        </PlayerProvider>
      </MemoryRouter>,
    );

    expect(await screen.findByRole("heading", { name: "Sine Dream" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Play" })).toBeTruthy();
    expect(screen.getByText("Made with <b>sines</b>")).toBeTruthy();

    await waitFor(() => expect(created).toHaveLength(1));
    expect(created[0].peaks).toEqual([[0.5, 0, 1, 0.25]]);
    expect(created[0].duration).toBe(8);
    const marker = await screen.findByRole("button", { name: "Comment at 0:02: lovely <i>bit</i>" });
    expect(marker.style.left).toBe("25%");
    expect(await screen.findByRole("link", { name: "Fan" })).toBeTruthy();

    const like = screen.getByRole("button", { name: "Like" });
    await waitFor(() => expect(screen.getByRole("button", { name: "Repost" }).getAttribute("aria-pressed")).toBe("true"));
    expect(like.getAttribute("aria-pressed")).toBe("false");
    fireEvent.click(like);
    await waitFor(() => expect(screen.getByRole("button", { name: "Like" }).getAttribute("aria-pressed")).toBe("true"));

    fireEvent.change(screen.getByLabelText("Comment"), { target: { value: "  great  " } });
    fireEvent.click(screen.getByRole("button", { name: "Comment at 0:00" }));
    await waitFor(() => expect(calls.find((c) => c.method === "POST")?.body).toEqual({ text: "great", atSeconds: 0 }));
  });
});
