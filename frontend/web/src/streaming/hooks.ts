// Hooks the streaming pages share: display names for user ids (comments and feeds carry ids only), and
// asking a visitor to sign in first. Paged lists use api/usePaged.
import { useEffect, useState } from "react";
import { useLocation, useNavigate } from "react-router";
import { api, currentUser } from "../api/client";
import type { Profile } from "./types";

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
