// Test helpers for the streaming folder: a fake server for `fetch` that answers by method and path and
// records what it was asked.
import { vi } from "vitest";

export type Route = (body: unknown) => { status?: number; json: unknown };

export function fakeServer(routes: Record<string, Route | unknown>) {
  const calls: { method: string; url: string; body: unknown }[] = [];
  const fetch = vi.fn(async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? "GET";
    const body = typeof init.body === "string" ? JSON.parse(init.body) : undefined;
    calls.push({ method, url, body });
    const route = routes[`${method} ${url}`];
    if (route === undefined) return new Response(JSON.stringify({ detail: `No fake for ${method} ${url}` }), { status: 404 });
    const answer = typeof route === "function" ? (route as Route)(body) : { json: route };
    return new Response(JSON.stringify(answer.json), { status: answer.status ?? 200, headers: { "Content-Type": "application/json" } });
  });
  vi.stubGlobal("fetch", fetch);
  return calls;
}

export const page = <T,>(items: T[], next: string | null = null) => ({ items, nextCursor: next ? "cursor" : null, next });
