// Test helpers: a sign-in answer as the server sends it, and a fake server for `fetch` that answers by method
// and path and records what it was asked.
import { vi } from "vitest";
import type { TokenResponse, User } from "./client";

export function tokensFor(user: Pick<User, "id" | "displayName"> & Partial<User>): TokenResponse {
  return {
    accessToken: "token",
    refreshToken: "refresh",
    expiresIn: 900,
    tokenType: "Bearer",
    user: {
      email: `${user.id}@example.test`,
      bio: null,
      role: "user",
      linkedLogins: [],
      createdAt: "2026-01-01T00:00:00Z",
      updatedAt: "2026-01-01T00:00:00Z",
      emailVerified: true,
      deletionDueAt: null,
      ...user,
    },
  };
}

/** An answer to a request's body: JSON with a status, or a whole Response (another type, headers). */
export type Route = (body: unknown) => { status?: number; json: unknown } | Response;

/** Answers `METHOD /path?query` from `routes` (a value, or a function of the request's body); JSON bodies are parsed, forms kept as text. */
export function fakeServer(routes: Record<string, Route | unknown>) {
  const calls: { method: string; url: string; body: unknown; headers: Headers }[] = [];
  const fetch = vi.fn(async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? "GET";
    const headers = new Headers(init.headers);
    const body = typeof init.body === "string" && headers.get("Content-Type") === "application/json" ? JSON.parse(init.body) : init.body;
    calls.push({ method, url, body, headers });
    const route = routes[`${method} ${url}`];
    if (route === undefined) return new Response(JSON.stringify({ detail: `No fake for ${method} ${url}` }), { status: 404 });
    const answer = typeof route === "function" ? (route as Route)(body) : { json: route };
    if (answer instanceof Response) return answer;
    return new Response(answer.json === undefined ? null : JSON.stringify(answer.json), {
      status: answer.status ?? 200,
      headers: { "Content-Type": "application/json" },
    });
  });
  vi.stubGlobal("fetch", fetch);
  return calls;
}

export const page = <T,>(items: T[], next: string | null = null) => ({ items, nextCursor: next ? "cursor" : null, next });
