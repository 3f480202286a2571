// The new-listing form's pure side: license tiers as typed (prices and limits as text) turned into the API's
// tiers, the listing's details into its request body, and a project's effect chains into a preset pack.
import type { Schema } from "../api/types";
import { isPack, parsePrice, type DeliveredFormat, type ListingKind, type Tier } from "./market";

export interface TierDraft {
  name: string;
  price: string;
  formats: DeliveredFormat[];
  exclusive: boolean;
  distributionCopies: string;
  audioStreams: string;
  musicVideos: string;
  termYears: string;
  radio: boolean;
  performanceRights: boolean;
  creditLine: string;
}

export const maxTiers = 6;

export type ListingSource = "upload" | "project";

/** Where a kind's files may come from: uploads, a project (its mix and tracks), or for presets a project's effect chains. */
export function sourcesFor(kind: ListingKind): ListingSource[] {
  if (kind === "samplePack") return ["upload"];
  if (kind === "presetPack") return ["project"];
  return ["upload", "project"];
}

export const newTier = (kind: ListingKind): TierDraft => ({
  name: "",
  price: "",
  formats: isPack(kind) ? ["wav"] : kind === "stems" ? ["stems"] : ["mp3"],
  exclusive: false,
  distributionCopies: "",
  audioStreams: "",
  musicVideos: "",
  termYears: "",
  radio: false,
  performanceRights: false,
  creditLine: "",
});

/** A limit as typed: blank is unlimited (null), else a whole number from `min` to `max`. */
function parseLimit(text: string, what: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | null {
  const typed = text.trim();
  if (!typed) return null;
  const value = Number(typed);
  if (!/^\d+$/.test(typed) || value < min || value > max) throw new Error(`${what} is a whole number from ${min} to ${max}, or blank for no limit.`);
  return value;
}

/** A tier as the API takes it: a tier without its id. */
export type TierRequest = Omit<Tier, "id">;

/** The tier the API takes, or an Error in plain words naming the tier and the field. */
export function tierRequest(draft: TierDraft, index: number, currency: string, kind: ListingKind): TierRequest {
  const name = draft.name.trim();
  const tier = `Tier ${index + 1}${name ? ` (${name})` : ""}`;
  if (!name) throw new Error(`${tier} needs a name.`);
  const formats = isPack(kind) ? (["wav"] as DeliveredFormat[]) : draft.formats;
  if (formats.length === 0) throw new Error(`${tier} delivers nothing: tick at least one format.`);
  let price: number | null;
  try {
    price = parsePrice(draft.price, currency);
  } catch (error) {
    throw new Error(`${tier}: ${(error as Error).message}`);
  }
  if (price === null) throw new Error(`${tier} needs a price (0 for free).`);
  return {
    name,
    price,
    currency,
    formats,
    exclusive: !isPack(kind) && draft.exclusive,
    terms: {
      distributionCopies: parseLimit(draft.distributionCopies, `${tier}: distribution copies`),
      audioStreams: parseLimit(draft.audioStreams, `${tier}: audio streams`),
      musicVideos: parseLimit(draft.musicVideos, `${tier}: music videos`),
      radio: draft.radio,
      performanceRights: draft.performanceRights,
      termYears: parseLimit(draft.termYears, `${tier}: term in years`, 1, 99),
      creditLine: draft.creditLine.trim(),
    },
  };
}

export interface ListingFields {
  kind: ListingKind;
  title: string;
  description: string;
  genre: string;
  tags: string;
  bpm: string;
  currency: string;
  /** A sample pack given away in the studio's loop library, and what it is played on. */
  library?: boolean;
  instrument?: string;
}

/** The listing's details and tiers as POST /api/listings takes them (its files are added by the caller). */
export function listingRequest(fields: ListingFields, tiers: TierDraft[]) {
  const title = fields.title.trim();
  if (!title) throw new Error("The listing needs a title.");
  if (tiers.length === 0) throw new Error("Add at least one license tier.");
  if (tiers.length > maxTiers) throw new Error(`A listing has at most ${maxTiers} tiers.`);
  const requests = tiers.map((t, i) => tierRequest(t, i, fields.currency, fields.kind));
  if (requests.filter((t) => t.exclusive).length > 1) throw new Error("Only one tier can be exclusive.");
  const bpm = fields.bpm.trim() ? Number(fields.bpm) : null;
  if (bpm !== null && !(bpm > 0 && bpm < 1000)) throw new Error(`"${fields.bpm}" is not a tempo in BPM.`);
  const library = fields.kind === "samplePack" && !!fields.library;
  if (library && requests.some((t) => t.price > 0)) throw new Error("A loop library pack is free: give every tier a price of 0.");
  return {
    ...(library ? { library: true, instrument: fields.instrument || "other" } : {}),
    type: fields.kind,
    title,
    description: fields.description.trim() || null,
    genre: fields.genre.trim() || null,
    tags: fields.tags.split(",").map((t) => t.trim()).filter(Boolean),
    bpm,
    tiers: requests,
  };
}

/** What a preset pack reads of a project (GET /api/projects/{id}): its effect chains. */
type ProjectEffect = Pick<Schema<"Effect">, "type" | "parameters" | "bypass"> & { state?: string | null };

export interface ProjectChains {
  master: { effects: ProjectEffect[] };
  tracks: (Pick<Schema<"Track">, "name"> & { effects: ProjectEffect[] })[];
}

export type Preset = Schema<"Preset">;

/**
 * A preset pack from a project: each track's effect chain (and the master bus's) becomes a preset named after
 * it: built-in effects with their parameters, hosted plugins with their parameters and saved state (the listing
 * then names the plugins a buyer needs); nothing bypassed, at most 16 per preset.
 */
export function presetsFromProject(project: ProjectChains): Preset[] {
  const chains = [...project.tracks, { name: "Master bus", effects: project.master.effects }];
  return chains
    .map((chain) => ({
      name: chain.name,
      effects: chain.effects
        .filter((e) => !e.bypass)
        .slice(0, 16)
        .map(({ type, parameters, state }) => ({ type, parameters, state: state ?? null })),
    }))
    .filter((preset) => preset.effects.length > 0);
}
