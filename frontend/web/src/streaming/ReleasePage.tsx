// One release: artwork, title, artist and details; its waveform, which seeks and plays through the
// player bar; like, repost and follow; adding it to a playlist; comments at time positions; related
// releases. An unlisted release opens through its link's `?secret=`, passed on to every read.
import { useRef, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { api, query } from "../api/client";
import type { Schema } from "../api/types";
import { usePaged } from "../api/usePaged";
import { useUser } from "../auth/auth";
import { ErrorText, Loading, formatTime, useLoad } from "../ui/ui";
import { ReportButton } from "../ui/ReportButton";
import { AddToPlaylist } from "./AddToPlaylist";
import { Comments } from "./Comments";
import { Artwork, countOf, FollowButton, ReleaseList, ToggleButton, usePlayToggle } from "./components";
import { useSignInFirst } from "./hooks";
import { usePlayer } from "./player";
import type { Release, ReleaseComment, ReleaseSummary } from "./types";
import { Waveform } from "./Waveform";

export default function ReleasePage() {
  const { releaseId = "" } = useParams();
  const secret = useSearchParams()[0].get("secret") ?? undefined;
  const loaded = useLoad(() => api.get<Release>(`/api/releases/${releaseId}${query({ secret })}`), [releaseId, secret]);
  // Like and repost answer with the release and its new counts.
  const [changed, setChanged] = useState<Release | null>(null);
  const release = changed?.id === releaseId ? changed : loaded.data;

  return (
    <main className="page">
      <Loading state={loaded}>{release && <ReleaseView release={release} secret={secret} onChanged={setChanged} />}</Loading>
    </main>
  );
}

function ReleaseView({ release, secret, onChanged }: { release: Release; secret?: string; onChanged: (r: Release) => void }) {
  const user = useUser();
  const player = usePlayer();
  const track = { releaseId: release.id, title: release.title, artist: release.artist, secret };
  const play = usePlayToggle(track);
  const comments = usePaged<ReleaseComment>(`/api/releases/${release.id}/comments${query({ first: 50, secret })}`);
  const [seekError, setSeekError] = useState<unknown>(null);
  const position = play.loaded ? player.position : null;
  const isOwner = user?.id === release.ownerId;
  const ready = release.status === "ready";

  // While the player is starting this release, further seeks (a drag on the waveform) only move the target.
  const startingAt = useRef<number | null>(null);

  /** Moves the player to `seconds` in this release, starting it first when another one (or none) is loaded. */
  const seekTo = (seconds: number) => {
    setSeekError(null);
    if (play.loaded) {
      player.seek(seconds);
      if (player.paused) player.toggle();
      return;
    }
    const alreadyStarting = startingAt.current !== null;
    startingAt.current = seconds;
    if (alreadyStarting) return;
    player
      .play(track)
      .then(() => player.seek(startingAt.current ?? seconds), setSeekError)
      .finally(() => (startingAt.current = null));
  };

  return (
    <article className="stack">
      <header className="release-head">
        <Artwork release={release} size={1000} secret={secret} />
        <div className="stack">
          <h1>{release.title}</h1>
          <p>
            by <Link to={`/users/${release.ownerId}`}>{release.artist}</Link>
          </p>
          <FollowButton userId={release.ownerId} self={isOwner} />
          <div className="row">
            <button onClick={play.toggle} aria-label={play.playing ? "Pause" : "Play"} disabled={!ready}>
              {play.playing ? "❚❚ Pause" : "▶ Play"}
            </button>
            <span className="muted">{countOf(release.plays, "play")}</span>
          </div>
          <ErrorText error={play.error ?? seekError} />
        </div>
      </header>

      {release.status === "processing" && <p className="muted">The audio is being prepared; it plays once it is ready.</p>}
      {release.status === "failed" && <ErrorText error={new Error(release.error ?? "The audio could not be prepared.")} />}
      {ready && <Waveform releaseId={release.id} secret={secret} position={position} comments={comments.items} onSeek={seekTo} />}

      <SocialButtons release={release} secret={secret} isOwner={isOwner} onChanged={onChanged} />
      {user && <AddToPlaylist releaseId={release.id} user={user} />}
      {user && user.id !== release.ownerId && (
        <p className="row muted">
          <ReportButton targetType="release" targetId={release.id} label="release" />
          <Link to={`/copyright?type=release&id=${release.id}`}>Copyright notice</Link>
        </p>
      )}
      <Details release={release} isOwner={isOwner} />
      <Comments releaseId={release.id} ownerId={release.ownerId} secret={secret} comments={comments} position={position ?? 0} onSeek={seekTo} />
      <Related releaseId={release.id} secret={secret} />
    </article>
  );
}

/** Whether the signed-in user liked and reposted the release. */
function useMarks(releaseId: string) {
  const me = useUser()?.id;
  return useLoad(async () => {
    if (!me) return { liked: false, reposted: false };
    const marks = await api.get<Schema<"ReleaseMarks">>(`/api/releases/marks?ids=${releaseId}`);
    return { liked: marks.liked.includes(releaseId), reposted: marks.reposted.includes(releaseId) };
  }, [me, releaseId]);
}

/** Like and repost, starting from what the caller did before. */
function SocialButtons({ release, secret, isOwner, onChanged }: { release: Release; secret?: string; isOwner: boolean; onChanged: (r: Release) => void }) {
  const signInFirst = useSignInFirst();
  const marks = useMarks(release.id);
  const [pressed, setPressed] = useState<{ like?: boolean; repost?: boolean }>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const liked = pressed.like ?? marks.data?.liked ?? false;
  const reposted = pressed.repost ?? marks.data?.reposted ?? false;

  const toggle = (what: "like" | "repost", on: boolean) => {
    if (!signInFirst()) return;
    setBusy(true);
    setError(null);
    const path = `/api/releases/${release.id}/${what}${what === "like" ? query({ secret }) : ""}`;
    (on ? api.put<Release>(path) : api.delete<Release>(path))
      .then((r) => {
        onChanged(r);
        setPressed((p) => ({ ...p, [what]: on }));
      }, setError)
      .finally(() => setBusy(false));
  };

  return (
    <div className="row">
      <ToggleButton label="Like" pressed={liked} count={release.likes} onToggle={() => toggle("like", !liked)} busy={busy} />
      {!isOwner && <ToggleButton label="Repost" pressed={reposted} count={release.reposts} onToggle={() => toggle("repost", !reposted)} busy={busy} />}
      {isOwner && <span className="muted">{countOf(release.reposts, "repost")}</span>}
      <ErrorText error={error} />
    </div>
  );
}

const licenses: Record<string, string> = {
  allRightsReserved: "All rights reserved",
  ccBy: "CC BY",
  ccBySa: "CC BY-SA",
  ccByNd: "CC BY-ND",
  ccByNc: "CC BY-NC",
  ccByNcSa: "CC BY-NC-SA",
  ccByNcNd: "CC BY-NC-ND",
  cc0: "CC0",
};

function Details({ release, isOwner }: { release: Release; isOwner: boolean }) {
  const facts: [string, string | null][] = [
    ["Genre", release.genre],
    ["Mood", release.mood],
    ["Tags", release.tags.length ? release.tags.join(", ") : null],
    ["Tempo", release.bpm ? `${Math.round(release.bpm)} BPM` : null],
    ["Key", release.key],
    ["Length", release.durationSeconds ? formatTime(release.durationSeconds) : null],
    ["Released", new Date(release.releaseAt).toLocaleDateString()],
    ["License", licenses[release.license] ?? release.license],
    ["Explicit", release.explicit ? "Yes" : null],
  ];
  const shareLink = isOwner && release.visibility === "unlisted" && release.secret ? `${window.location.origin}/releases/${release.id}?secret=${release.secret}` : null;
  return (
    <section aria-labelledby="details-heading">
      <h2 id="details-heading">Details</h2>
      {release.description && <p className="description">{release.description}</p>}
      <dl className="facts">
        {facts
          .filter(([, value]) => value)
          .map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
      {release.credits.length > 0 && (
        <>
          <h3>Credits</h3>
          <ul>
            {release.credits.map((c, i) => (
              <li key={i}>
                {c.userId ? <Link to={`/users/${c.userId}`}>{c.name}</Link> : c.name} <span className="muted">— {c.role}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {isOwner && (
        <p className="muted">
          Visible to: {release.visibility}
          {release.published ? "" : " (unpublished)"}
          {shareLink && (
            <>
              {" "}
              · share link: <a href={shareLink}>{shareLink}</a>
            </>
          )}
        </p>
      )}
    </section>
  );
}

function Related({ releaseId, secret }: { releaseId: string; secret?: string }) {
  const related = useLoad(() => api.get<ReleaseSummary[]>(`/api/releases/${releaseId}/related${query({ first: 10, secret })}`), [releaseId, secret]);
  return (
    <section aria-labelledby="related-heading">
      <h2 id="related-heading">Related</h2>
      <Loading state={related}>
        <ReleaseList label="Related releases" items={related.data ?? []} release={(r) => r} empty="Nothing related yet." />
      </Loading>
    </section>
  );
}
