// A playlist: its releases in order, each playable; its owner moves them up and down and removes them.
// Every change answers with the playlist as it is now, which replaces what is shown.
import { useState } from "react";
import { Link, useParams } from "react-router";
import { api } from "../api/client";
import { useUser } from "../auth/auth";
import { ErrorText, Loading, useLoad } from "../ui/ui";
import { countOf, ReleaseList } from "./components";
import { useUserNames } from "./hooks";
import type { Playlist, ReleaseSummary } from "./types";

export default function PlaylistPage() {
  const { playlistId = "" } = useParams();
  const loaded = useLoad(() => api.get<Playlist>(`/api/playlists/${playlistId}`), [playlistId]);
  const [changed, setChanged] = useState<Playlist | null>(null);
  const playlist = changed?.id === playlistId ? changed : loaded.data;
  return (
    <main className="page stack">
      <Loading state={loaded}>{playlist && <PlaylistView playlist={playlist} onChanged={setChanged} />}</Loading>
    </main>
  );
}

function PlaylistView({ playlist, onChanged }: { playlist: Playlist; onChanged: (p: Playlist) => void }) {
  const user = useUser();
  const owner = useUserNames([playlist.ownerId])[playlist.ownerId];
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const isOwner = user?.id === playlist.ownerId;
  const items = `/api/playlists/${playlist.id}/items`;

  const change = (send: () => Promise<Playlist>) => {
    setBusy(true);
    setError(null);
    send()
      .then(onChanged, setError)
      .finally(() => setBusy(false));
  };
  const move = (release: ReleaseSummary, position: number) => change(() => api.put<Playlist>(`${items}/${release.id}`, { position }));
  const remove = (release: ReleaseSummary) => change(() => api.delete<Playlist>(`${items}/${release.id}`));

  const ownerActions = (release: ReleaseSummary, index: number) => (
    <>
      <button className="secondary small" aria-label={`Move ${release.title} up`} disabled={busy || index === 0} onClick={() => move(release, index - 1)}>
        ↑
      </button>
      <button
        className="secondary small"
        aria-label={`Move ${release.title} down`}
        disabled={busy || index === playlist.releases.length - 1}
        onClick={() => move(release, index + 1)}
      >
        ↓
      </button>
      <button className="danger small" aria-label={`Remove ${release.title}`} disabled={busy} onClick={() => remove(release)}>
        Remove
      </button>
    </>
  );

  return (
    <>
      <header>
        <h1>{playlist.title}</h1>
        <p className="muted">
          A playlist by <Link to={`/users/${playlist.ownerId}`}>{owner ?? "…"}</Link> · {countOf(playlist.releases.length, "release")}
          {playlist.isPublic ? "" : " · private"}
        </p>
        {playlist.description && <p className="description">{playlist.description}</p>}
      </header>
      <ErrorText error={error} />
      <ReleaseList
        source="playlist"
        label="Playlist releases"
        items={playlist.releases}
        release={(r) => r}
        actions={isOwner ? ownerActions : undefined}
        empty={isOwner ? "Nothing here yet: add releases from their pages." : "Nothing here yet."}
      />
    </>
  );
}
