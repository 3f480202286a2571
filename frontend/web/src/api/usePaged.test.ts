// The paging hook: the first page, the next ones through the server's `next` link, reloads that keep the
// list showing, and answers for a list no longer asked for dropped. The API is a fake fetch whose answers
// the tests release one at a time.
import { act, renderHook, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { usePaged } from "./usePaged";

interface Item { id: string }

const page = (ids: string[], next: string | null = null) => ({ items: ids.map((id) => ({ id })), nextCursor: next ? "cursor" : null, next });

/** Requests as they were made, each answered when the test says so. */
let pending: { url: string; answer: (body: unknown, status?: number) => Promise<void> }[];

beforeEach(() => {
  pending = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(
      (url: string) =>
        new Promise<Response>((resolve) => {
          pending.push({
            url,
            // Resolves once the hook has taken the answer in (its promise chain runs inside act).
            answer: (body, status = 200) =>
              act(async () => resolve(new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } }))),
          });
        }),
    ),
  );
});
afterEach(() => vi.unstubAllGlobals());

const ids = (items: Item[]) => items.map((i) => i.id);

it("loads the first page, then the next through the server's link, until there is none", async () => {
  const { result } = renderHook(() => usePaged<Item>("/api/things?first=2"));
  expect(result.current.loading).toBe(true);
  await waitFor(() => expect(pending).toHaveLength(1));
  expect(pending[0].url).toBe("/api/things?first=2");
  await pending[0].answer(page(["a", "b"], "/api/things?first=2&after=b"));
  expect(ids(result.current.items)).toEqual(["a", "b"]);
  expect(result.current).toMatchObject({ loading: false, error: null, hasMore: true });

  await act(async () => result.current.loadMore());
  await act(async () => result.current.loadMore()); // a second click while the page is on its way asks nothing more
  expect(result.current.loading).toBe(true);
  expect(pending).toHaveLength(2);
  expect(pending[1].url).toBe("/api/things?first=2&after=b");
  await pending[1].answer(page(["c"]));
  expect(ids(result.current.items)).toEqual(["a", "b", "c"]);
  expect(result.current.hasMore).toBe(false);

  await act(async () => result.current.loadMore());
  expect(pending).toHaveLength(2);
});

it("asks nothing while there is no url", async () => {
  const { result } = renderHook(() => usePaged<Item>(null));
  expect(result.current).toMatchObject({ items: [], loading: false, hasMore: false });
  await act(async () => result.current.reload());
  expect(pending).toHaveLength(0);
});

it("starts a changed list empty and drops the late answer for the old one", async () => {
  const { result, rerender } = renderHook(({ url }) => usePaged<Item>(url), { initialProps: { url: "/api/things?q=old" } });
  await waitFor(() => expect(pending).toHaveLength(1));
  await pending[0].answer(page(["old1"]));
  await act(async () => result.current.reload());
  expect(pending).toHaveLength(2);

  rerender({ url: "/api/things?q=new" });
  await waitFor(() => expect(pending).toHaveLength(3));
  expect(result.current.items).toEqual([]);
  expect(result.current.loading).toBe(true);

  await pending[2].answer(page(["new1"]));
  await pending[1].answer(page(["old2"])); // the reload of the old list comes back last
  expect(ids(result.current.items)).toEqual(["new1"]);
  expect(result.current.loading).toBe(false);
});

it("keeps the list while it reloads, and keeps it with the reason when a page fails", async () => {
  const { result } = renderHook(() => usePaged<Item>("/api/things"));
  await waitFor(() => expect(pending).toHaveLength(1));
  await pending[0].answer(page(["a"], "/api/things?after=a"));

  await act(async () => result.current.reload());
  expect(ids(result.current.items)).toEqual(["a"]);
  expect(result.current.loading).toBe(true);
  await pending[1].answer(page(["a", "b"], "/api/things?after=b"));
  expect(ids(result.current.items)).toEqual(["a", "b"]);

  await act(async () => result.current.loadMore());
  await pending[2].answer({ detail: "The cursor expired." }, 400);
  expect(ids(result.current.items)).toEqual(["a", "b"]);
  expect(result.current.loading).toBe(false);
  expect((result.current.error as Error).message).toBe("The cursor expired.");
  expect(result.current.hasMore).toBe(true); // so "Load more" can try again
});

it("changes loaded items in place", async () => {
  const { result } = renderHook(() => usePaged<Item & { done?: boolean }>("/api/things"));
  await waitFor(() => expect(pending).toHaveLength(1));
  await pending[0].answer(page(["a", "b"]));
  act(() => result.current.update((items) => items.map((i) => (i.id === "b" ? { ...i, done: true } : i))));
  expect(result.current.items).toEqual([{ id: "a" }, { id: "b", done: true }]);
});
