// The marketplace's shapes (docs/marketplace.md) and the pure logic its pages share: prices in minor units
// read and written the way people do, search filters turned into the API's query, orders and license terms
// described in plain words.
import { query } from "../api/client";
import type { Schema } from "../api/types";
import { formatMoney } from "../ui/ui";

export type ListingKind = Schema<"ListingType">;
export type DeliveredFormat = Schema<"DeliveredFormat">;
export type ListingStatus = Schema<"ListingStatus">;
export type OrderStatus = Schema<"OrderStatus">;

/** A tier's license terms; null limits are unlimited. */
export type Terms = Schema<"LicenseTerms">;

export type Tier = Schema<"LicenseTier">;

/** A listing as search and seller lists show it; `minPrice` is its cheapest tier. */
export type ListingSummary = Schema<"ListingSummary">;

/** A whole listing (GET /api/listings/{id}). */
export type Listing = Schema<"ListingInfo">;

export type Order = Schema<"OrderInfo">;

export type Review = Schema<"Review">;

export type Balance = Schema<"Balance">;

export type Payout = Schema<"Payout">;

export type DownloadLink = Schema<"DownloadLink">;

export const listingKinds: { value: ListingKind; label: string }[] = [
  { value: "beat", label: "Beat" },
  { value: "samplePack", label: "Sample pack" },
  { value: "presetPack", label: "Preset pack" },
  { value: "stems", label: "Stems" },
];

export const kindLabel = (kind: ListingKind) => listingKinds.find((k) => k.value === kind)?.label ?? kind;

/** The currencies the marketplace takes. */
export const currencies = ["USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "JPY", "BRL", "MXN", "INR", "SGD", "HKD"];

export const formatLabels: Record<DeliveredFormat, string> = {
  taggedMp3: "Tagged MP3",
  mp3: "MP3",
  wav: "WAV",
  stems: "Stems",
};

export const maxPrice = 100_000_000;

/** Minor units in one major unit: the yen has none (its amounts are whole yen), the others have cents. */
const minorPerMajor = (currency: string) => (currency.toUpperCase() === "JPY" ? 1 : 100);

/** An amount of minor units as people read it, in their locale: "$29.99", "¥5,000". */
export function formatAmount(minor: number, currency: string): string {
  // formatMoney takes hundredths of the major unit; the yen's minor unit is the yen itself.
  return formatMoney(minor * (100 / minorPerMajor(currency)), currency);
}

/** A price: an amount, or "Free" for 0. */
export const formatPrice = (minor: number, currency: string) => (minor === 0 ? "Free" : formatAmount(minor, currency));

/** A listing's kind, genre, tempo and key in one line: "Beat · trap · 140 BPM · A minor". */
export const listingFacts = (listing: Pick<ListingSummary, "type" | "genre" | "bpm" | "key">) =>
  [kindLabel(listing.type), listing.genre, listing.bpm ? `${Math.round(listing.bpm)} BPM` : null, listing.key].filter(Boolean).join(" · ");

/** What a listing card says of its price: the cheapest tier, or why there is none to buy. */
export function cardPrice(listing: Pick<ListingSummary, "status" | "minPrice" | "currency">): string {
  if (listing.status === "soldExclusively") return "Sold exclusively";
  if (listing.minPrice === null || !listing.currency) return "No price yet";
  return listing.minPrice === 0 ? "Free" : `from ${formatPrice(listing.minPrice, listing.currency)}`;
}

/** A price as typed ("29.99", "29,99", "5000") in minor units; null when blank; an Error in plain words when not a price. */
export function parsePrice(text: string, currency: string): number | null {
  const typed = text.trim();
  if (!typed) return null;
  const decimals = Math.log10(minorPerMajor(currency));
  const match = /^(\d+)(?:[.,](\d*))?$/.exec(typed);
  if (!match || (match[2] ?? "").length > decimals) {
    throw new Error(decimals ? `"${typed}" is not a price in ${currency} (like 29.99).` : `"${typed}" is not a price in ${currency} (whole amounts, like 5000).`);
  }
  const minor = Number(match[1]) * minorPerMajor(currency) + Number((match[2] ?? "").padEnd(decimals, "0") || 0);
  if (minor > maxPrice) throw new Error(`A price is at most ${formatAmount(maxPrice, currency)}.`);
  return minor;
}

/** What the market page filters by, as typed (prices in major units); "" when unset. Kept in the page's URL. */
export interface ListingFilters {
  q: string;
  type: string;
  genre: string;
  bpmMin: string;
  bpmMax: string;
  currency: string;
  priceMin: string;
  priceMax: string;
  sort: string;
}

const filterKeys: (keyof ListingFilters)[] = ["q", "type", "genre", "bpmMin", "bpmMax", "currency", "priceMin", "priceMax", "sort"];

/** The filters from the page's URL or the filter form's fields. */
export function filtersFromParams(params: { get(key: string): FormDataEntryValue | null }): ListingFilters {
  const read = (key: keyof ListingFilters) => String(params.get(key) ?? "").trim();
  return Object.fromEntries(filterKeys.map((key) => [key, read(key)])) as unknown as ListingFilters;
}

/** The filters that are set, for the page's URL. */
export function filtersToParams(filters: ListingFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of filterKeys) if (filters[key]) params.set(key, filters[key]);
  return params;
}

