// The one way the app talks to the REST API: JSON in and out, the access token attached and refreshed
// silently, problem details turned into errors whose message is the server's reason in plain words.
import type { Schema } from "./types";

/** The signed-in user, as sign-in answers and the session keeps. */
export type User = Schema<"MeResponse">;

export type TokenResponse = Schema<"TokenResponse">;

/** One page of a list (each `PageResponseOf…` schema): the items, the cursor for the next page and a ready-made link to it. */
export type Page<T> = Omit<Schema<"PageResponseOfUserResponse">, "items"> & { items: T[] };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Record<string, string[]>,
  ) {
    super(message);
  }
}

const storageKey = "jacameno.session";

interface Session {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  user: User;
}

let session: Session | null = load();
let refreshing: Promise<Session | null> | null = null;
const listeners = new Set<(user: User | null) => void>();

function load(): Session | null {
  try {
    const raw = globalThis.localStorage?.getItem(storageKey);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

function save(next: Session | null) {
  session = next;
  if (next) localStorage.setItem(storageKey, JSON.stringify(next));
  else localStorage.removeItem(storageKey);
  for (const listener of listeners) listener(next?.user ?? null);
}

export function currentUser(): User | null {
  return session?.user ?? null;
}

export function onUserChanged(listener: (user: User | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function signedIn(tokens: TokenResponse) {
  save({
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresAt: Date.now() + tokens.expiresIn * 1000,
    user: tokens.user,
  });
}

export function updateUser(user: User) {
  if (session) save({ ...session, user });
}

export async function signOut() {
  const refreshToken = session?.refreshToken;
  save(null);
  if (refreshToken) await fetch("/api/auth/logout", jsonInit("POST", { refreshToken })).catch(() => undefined);
}

/** A valid access token, refreshed first when it expires within a minute; null when signed out. */
export async function accessToken(): Promise<string | null> {
  if (!session) return null;
  if (session.expiresAt - Date.now() > 60_000) return session.accessToken;
  return (await refresh())?.accessToken ?? null;
}

function refresh(): Promise<Session | null> {
  // One refresh at a time: a refresh token is spent on use, so a second would end the session.
  refreshing ??= (async () => {
    const refreshToken = session?.refreshToken;
    if (!refreshToken) return null;
    const response = await fetch("/api/auth/refresh", jsonInit("POST", { refreshToken }));
    if (response.ok) signedIn((await response.json()) as TokenResponse);
    else if (response.status === 400 || response.status === 401) save(null);
    return session;
  })().finally(() => (refreshing = null));
  return refreshing;
}

function jsonInit(method: string, body?: unknown): RequestInit {
  return body === undefined
    ? { method }
    : { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
}

/** Sends a request with the caller's token; JSON bodies by default, or a Blob/File as it is. */
export async function request(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) {
    headers.set("Content-Type", "application/json");
    rest.body = JSON.stringify(json);
  }
  const send = async () => {
    const token = await accessToken();
    if (token) headers.set("Authorization", `Bearer ${token}`);
    return fetch(path, { ...rest, headers });
  };
  let response = await send();
  if (response.status === 401 && session) {
    await refresh();
    if (session) response = await send();
  }
  if (!response.ok) throw await toError(response);
  return response;
}

async function toError(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  let problem: { detail?: unknown; title?: unknown; error?: unknown; error_description?: unknown; errors?: Record<string, string[]> } | null = null;
  try {
    problem = JSON.parse(text);
  } catch {
    // Not JSON: said below in words, or (the OAuth endpoints' own errors) as "error:…" lines of text.
  }
  if (problem && typeof problem === "object") {
    // Problem details (RFC 9457), or an OAuth error's JSON (RFC 6749: error, error_description).
    const detail = problem.detail ?? problem.error_description ?? problem.title ?? problem.error ?? response.statusText;
    return new ApiError(response.status, String(detail), problem.errors);
  }
  const oauth = /^error_description:\s*(.+)$/m.exec(text)?.[1] ?? /^error:\s*(.+)$/m.exec(text)?.[1];
  if (oauth) return new ApiError(response.status, oauth.trim());
  const reason =
    response.status === 413 ? "That is too large." : response.status === 429 ? "Too many requests; try again shortly." : response.statusText;
  return new ApiError(response.status, reason || `The server answered ${response.status}.`);
}

async function body<T>(response: Response): Promise<T> {
  return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
}

export const api = {
  get: async <T>(path: string) => body<T>(await request(path)),
  post: async <T>(path: string, json?: unknown) => body<T>(await request(path, { method: "POST", json: json ?? {} })),
  put: async <T>(path: string, json?: unknown) => body<T>(await request(path, { method: "PUT", json: json ?? {} })),
  patch: async <T>(path: string, json: unknown) => body<T>(await request(path, { method: "PATCH", json })),
  /** A form (`application/x-www-form-urlencoded`), as the OAuth endpoints take it. */
  postForm: async <T>(path: string, form: URLSearchParams) =>
    body<T>(await request(path, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: form.toString() })),
  delete: async <T = void>(path: string, json?: unknown) => body<T>(await request(path, json === undefined ? { method: "DELETE" } : { method: "DELETE", json })),
};

/** A query string from the defined values only. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** What to show a person for any failure. */
export function describe(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}
