// Pieces the streaming pages share: release rows with a Play button, paged lists with "Load more",
// toggle buttons with counts (like, repost, follow), artwork.
import { useState, type ReactNode } from "react";
import { Link } from "react-router";
import { api, query } from "../api/client";
import type { Paged } from "../api/usePaged";
import { ErrorText, formatTime, useLoad } from "../ui/ui";
import { usePlayer, type Playing, type PlaySource } from "./player";
import { useSignInFirst } from "./hooks";
import type { FollowCounts, ReleaseSummary } from "./types";

/** Plays `track` through the player bar, or pauses and resumes it when it is the one loaded. */
export function usePlayToggle(track: Playing) {
  const player = usePlayer();
  const [error, setError] = useState<unknown>(null);
  const loaded = player.playing?.releaseId === track.releaseId;
  const playing = loaded && !player.paused;
  const toggle = () => {
    setError(null);
    if (loaded) player.toggle();
    else player.play(track).catch(setError);
  };
  return { loaded, playing, toggle, error };
}

/** "1 play", "3 plays". */
export const countOf = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** What a listener wants to know at a glance: genre, tempo, key, length, plays. */
export function releaseFacts(release: ReleaseSummary): string {
  return [
    release.genre,
    release.bpm ? `${Math.round(release.bpm)} BPM` : null,
    release.key,
    release.durationSeconds ? formatTime(release.durationSeconds) : null,
    countOf(release.plays, "play"),
  ]
    .filter(Boolean)
    .join(" · ");
}

export function Artwork({ release, size, secret }: { release: Pick<ReleaseSummary, "id" | "title" | "hasArtwork">; size: 300 | 1000; secret?: string }) {
  if (!release.hasArtwork) return null;
  return (
    <img
      className={size === 300 ? "artwork small" : "artwork"}
      src={`/api/releases/${release.id}/artwork${query({ size, secret })}`}
      alt={`Artwork of ${release.title}`}
      loading="lazy"
    />
  );
}

function ReleaseRow({ release, note, actions, source }: { release: ReleaseSummary; note?: ReactNode; actions?: ReactNode; source?: PlaySource }) {
  const { playing, toggle, error } = usePlayToggle({ releaseId: release.id, title: release.title, artist: release.artist, source });
  return (
    <li className="release-row">
      <button className="play" onClick={toggle} aria-label={`${playing ? "Pause" : "Play"} ${release.title}`}>
        {playing ? "❚❚" : "▶"}
      </button>
      <Artwork release={release} size={300} />
      <div className="release-text">
        <Link to={`/releases/${release.id}`}>
          <strong>{release.title}</strong>
        </Link>{" "}
        <span className="muted">
          by <Link to={`/users/${release.ownerId}`}>{release.artist}</Link>
        </span>
        {note && <div className="muted small-text">{note}</div>}
        <div className="muted small-text">{releaseFacts(release)}</div>
        <ErrorText error={error} />
      </div>
      {actions && <div className="row">{actions}</div>}
    </li>
  );
}

export interface ReleaseListProps<T> {
  items: T[];
  release: (item: T) => ReleaseSummary;
  /** A line above the facts, such as who reposted it. */
  note?: (item: T, index: number) => ReactNode;
  /** Buttons at the end of the row, such as the playlist owner's. */
  actions?: (item: T, index: number) => ReactNode;
  empty: string;
  label: string;
  /** Where these rows are, for the artist's insights (see player.tsx). */
  source?: PlaySource;
}

/** Releases as rows: each an <li> with a "Play <title>" button and links to the release and its artist. */
export function ReleaseList<T>({ items, release, note, actions, empty, label, source }: ReleaseListProps<T>) {
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="list" aria-label={label}>
      {items.map((item, index) => {
        const r = release(item);
        return <ReleaseRow key={`${r.id}-${index}`} release={r} note={note?.(item, index)} actions={actions?.(item, index)} source={source} />;
      })}
    </ul>
  );
}

/** A paged list's errors, first-load state and "Load more" around what `children` renders of its items. */
export function PagedSection<T>({ paged, children }: { paged: Paged<T>; children: ReactNode }) {
  return (
    <>
      {paged.loading && paged.items.length === 0 ? <p className="muted">Loading…</p> : children}
      <ErrorText error={paged.error} />
      {paged.hasMore && !paged.loading && (
        <button className="secondary" onClick={paged.loadMore}>
          Load more
        </button>
      )}
    </>
  );
}

/** An on/off button named exactly `label` (aria-pressed), with its count beside it when given. */
export function ToggleButton({ label, pressed, count, onToggle, busy }: { label: string; pressed: boolean; count?: number; onToggle: () => void; busy?: boolean }) {
  return (
    <span className="toggle">
      <button className="secondary" aria-pressed={pressed} onClick={onToggle} disabled={busy}>
        {label}
      </button>
      {count !== undefined && <span className="muted">{count}</span>}
    </span>
  );
}

/** Follows or unfollows a user (never oneself), with their follower and following counts. */
export function FollowButton({ userId, self }: { userId: string; self: boolean }) {
  const signInFirst = useSignInFirst();
  const loaded = useLoad(() => api.get<FollowCounts>(`/api/users/${userId}/follows`), [userId]);
  const [changed, setChanged] = useState<FollowCounts | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const counts = changed?.userId === userId ? changed : loaded.data;
  if (!counts) return <ErrorText error={loaded.error} />;

  const toggle = () => {
    if (!signInFirst()) return;
    setBusy(true);
    setError(null);
    const path = `/api/users/${userId}/follow`;
    (counts.followedByMe ? api.delete<FollowCounts>(path) : api.put<FollowCounts>(path))
      .then(setChanged, setError)
      .finally(() => setBusy(false));
  };
  return (
    <span className="row">
      {!self && <ToggleButton label="Follow" pressed={counts.followedByMe} onToggle={toggle} busy={busy} />}
      <span className="muted">
        {countOf(counts.followers, "follower")} · {counts.following} following
      </span>
      <ErrorText error={error} />
    </span>
  );
}
