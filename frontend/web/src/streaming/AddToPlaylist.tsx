// Adds a release to one of the signed-in user's playlists, or to a new one made on the spot.
import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { api, type Page, type User } from "../api/client";
import { ErrorText, useLoad } from "../ui/ui";
import type { Playlist, PlaylistSummary } from "./types";

const newPlaylist = "new";

export function AddToPlaylist({ releaseId, user }: { releaseId: string; user: User }) {
  const playlists = useLoad(() => api.get<Page<PlaylistSummary>>(`/api/users/${user.id}/playlists?first=100`), [user.id]);
  const [choice, setChoice] = useState("");
  const [title, setTitle] = useState("");
  const [added, setAdded] = useState<Playlist | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const mine = playlists.data?.items ?? [];
  const target = choice || mine[0]?.id || newPlaylist;

  async function add(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setAdded(null);
    try {
      const playlistId = target === newPlaylist ? (await api.post<Playlist>("/api/playlists", { title: title.trim() })).id : target;
      setAdded(await api.post<Playlist>(`/api/playlists/${playlistId}/items`, { releaseId }));
      if (target === newPlaylist) {
        setTitle("");
        setChoice(playlistId);
        playlists.reload();
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="row add-to-playlist" onSubmit={add}>
      <label className="inline">
        Playlist
        <select value={target} onChange={(e) => setChoice(e.target.value)}>
          {mine.map((p) => (
            <option key={p.id} value={p.id}>
              {p.title}
              {p.isPublic ? "" : " (private)"}
            </option>
          ))}
          <option value={newPlaylist}>New playlist…</option>
        </select>
      </label>
      {target === newPlaylist && (
        <label className="inline">
          New playlist title
          <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
        </label>
      )}
      <button type="submit" className="secondary" disabled={busy}>
        Add to playlist
      </button>
      {added && (
        <span className="ok">
          Added to <Link to={`/playlists/${added.id}`}>{added.title}</Link>.
        </span>
      )}
      <ErrorText error={error ?? playlists.error} />
    </form>
  );
}
