// The admin's confirmation of a manual payment: the pending orders are listed; confirm one, see it paid.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, expect, it, vi } from "vitest";
import { MemoryRouter } from "react-router";
import { AdminOrders } from "./AdminOrders";

const id = "86071b7f-b80f-4344-ada8-5e4cd5dcbd1c";
const order = (status: string) => ({
  id,
  buyerId: "b",
  sellerId: "s",
  listingId: "l",
  listingTitle: "Night Drive",
  tier: { id: "t", name: "Basic", price: 2999, currency: "USD", formats: ["mp3"], exclusive: false, terms: {} },
  status,
  provider: "manual",
  checkoutUrl: null,
  reason: null,
  downloadsLeft: 10,
  createdAt: "2030-01-01T12:00:00Z",
  expiresAt: "2030-01-01T12:30:00Z",
});
const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

it("lists the pending orders and confirms one's payment", async () => {
  const fetchMock = vi.fn(async (_path: string, init?: RequestInit) =>
    json(init?.method === "POST" ? order("completed") : { items: [order("pending")], nextCursor: null, next: null }));
  vi.stubGlobal("fetch", fetchMock);
  render(
    <MemoryRouter>
      <AdminOrders />
    </MemoryRouter>,
  );

  fireEvent.click(await screen.findByRole("button", { name: `Confirm payment ${id}` }));

  // The status element is there before the confirmation comes back: wait for its text, not for it.
  await waitFor(() => expect(screen.getByTestId("admin-order-status").textContent).toBe("Status: completed"), { timeout: 5000 });
  expect(fetchMock.mock.calls.map(([path, init]) => `${init?.method ?? "GET"} ${path}`)).toEqual([`GET /api/admin/orders?status=pending&first=20`, `POST /api/admin/orders/${id}/paid`]);
  expect(screen.queryByRole("button", { name: /Confirm payment/ })).toBeNull();
});
