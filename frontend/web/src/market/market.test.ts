// The marketplace's pure logic: prices read and written per currency, filters to the search request, and
// orders and terms in plain words.
import { describe, expect, it } from "vitest";
import {
  cardPrice,
  filtersFromParams,
  filtersToParams,
  formatAmount,
  formatPrice,
  listingSearchPath,
  orderStatusWords,
  parsePrice,
  termLines,
  type Order,
  type Tier,
} from "./market";

const tier: Tier = {
  id: "t1",
  name: "Basic",
  price: 2999,
  currency: "USD",
  formats: ["mp3", "taggedMp3"],
  exclusive: false,
  terms: { distributionCopies: 5000, audioStreams: null, musicVideos: 1, radio: false, performanceRights: true, termYears: null, creditLine: "prod. Kay" },
};

describe("prices", () => {
  it("formats cents, and the yen as whole yen", () => {
    expect(formatPrice(2999, "USD")).toContain("29.99");
    expect(formatPrice(5000, "JPY")).toMatch(/5,000/);
    expect(formatPrice(5000, "JPY")).not.toContain("50");
    expect(formatPrice(0, "EUR")).toBe("Free");
    expect(formatAmount(0, "EUR")).toContain("0.00");
  });

  it("reads prices as people type them", () => {
    expect(parsePrice("29.99", "USD")).toBe(2999);
    expect(parsePrice(" 29,9 ", "EUR")).toBe(2990);
    expect(parsePrice("12", "GBP")).toBe(1200);
    expect(parsePrice("0", "USD")).toBe(0);
    expect(parsePrice("5000", "JPY")).toBe(5000);
    expect(parsePrice("", "USD")).toBeNull();
  });

  it("refuses what is not a price in that currency, in plain words", () => {
    expect(() => parsePrice("abc", "USD")).toThrow('"abc" is not a price in USD');
    expect(() => parsePrice("1.234", "USD")).toThrow(/not a price/);
    expect(() => parsePrice("-5", "USD")).toThrow(/not a price/);
    expect(() => parsePrice("50.5", "JPY")).toThrow(/whole amounts/);
    expect(() => parsePrice("2000000", "USD")).toThrow(/at most/);
  });

  it("says what a card's price is", () => {
    expect(cardPrice({ status: "published", minPrice: 1500, currency: "USD" })).toMatch(/^from .*15\.00/);
    expect(cardPrice({ status: "published", minPrice: 0, currency: "USD" })).toBe("Free");
    expect(cardPrice({ status: "soldExclusively", minPrice: 1500, currency: "USD" })).toBe("Sold exclusively");
    expect(cardPrice({ status: "draft", minPrice: null, currency: null })).toBe("No price yet");
  });
});

describe("search filters", () => {
  it("keeps only the filters that are set in the page's URL", () => {
    const filters = filtersFromParams(new URLSearchParams("q=+dark+&type=beat&genre=&sort=new"));
    expect(filters.q).toBe("dark");
    expect(filters.bpmMin).toBe("");
    expect(filtersToParams(filters).toString()).toBe("q=dark&type=beat&sort=new");
  });

  it("turns them into the search request, prices in minor units of the currency", () => {
    const filters = filtersFromParams(
      new URLSearchParams({ q: "dark", type: "beat", bpmMin: "90", currency: "EUR", priceMin: "10", priceMax: "20.5", sort: "price" }),
    );
    expect(listingSearchPath(filters)).toBe("/api/listings?q=dark&type=beat&bpmMin=90&currency=EUR&priceMin=1000&priceMax=2050&sort=price&first=24");
    expect(listingSearchPath(filtersFromParams(new URLSearchParams("currency=JPY&priceMax=3000")), 10)).toBe(
      "/api/listings?currency=JPY&priceMax=3000&first=10",
    );
    expect(listingSearchPath(filtersFromParams(new URLSearchParams()))).toBe("/api/listings?first=24");
  });

  it("refuses a tempo or price that is not one", () => {
    expect(() => listingSearchPath(filtersFromParams(new URLSearchParams("bpmMin=fast")))).toThrow('"fast" is not a tempo in BPM.');
    expect(() => listingSearchPath(filtersFromParams(new URLSearchParams("priceMin=cheap")))).toThrow(/not a price/);
  });
});

describe("order status wording", () => {
  const order = (status: Order["status"], extra: Partial<Order> = {}) => ({
    status,
    checkoutUrl: null,
    reason: null,
    expiresAt: "2030-01-01T12:00:00Z",
    tier,
    ...extra,
  });

  it("explains a manual payment waiting for an admin", () => {
    const words = orderStatusWords(order("pending"));
    expect(words.word).toBe("pending");
    expect(words.meaning).toMatch(/outside this site.*admin confirms/);
  });

  it("sends a Stripe buyer to checkout", () => {
    expect(orderStatusWords(order("pending", { checkoutUrl: "https://checkout.stripe.com/x" })).meaning).toMatch(/checkout/);
  });

  it("says a completed order is paid, or free", () => {
    expect(orderStatusWords(order("completed")).meaning).toMatch(/^paid; the license is yours/);
    expect(orderStatusWords(order("completed", { tier: { ...tier, price: 0 } })).meaning).toMatch(/^free/);
  });

  it("gives the reason an order ended", () => {
    expect(orderStatusWords(order("cancelled", { reason: "It expired unpaid." })).meaning).toBe("never paid: It expired unpaid.");
    expect(orderStatusWords(order("refunded")).meaning).toMatch(/license revoked\.$/);
  });
});

describe("license terms", () => {
  it("reads limits, unlimited and perpetual terms in words", () => {
    const lines = termLines(tier, "beat");
    expect(lines).toContain("Delivers: MP3, Tagged MP3");
    expect(lines).toContain(`Distribution: up to ${(5000).toLocaleString()} copies`);
    expect(lines).toContain("Streaming: unlimited streams");
    expect(lines).toContain("Term: perpetual");
    expect(lines).toContain('Credit: "prod. Kay"');
    expect(lines.some((l) => l.startsWith("Exclusive"))).toBe(false);
    expect(termLines(tier, "samplePack")[0]).toBe("Delivers: the pack's files");
    expect(termLines({ ...tier, exclusive: true, terms: { ...tier.terms, termYears: 1 } }, "stems")).toEqual(
      expect.arrayContaining(["Term: 1 year", expect.stringMatching(/^Exclusive: one buyer only/)]),
    );
  });
});
