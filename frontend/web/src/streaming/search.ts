// The Discover search as data: the form's fields, kept in the page's address (so back, forward and shared
// links work), and the API query they make. Empty fields are left out; the server picks the default sort.
import { query } from "../api/client";

export interface SearchForm {
  q: string;
  genre: string;
  bpmMin: string;
  bpmMax: string;
  key: string;
  sort: "" | "relevance" | "new" | "trending" | "top";
}

export const emptySearch: SearchForm = { q: "", genre: "", bpmMin: "", bpmMax: "", key: "", sort: "" };

export const sorts: { value: SearchForm["sort"]; label: string }[] = [
  { value: "", label: "Best match" },
  { value: "new", label: "Newest" },
  { value: "trending", label: "Trending" },
  { value: "top", label: "Most played" },
];

const notes = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"];

/** The keys to filter by, in the server's spelling ("A minor"). */
export const musicalKeys = notes.flatMap((note) => [`${note} major`, `${note} minor`]);

const fields = Object.keys(emptySearch) as (keyof SearchForm)[];
const sortValues = new Set(sorts.map((s) => s.value).concat("relevance"));

/** The form from the page's address; unknown sorts are dropped. */
export function formFromParams(params: URLSearchParams): SearchForm {
  const form = { ...emptySearch };
  for (const field of fields) {
    const value = params.get(field)?.trim() ?? "";
    if (field === "sort") form.sort = sortValues.has(value as SearchForm["sort"]) ? (value as SearchForm["sort"]) : "";
    else form[field] = value;
  }
  return form;
}

/** The query string of the filled-in fields (genre lower-cased, as the server stores it), "" when none. */
export function searchQuery(form: SearchForm): string {
  return query({
    q: form.q.trim(),
    genre: form.genre.trim().toLowerCase(),
    bpmMin: form.bpmMin.trim(),
    bpmMax: form.bpmMax.trim(),
    key: form.key,
    sort: form.sort,
  });
}

/** Whether anything was asked for: otherwise Discover shows charts and genres instead of results. */
export const isSearching = (form: SearchForm) => searchQuery(form) !== "";

/** The first page of results. */
export function searchUrl(form: SearchForm, pageSize = 20): string {
  const filters = searchQuery(form);
  return `/api/releases${filters}${filters ? "&" : "?"}first=${pageSize}`;
}

/** A reason the tempo range cannot be searched, or null when it can. */
export function bpmProblem(form: SearchForm): string | null {
  const min = form.bpmMin.trim() === "" ? null : Number(form.bpmMin);
  const max = form.bpmMax.trim() === "" ? null : Number(form.bpmMax);
  if ((min !== null && !Number.isFinite(min)) || (max !== null && !Number.isFinite(max))) return "The tempo must be a number.";
  if (min !== null && max !== null && min > max) return "The lowest tempo is above the highest.";
  return null;
}
