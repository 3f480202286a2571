// The body of POST /api/releases for publishing a project's current version: the form's fields as the
// API takes them (genre and tags lower-cased, at most 10 distinct tags, empty fields left out).
import type { Visibility } from "./types";

export interface PublishFields {
  title: string;
  genre: string;
  tags: string;
  visibility: Visibility;
  description: string;
}

export const maxTags = 10;

/** "Lo-Fi, chill,, lo-fi " → ["lo-fi", "chill"]. */
export function parseTags(text: string): string[] {
  const tags = text
    .split(",")
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  return [...new Set(tags)];
}

export function publishBody(projectId: string, fields: PublishFields) {
  const tags = parseTags(fields.tags);
  const genre = fields.genre.trim().toLowerCase();
  const description = fields.description.trim();
  return {
    projectId,
    title: fields.title.trim(),
    visibility: fields.visibility,
    ...(genre && { genre }),
    ...(tags.length > 0 && { tags }),
    ...(description && { description }),
  };
}
