import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import InsightsPage, { money } from "./InsightsPage";
import { fakeServer } from "../api/testing";

const day = (d: string, plays: number, listeners: number) => ({ day: d, plays, listeners, likes: 0, reposts: 0, downloads: 0, sales: 0 });

function insights(days: number) {
  const date = (i: number) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10);
  const series = Array.from({ length: days }, (_, i) => day(date(i), i === days - 1 ? 3 : 0, i === days - 1 ? 2 : 0));
  return {
    days,
    series,
    totals: { day: "2026-12-28", plays: 3, listeners: 2, likes: 1, reposts: 1, downloads: 1, sales: 1 },
    topReleases: [{ releaseId: "r1", title: "Sine Dream", plays: 3 }],
    topCountries: [{ key: "FR", count: 2 }, { key: "unknown", count: 1 }],
    sources: [{ key: "embed", count: 2 }, { key: "search", count: 1 }],
    revenue: [{ key: "usd", count: 2699 }],
  };
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("InsightsPage", () => {
  it("shows the totals, a bar per day, the top releases, countries, sources and earnings; switches windows", async () => {
    const calls = fakeServer({ "GET /api/insights?days=28": insights(28), "GET /api/insights?days=90": insights(90) });
    const { container } = render(<MemoryRouter><InsightsPage /></MemoryRouter>);
    expect(await screen.findByRole("link", { name: "Sine Dream" })).toBeTruthy();
    const totals = screen.getByLabelText("Totals");
    expect(totals.textContent).toContain("Plays3");
    expect(totals.textContent).toContain("Listeners2");
    expect(container.querySelectorAll("rect")).toHaveLength(28);
    expect(screen.getByLabelText("Countries").textContent).toContain("FR: 2 (67%)");
    expect(screen.getByLabelText("Countries").textContent).toContain("Unknown: 1");
    expect(screen.getByLabelText("Where plays came from").textContent).toContain("Embedded players: 2");
    expect(screen.getByText("26.99 USD")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "90 days" }));
    await screen.findByRole("button", { name: "90 days", pressed: true });
    await vi.waitFor(() => expect(container.querySelectorAll("rect")).toHaveLength(90));
    expect(calls.map((c) => c.url)).toEqual(["/api/insights?days=28", "/api/insights?days=90"]);
  });

  it("formats minor units", () => expect(money(5, "eur")).toBe("0.05 EUR"));
});
