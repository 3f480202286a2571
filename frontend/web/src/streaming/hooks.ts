// Hooks the streaming pages share: cursor-paged lists ("Load more" follows the server's `next` link),
// display names for user ids (comments and feeds carry ids only), and asking a visitor to sign in first.
import { useCallback, useEffect, useRef, useState } from "react";
import { useLocation, useNavigate } from "react-router";
import { api, currentUser, type Page } from "../api/client";
import type { Profile } from "./types";

export interface Paged<T> {
  items: T[];
  loading: boolean;
  error: unknown;
  /** Loads the next page; null at the end. */
  loadMore: (() => void) | null;
  /** Starts again from the first page. */
  reload: () => void;
}

/** The pages of a list from `url` on (nothing while it is null), appended as more are asked for. */
export function usePaged<T>(url: string | null): Paged<T> {
  const [state, setState] = useState<{ items: T[]; next: string | null; loading: boolean; error: unknown }>({
    items: [],
    next: null,
    loading: url !== null,
    error: null,
  });
  // Each load belongs to one generation; an answer for an older list (a changed url) is dropped.
  const generation = useRef(0);

  const fetchPage = useCallback((pageUrl: string, append: boolean) => {
    const mine = generation.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    api.get<Page<T>>(pageUrl).then(
      (page) => mine === generation.current && setState((s) => ({ items: append ? [...s.items, ...page.items] : page.items, next: page.next, loading: false, error: null })),
      (error) => mine === generation.current && setState((s) => ({ ...s, loading: false, error })),
    );
  }, []);

  // A different list starts empty; a reload of the same one keeps showing it until the new page is in.
  useEffect(() => {
    generation.current++;
    setState({ items: [], next: null, loading: url !== null, error: null });
    if (url !== null) fetchPage(url, false);
  }, [url, fetchPage]);

  const reload = useCallback(() => {
    generation.current++;
    if (url !== null) fetchPage(url, false);
  }, [url, fetchPage]);

  const next = state.next;
  return {
    items: state.items,
    loading: state.loading,
    error: state.error,
    loadMore: next && !state.loading ? () => fetchPage(next, true) : null,
    reload,
  };
}

const names = new Map<string, Promise<string>>();

/** A user's display name, asked once per id for the whole app. */
export function userName(id: string): Promise<string> {
  let name = names.get(id);
  if (!name) {
    name = api.get<Profile>(`/api/users/${id}`).then(
      (p) => p.displayName,
      () => "Someone",
    );
    names.set(id, name);
  }
  return name;
}

/** Display names of the given users, filled in as they arrive. */
export function useUserNames(ids: string[]): Record<string, string> {
  const [known, setKnown] = useState<Record<string, string>>({});
  const key = [...new Set(ids)].sort().join(",");
  useEffect(() => {
    let active = true;
    for (const id of key ? key.split(",") : []) void userName(id).then((name) => active && setKnown((k) => (k[id] === name ? k : { ...k, [id]: name })));
    return () => {
      active = false;
    };
  }, [key]);
  return known;
}

/** Returns a check for actions that need an account: true when signed in, else it sends them to sign in and back. */
export function useSignInFirst(): () => boolean {
  const navigate = useNavigate();
  const location = useLocation();
  return () => {
    if (currentUser()) return true;
    navigate(`/signin?returnTo=${encodeURIComponent(location.pathname + location.search)}`);
    return false;
  };
}
