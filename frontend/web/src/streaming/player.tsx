// The persistent player: one <audio> for the whole app, so a song keeps playing across pages. It asks
// the release for a signed stream URL (Opus where the browser plays it, else AAC, else MP3) and counts
// the play the way the server wants: start, then report again after `countAfterSeconds` of listening.
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { api, query } from "../api/client";
import type { Schema } from "../api/types";
import { formatTime } from "../ui/ui";

export interface Playing {
  releaseId: string;
  title: string;
  artist: string;
  /** An unlisted release's secret, for listeners who came through its link. */
  secret?: string;
  /** Where in the app it was played from, for the artist's insights; the server counts anything else as direct. */
  source?: PlaySource;
}

export type PlaySource = "search" | "feed" | "charts" | "playlist" | "profile";

/** One of GET /api/releases/{id}/stream's signed URLs (an answer the OpenAPI document does not describe). */
interface StreamUrl {
  format: string;
  contentType: string;
  url: string;
}

interface PlayerApi {
  playing: Playing | null;
  paused: boolean;
  position: number;
  duration: number;
  play: (track: Playing) => Promise<void>;
  toggle: () => void;
  seek: (seconds: number) => void;
}

const PlayerContext = createContext<PlayerApi | null>(null);

export function usePlayer(): PlayerApi {
  const player = useContext(PlayerContext);
  if (!player) throw new Error("usePlayer outside PlayerProvider");
  return player;
}

export function pickStream(urls: StreamUrl[], canPlay: (type: string) => boolean): StreamUrl | undefined {
  const order = ["opus", "aac", "mp3", "original"];
  return [...urls]
    .sort((a, b) => order.indexOf(a.format) - order.indexOf(b.format))
    .find((u) => u.format === "original" || canPlay(u.contentType));
}

export function PlayerProvider({ children }: { children: ReactNode }) {
  const audio = useRef<HTMLAudioElement>(null);
  const [playing, setPlaying] = useState<Playing | null>(null);
  const [paused, setPaused] = useState(true);
  const [position, setPosition] = useState(0);
  const [duration, setDuration] = useState(0);
  const play_ = useRef<{ releaseId: string; secret?: string; source?: PlaySource; playId: string | null; due: number; listened: number; reported: boolean } | null>(null);

  async function play(track: Playing) {
    const element = audio.current!;
    const urls = await api.get<StreamUrl[]>(`/api/releases/${track.releaseId}/stream${query({ secret: track.secret })}`);
    const chosen = pickStream(urls, (type) => element.canPlayType(type) !== "");
    if (!chosen) throw new Error("This browser plays none of the stream formats.");
    setPlaying(track);
    // The play starts on the server before the sound does, so every second heard counts (a short song is heard whole
    // before a start sent after it could come back).
    play_.current = null;
    const started = await api.post<Schema<"PlayResult">>(`/api/releases/${track.releaseId}/plays${query({ secret: track.secret })}`, { source: track.source });
    play_.current = { releaseId: track.releaseId, secret: track.secret, source: track.source, playId: started.playId, due: started.countAfterSeconds, listened: 0, reported: false };
    element.src = chosen.url;
    await element.play();
  }

  useEffect(() => {
    const element = audio.current!;
    let last = 0;
    const tick = () => {
      setPosition(element.currentTime);
      const p = play_.current;
      if (p && (!element.paused || element.ended)) { // the last update comes as the song ends, paused
        const delta = element.currentTime - last;
        if (delta > 0 && delta < 2) p.listened += delta; // a seek is not listening
        // A song shorter than the threshold must be heard whole; a quarter of a second is allowed, as the server
        // allows it (its clock started earlier than this one, so it has seen at least as much).
        if (!p.reported && p.listened + 0.25 >= p.due) {
          p.reported = true;
          void api.post(`/api/releases/${p.releaseId}/plays${query({ secret: p.secret })}`, { playId: p.playId, source: p.source }).catch(() => undefined);
        }
      }
      last = element.currentTime;
    };
    element.addEventListener("timeupdate", tick);
    return () => element.removeEventListener("timeupdate", tick);
  }, []);

  const value: PlayerApi = {
    playing,
    paused,
    position,
    duration,
    play,
    toggle: () => {
      const element = audio.current!;
      if (element.paused) void element.play();
      else element.pause();
    },
    seek: (seconds) => {
      if (audio.current) audio.current.currentTime = seconds;
    },
  };

  return (
    <PlayerContext.Provider value={value}>
      {children}
      <audio
        ref={audio}
        onPlay={() => setPaused(false)}
        onPause={() => setPaused(true)}
        onDurationChange={(e) => setDuration(e.currentTarget.duration || 0)}
        data-testid="player-audio"
        hidden
      />
    </PlayerContext.Provider>
  );
}

export function PlayerBar() {
  const { playing, paused, position, duration, toggle, seek } = usePlayer();
  if (!playing) return null;
  return (
    <footer className="player-bar" aria-label="Player">
      <button onClick={toggle} aria-label={paused ? "Play" : "Pause"}>
        {paused ? "▶" : "❚❚"}
      </button>
      <div className="player-title">
        <strong>{playing.title}</strong> <span className="muted">{playing.artist}</span>
      </div>
      <span className="muted" data-testid="player-position">{formatTime(position)}</span>
      <input
        type="range"
        aria-label="Position"
        min={0}
        max={duration || 1}
        step={0.1}
        value={Math.min(position, duration || 1)}
        onChange={(e) => seek(Number(e.target.value))}
      />
      <span className="muted">{formatTime(duration)}</span>
    </footer>
  );
}