function parseBpm(text: string): number | undefined {
  if (!text) return undefined;
  const bpm = Number(text);
  if (!Number.isFinite(bpm) || bpm <= 0) throw new Error(`"${text}" is not a tempo in BPM.`);
  return bpm;
}

/** The search request for the filters: prices in minor units of the chosen currency. Throws an Error in plain words for a value that is not a number or price. */
export function listingSearchPath(filters: ListingFilters, pageSize = 24): string {
  const priceCurrency = filters.currency || "USD";
  return `/api/listings${query({
    q: filters.q,
    type: filters.type,
    genre: filters.genre,
    bpmMin: parseBpm(filters.bpmMin),
    bpmMax: parseBpm(filters.bpmMax),
    currency: filters.currency,
    priceMin: parsePrice(filters.priceMin, priceCurrency),
    priceMax: parsePrice(filters.priceMax, priceCurrency),
    sort: filters.sort,
    first: pageSize,
  })}`;
}

/** An order's state in plain words: the status word itself (lower case) and what it means for the buyer. */
export function orderStatusWords(order: Pick<Order, "status" | "checkoutUrl" | "reason" | "expiresAt" | "tier">): { word: OrderStatus; meaning: string } {
  const meaning = (() => {
    switch (order.status) {
      case "pending":
        return order.checkoutUrl
          ? "waiting for your payment at checkout."
          : `payment is arranged outside this site; once an admin confirms the money arrived, your license and files appear in My purchases. Unpaid, the order expires at ${new Date(order.expiresAt).toLocaleString()}.`;
      case "paid":
        return "payment received; your license is being issued, which takes a moment.";
      case "completed":
        return order.tier.price === 0
          ? "free; the license is yours and the files are in My purchases."
          : "paid; the license is yours and the files are in My purchases.";
      case "cancelled":
        return `never paid${order.reason ? `: ${order.reason}` : "."}`;
      case "refunded":
        return `the payment was returned and the license revoked${order.reason ? `: ${order.reason}` : "."}`;
    }
  })();
  return { word: order.status, meaning };
}

const limit = (value: number | null, unit: string) => (value === null ? `unlimited ${unit}` : `up to ${value.toLocaleString()} ${unit}`);

/** Packs are royalty-free files: they deliver their files (`wav`, a preset pack's JSON) and never sell exclusively. */
export const isPack = (kind: ListingKind) => kind === "samplePack" || kind === "presetPack";

/** A tier's license terms, one line each. */
export function termLines(tier: Pick<Tier, "terms" | "exclusive" | "formats">, kind: ListingKind): string[] {
  const { terms } = tier;
  const lines = [
    `Delivers: ${isPack(kind) ? "the pack's files" : tier.formats.map((f) => formatLabels[f]).join(", ")}`,
    `Distribution: ${limit(terms.distributionCopies, "copies")}`,
    `Streaming: ${limit(terms.audioStreams, "streams")}`,
    `Music videos: ${limit(terms.musicVideos, "videos")}`,
    `Radio: ${terms.radio ? "allowed" : "not allowed"}`,
    `Performance rights: ${terms.performanceRights ? "included" : "not included"}`,
    `Term: ${terms.termYears === null ? "perpetual" : `${terms.termYears} year${terms.termYears === 1 ? "" : "s"}`}`,
  ];
  if (terms.creditLine) lines.push(`Credit: "${terms.creditLine}"`);
  if (tier.exclusive) lines.push("Exclusive: one buyer only; the listing comes off sale once it is bought.");
  return lines;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Stars out of five as text, for a rating average or one review: "★★★★☆". */
export const starText = (stars: number) => "★".repeat(Math.round(stars)) + "☆".repeat(5 - Math.round(stars));

/** What a loop library pack is played on, as the server names it (the studio's loop browser filters by it). */
export const instruments = ["drums", "percussion", "bass", "keys", "guitar", "synth", "strings", "brass", "woodwinds", "vocals", "fx", "other"];
