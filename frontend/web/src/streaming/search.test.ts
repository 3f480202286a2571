import { describe, expect, it } from "vitest";
import { bpmProblem, emptySearch, formFromParams, isSearching, searchQuery, searchUrl } from "./search";

describe("search form and query string", () => {
  it("leaves empty fields out and lower-cases the genre", () => {
    const form = { ...emptySearch, q: "  night drive ", genre: "Synthwave", bpmMin: "90", key: "A minor", sort: "top" as const };
    expect(searchQuery(form)).toBe("?q=night+drive&genre=synthwave&bpmMin=90&key=A+minor&sort=top");
  });

  it("is no search at all when nothing is filled in", () => {
    expect(searchQuery(emptySearch)).toBe("");
    expect(isSearching({ ...emptySearch, q: "   " })).toBe(false);
    expect(isSearching({ ...emptySearch, key: "C major" })).toBe(true);
  });

  it("reads the form back from the address, dropping unknown sorts", () => {
    const form = formFromParams(new URLSearchParams("q=rain&bpmMax=120&sort=loudest&other=x"));
    expect(form).toEqual({ ...emptySearch, q: "rain", bpmMax: "120" });
    expect(formFromParams(new URLSearchParams(searchQuery(form)))).toEqual(form);
  });

  it("asks the API for the first page", () => {
    expect(searchUrl({ ...emptySearch, q: "rain" })).toBe("/api/releases?q=rain&first=20");
    expect(searchUrl(emptySearch, 5)).toBe("/api/releases?first=5");
  });

  it("refuses a tempo range upside down", () => {
    expect(bpmProblem({ ...emptySearch, bpmMin: "140", bpmMax: "90" })).toMatch(/above/);
    expect(bpmProblem({ ...emptySearch, bpmMin: "90", bpmMax: "140" })).toBeNull();
    expect(bpmProblem({ ...emptySearch, bpmMin: "90" })).toBeNull();
  });
});
