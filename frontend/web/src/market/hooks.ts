// Hooks the marketplace pages share: a cursor-paged list from the API, and an order kept up to date while
// its payment is awaited.
import { useCallback, useEffect, useRef, useState } from "react";
import { api, type Page } from "../api/client";
import type { Order } from "./market";

interface ListState<T> {
  items: T[];
  next: string | null;
  loading: boolean;
  error?: unknown;
}

/**
 * A cursor-paged list ({items, nextCursor, next}): the first page on mount and whenever `firstPath` changes
 * (null: nothing to load), the following ones on `loadMore` by the server's ready-made `next` link. Answers
 * to a path no longer asked for are dropped, so quick filter changes never mix results.
 */
export function useCursorList<T>(firstPath: string | null) {
  const [state, setState] = useState<ListState<T>>({ items: [], next: null, loading: firstPath !== null });
  const asked = useRef(0);

  const fetchPage = useCallback((path: string, append: boolean) => {
    const ticket = ++asked.current;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    api.get<Page<T>>(path).then(
      (page) => ticket === asked.current && setState((s) => ({ items: append ? [...s.items, ...page.items] : page.items, next: page.next, loading: false })),
      (error) => ticket === asked.current && setState((s) => ({ ...s, loading: false, error })),
    );
  }, []);

  const reload = useCallback(() => {
    if (firstPath !== null) return fetchPage(firstPath, false);
    asked.current++;
    setState({ items: [], next: null, loading: false });
  }, [firstPath, fetchPage]);

  useEffect(reload, [reload]);

  const loadMore = useCallback(() => {
    if (state.next) fetchPage(state.next, true);
  }, [state.next, fetchPage]);

  return { ...state, hasMore: state.next !== null, loadMore, reload };
}

export type CursorList<T> = ReturnType<typeof useCursorList<T>>;

const awaitingPayment = (order: Order | null) => order !== null && (order.status === "pending" || order.status === "paid");

/** An order that re-reads itself every few seconds while it waits for its payment or license, so an admin's confirmation shows up here. */
export function useLiveOrder<T extends Order | null>(initial: T) {
  const [order, setOrder] = useState<T>(initial);
  const watched = awaitingPayment(order) ? order!.id : null;
  useEffect(() => {
    if (!watched) return;
    const timer = setInterval(() => void api.get<Order>(`/api/orders/${watched}`).then((next) => setOrder(next as T), () => undefined), 3000);
    return () => clearInterval(timer);
  }, [watched]);
  return [order, setOrder] as const;
}
