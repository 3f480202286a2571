// The new-listing form's logic: tiers as typed into the API's tiers, the request body, presets from a project.
import { describe, expect, it } from "vitest";
import { listingRequest, newTier, presetsFromProject, sourcesFor, tierRequest, type TierDraft } from "./listingDraft";

const draft = (extra: Partial<TierDraft> = {}): TierDraft => ({ ...newTier("beat"), name: "Basic", price: "29.99", ...extra });

describe("tiers", () => {
  it("become the API's tiers: minor units, blank limits unlimited", () => {
    expect(tierRequest(draft({ distributionCopies: "5000", termYears: "2", radio: true, creditLine: " prod. Kay " }), 0, "USD", "beat")).toEqual({
      name: "Basic",
      price: 2999,
      currency: "USD",
      formats: ["mp3"],
      exclusive: false,
      terms: { distributionCopies: 5000, audioStreams: null, musicVideos: null, radio: true, performanceRights: false, termYears: 2, creditLine: "prod. Kay" },
    });
  });

  it("name the tier and field that is wrong", () => {
    expect(() => tierRequest(draft({ name: " " }), 1, "USD", "beat")).toThrow("Tier 2 needs a name.");
    expect(() => tierRequest(draft({ price: "" }), 0, "USD", "beat")).toThrow("Tier 1 (Basic) needs a price (0 for free).");
    expect(() => tierRequest(draft({ price: "9.99" }), 0, "JPY", "beat")).toThrow(/^Tier 1 \(Basic\): "9.99" is not a price in JPY/);
    expect(() => tierRequest(draft({ formats: [] }), 0, "USD", "beat")).toThrow(/tick at least one format/);
    expect(() => tierRequest(draft({ termYears: "0" }), 0, "USD", "beat")).toThrow(/term in years is a whole number from 1 to 99/);
    expect(() => tierRequest(draft({ audioStreams: "lots" }), 0, "USD", "beat")).toThrow(/audio streams is a whole number/);
  });

  it("of a pack deliver its files and are never exclusive", () => {
    const tier = tierRequest(draft({ formats: ["mp3", "stems"], exclusive: true }), 0, "EUR", "samplePack");
    expect(tier.formats).toEqual(["wav"]);
    expect(tier.exclusive).toBe(false);
  });
});

describe("the listing request", () => {
  const fields = { kind: "beat" as const, title: " Night Drive ", description: "", genre: "trap", tags: "dark, , moody ", bpm: "140", currency: "EUR" };

  it("carries the details and tiers in the listing's currency", () => {
    const body = listingRequest(fields, [draft(), draft({ name: "Free", price: "0" })]);
    expect(body).toMatchObject({ type: "beat", title: "Night Drive", description: null, genre: "trap", tags: ["dark", "moody"], bpm: 140 });
    expect(body.tiers.map((t) => [t.name, t.price, t.currency])).toEqual([
      ["Basic", 2999, "EUR"],
      ["Free", 0, "EUR"],
    ]);
  });

  it("refuses what the API would", () => {
    expect(() => listingRequest({ ...fields, title: "" }, [draft()])).toThrow("The listing needs a title.");
    expect(() => listingRequest(fields, [])).toThrow(/at least one license tier/);
    expect(() => listingRequest(fields, [draft({ exclusive: true }), draft({ name: "Two", exclusive: true })])).toThrow("Only one tier can be exclusive.");
    expect(() => listingRequest({ ...fields, bpm: "fast" }, [draft()])).toThrow(/not a tempo/);
  });

  it("gives a free sample pack away in the loop library, and refuses a priced one there", () => {
    const pack = { ...fields, kind: "samplePack" as const, library: true, instrument: "bass" };
    expect(listingRequest(pack, [draft({ name: "Free", price: "0" })])).toMatchObject({ library: true, instrument: "bass", type: "samplePack" });
    expect(() => listingRequest(pack, [draft({ name: "Free", price: "0" }), draft()])).toThrow(/free: give every tier a price of 0/);
    // Only sample packs go in the library: the box means nothing for a beat.
    expect(listingRequest({ ...fields, library: true }, [draft()])).not.toHaveProperty("library");
  });

  it("takes each kind's files from where they can come", () => {
    expect(sourcesFor("beat")).toEqual(["upload", "project"]);
    expect(sourcesFor("samplePack")).toEqual(["upload"]);
    expect(sourcesFor("presetPack")).toEqual(["project"]);
  });
});

describe("presets from a project", () => {
  it("are its effect chains, plugins with their state, the master bus's too", () => {
    const gain = { type: "gain", parameters: { gainDb: -3 }, bypass: false };
    const presets = presetsFromProject({
      master: { effects: [{ type: "limiter", parameters: {}, bypass: false }] },
      tracks: [
        { name: "Vox", effects: [gain, { type: "lv2:http://x", parameters: { cr: 4 }, bypass: false, state: "AAEC" }, { ...gain, bypass: true }] },
        { name: "Dry", effects: [] },
      ],
    });
    expect(presets).toEqual([
      { name: "Vox", effects: [{ type: "gain", parameters: { gainDb: -3 }, state: null }, { type: "lv2:http://x", parameters: { cr: 4 }, state: "AAEC" }] },
      { name: "Master bus", effects: [{ type: "limiter", parameters: {}, state: null }] },
    ]);
  });
});
