import { describe, expect, it } from "vitest";
import { parseTags, publishBody } from "./publish";

describe("publishing a project", () => {
  it("parses tags: trimmed, lower-cased, once each", () => {
    expect(parseTags(" Lo-Fi, chill,,lo-fi , Drum & Bass ")).toEqual(["lo-fi", "chill", "drum & bass"]);
    expect(parseTags("  ")).toEqual([]);
  });

  it("sends the project as the source with the filled-in details only", () => {
    expect(publishBody("p1", { title: " Night ", genre: "House", tags: "", visibility: "unlisted", description: " " })).toEqual({
      projectId: "p1",
      title: "Night",
      genre: "house",
      visibility: "unlisted",
    });
    expect(publishBody("p1", { title: "A", genre: "", tags: "x, y", visibility: "public", description: "About it" })).toEqual({
      projectId: "p1",
      title: "A",
      visibility: "public",
      tags: ["x", "y"],
      description: "About it",
    });
  });
});
