// The one hook for the API's cursor-paged lists ({items, nextCursor, next}): the first page from `url`,
// the following ones on "Load more" through the server's ready-made `next` link.
import { useCallback, useEffect, useRef, useState } from "react";
import { api, type Page } from "./client";

export interface Paged<T> {
  items: T[];
  /** A page is on its way (the first one, a reload or the next one). */
  loading: boolean;
  error: unknown;
  /** The server has another page. */
  hasMore: boolean;
  /** Loads the next page; does nothing at the end or while a page is loading. */
  loadMore: () => void;
  /** Starts again from the first page, showing the current items until it is in. */
  reload: () => void;
  /** Changes loaded items in place, such as one the page itself changed. */
  update(change: (items: T[]) => T[]): void;
}

interface State<T> {
  items: T[];
  next: string | null;
  loading: boolean;
  error: unknown;
}

const start = <T>(url: string | null): State<T> => ({ items: [], next: null, loading: url !== null, error: null });

/** The pages of the list at `url` (nothing while it is null), appended as more are asked for. */
export function usePaged<T>(url: string | null): Paged<T> {
  const [state, setState] = useState<State<T>>(() => start(url));
  // Only the answer to the latest request is taken: one for a list no longer shown (a changed url, a
  // reload) is dropped, so quick changes never mix results.
  const latest = useRef(0);

  const fetchPage = useCallback((pageUrl: string, append: boolean) => {
    const ticket = ++latest.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    api.get<Page<T>>(pageUrl).then(
      (page) => ticket === latest.current && setState((s) => ({ items: append ? [...s.items, ...page.items] : page.items, next: page.next, loading: false, error: null })),
      (error) => ticket === latest.current && setState((s) => ({ ...s, loading: false, error })),
    );
  }, []);

  // A different list starts empty rather than showing the previous one's items.
  useEffect(() => {
    latest.current++;
    setState(start(url));
    if (url !== null) fetchPage(url, false);
  }, [url, fetchPage]);

  const reload = useCallback(() => {
    if (url !== null) fetchPage(url, false);
  }, [url, fetchPage]);

  const { next, loading } = state;
  const loadMore = useCallback(() => {
    if (next && !loading) fetchPage(next, true);
  }, [next, loading, fetchPage]);

  const update = useCallback((change: (items: T[]) => T[]) => setState((s) => ({ ...s, items: change(s.items) })), []);

  return { items: state.items, loading, error: state.error, hasMore: next !== null, loadMore, reload, update };
}
