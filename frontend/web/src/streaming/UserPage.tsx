// A user's page: their profile, follow button and counts, and tabs with their releases, playlists and
// likes. To the user themself, the releases and playlists include the private ones.
import { useState } from "react";
import { Link, useParams } from "react-router";
import { api } from "../api/client";
import { usePaged } from "../api/usePaged";
import { useUser } from "../auth/auth";
import { Loading, useLoad } from "../ui/ui";
import { countOf, FollowButton, PagedSection, ReleaseList } from "./components";
import type { PlaylistSummary, Profile, ReleaseSummary } from "./types";

const tabs = [
  { id: "releases", label: "Releases" },
  { id: "playlists", label: "Playlists" },
  { id: "likes", label: "Likes" },
] as const;

type Tab = (typeof tabs)[number]["id"];

export default function UserPage() {
  const { userId = "" } = useParams();
  const me = useUser();
  const profile = useLoad(() => api.get<Profile>(`/api/users/${userId}`), [userId]);
  const [tab, setTab] = useState<Tab>("releases");

  return (
    <main className="page stack">
      <Loading state={profile}>
        {profile.data && (
          <header className="stack">
            <h1>{profile.data.displayName}</h1>
            {profile.data.bio && <p className="description">{profile.data.bio}</p>}
            <FollowButton userId={userId} self={me?.id === userId} />
          </header>
        )}
      </Loading>
      <div className="tabs" role="tablist" aria-label="What to show">
        {tabs.map((t) => (
          <button key={t.id} role="tab" id={`tab-${t.id}`} aria-selected={tab === t.id} aria-controls="user-tab-panel" onClick={() => setTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="user-tab-panel" aria-labelledby={`tab-${tab}`}>
        {tab === "playlists" ? <Playlists userId={userId} /> : <Releases key={tab} path={`/api/users/${userId}/${tab}?first=20`} tab={tab} />}
      </div>
    </main>
  );
}

function Releases({ path, tab }: { path: string; tab: Tab }) {
  const releases = usePaged<ReleaseSummary>(path);
  return (
    <PagedSection paged={releases}>
      <ReleaseList
        source="profile"
        label={tab === "likes" ? "Liked releases" : "Releases"}
        items={releases.items}
        release={(r) => r}
        empty={tab === "likes" ? "No likes yet." : "No releases yet."}
      />
    </PagedSection>
  );
}

function Playlists({ userId }: { userId: string }) {
  const playlists = usePaged<PlaylistSummary>(`/api/users/${userId}/playlists?first=20`);
  return (
    <PagedSection paged={playlists}>
      {playlists.items.length === 0 ? (
        <p className="muted">No playlists yet.</p>
      ) : (
        <ul className="list" aria-label="Playlists">
          {playlists.items.map((p) => (
            <li key={p.id}>
              <Link to={`/playlists/${p.id}`}>{p.title}</Link>{" "}
              <span className="muted">
                {countOf(p.count, "release")}
                {p.isPublic ? "" : " · private"}
              </span>
            </li>
          ))}
        </ul>
      )}
    </PagedSection>
  );
}
