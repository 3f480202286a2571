// Buying a tier on the listing page: the order is created, its status shown in words, and followed until an
// admin's confirmation makes it paid. The API is a fake fetch.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryRouter, Route, Routes } from "react-router";
import { signedIn, signOut } from "../api/client";
import { tokensFor } from "../api/testing";
import ListingPage from "./ListingPage";
import type { Listing, Order } from "./market";

const tier = {
  id: "tier-1",
  name: "Basic",
  price: 2999,
  currency: "USD",
  formats: ["mp3" as const],
  exclusive: false,
  terms: { distributionCopies: null, audioStreams: null, musicVideos: null, radio: false, performanceRights: false, termYears: null, creditLine: "" },
};

const listing: Listing = {
  id: "listing-1",
  sellerId: "seller-1",
  seller: "Kay",
  type: "beat",
  title: "Night Drive",
  description: "<b>moody</b>",
  genre: "trap",
  tags: [],
  bpm: 140,
  key: "A minor",
  tiers: [tier],
  presets: [],
  plugins: [],
  status: "published",
  prepared: true,
  error: null,
  hasPreview: true,
  files: [{ format: "mp3", name: "master.mp3", size: 54178, loop: null }],
  library: false,
  instrument: null,
  ratingAverage: 0,
  ratingCount: 0,
  sales: 0,
  createdAt: "2030-01-01T11:00:00Z",
  updatedAt: "2030-01-01T11:00:00Z",
};

const order = (status: Order["status"]): Order => ({
  id: "order-1",
  buyerId: "buyer-1",
  sellerId: "seller-1",
  listingId: listing.id,
  listingTitle: listing.title,
  tier,
  status,
  provider: "manual",
  checkoutUrl: null,
  reason: null,
  downloadsLeft: 10,
  createdAt: "2030-01-01T12:00:00Z",
  expiresAt: "2030-01-01T12:30:00Z",
  paidAt: null,
  completedAt: null,
  refundedAt: null,
});

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const emptyPage = { items: [], nextCursor: null, next: null };

let orderStatus: Order["status"] = "pending";
const fetchMock = vi.fn(async (path: string, init?: RequestInit) => {
  if (path === "/api/listings/listing-1") return json(listing);
  if (path.startsWith("/api/listings/listing-1/reviews") || path.startsWith("/api/orders?")) return json(emptyPage);
  if (path === "/api/orders" && init?.method === "POST") return json(order("pending"), 201);
  if (path === "/api/orders/order-1") return json(order(orderStatus));
  return json({ detail: `unexpected ${path}` }, 404);
});

function renderPage() {
  render(
    <MemoryRouter initialEntries={["/market/listings/listing-1"]}>
      <Routes>
        <Route path="/market/listings/:listingId" element={<ListingPage />} />
      </Routes>
    </MemoryRouter>,
  );
}

describe("ListingPage", () => {
  beforeEach(() => {
    orderStatus = "pending";
    vi.stubGlobal("fetch", fetchMock);
    signedIn(tokensFor({ id: "buyer-1", displayName: "Bea" }));
  });

  afterEach(async () => {
    cleanup();
    await signOut();
    vi.unstubAllGlobals();
    fetchMock.mockClear();
  });

  it("shows the listing, its tagged preview and its tiers, with the description as text", async () => {
    renderPage();
    expect(await screen.findByRole("heading", { name: "Night Drive" })).toBeTruthy();
    expect(screen.getByText("<b>moody</b>")).toBeTruthy();
    expect(screen.getByLabelText("Tagged preview of Night Drive").getAttribute("src")).toBe("/api/listings/listing-1/preview");
    expect(screen.getByText(/master\.mp3/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Buy Basic" })).toBeTruthy();
  });

  it("buys a tier and follows the order until it is paid", async () => {
    renderPage();
    fireEvent.click(await screen.findByRole("button", { name: "Buy Basic" }));

    const status = await screen.findByTestId("order-status");
    expect(status.textContent).toMatch(/pending.*admin confirms/);
    expect(screen.getByTestId("order-id").textContent).toBe("order-1");
    const post = fetchMock.mock.calls.find(([path, init]) => path === "/api/orders" && init?.method === "POST");
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({ listingId: "listing-1", tierId: "tier-1" });

    orderStatus = "completed";
    await waitFor(() => expect(screen.getByTestId("order-status").textContent).toMatch(/completed.*paid/), { timeout: 5000 });
  }, 10_000);
});
