// A release's waveform, drawn by wavesurfer.js from the server's peaks, with its comments as markers.
//
// Design: wavesurfer gets no audio of its own (peaks and duration only, no url). The sound always comes
// from the shared player bar, so one song plays at a time and keeps playing across pages. The waveform
// is a picture and a seek bar: a click or drag reports the time (`onSeek`), and the cursor follows
// `position`, the player's time while this release is the one loaded.
import { useEffect, useRef, useState } from "react";
import WaveSurfer from "wavesurfer.js";
import { api, query } from "../api/client";
import { ErrorText, formatTime } from "../ui/ui";
import { commentMarkers, toWavePeaks, type AudiowaveformJson, type WavePeaks } from "./waveform";
import type { ReleaseComment } from "./types";

interface WaveformProps {
  releaseId: string;
  secret?: string;
  /** The player's position in this release, or null while another one (or none) is loaded. */
  position: number | null;
  comments: ReleaseComment[];
  onSeek: (seconds: number) => void;
}

export function Waveform({ releaseId, secret, position, comments, onSeek }: WaveformProps) {
  const container = useRef<HTMLDivElement>(null);
  const surfer = useRef<WaveSurfer | null>(null);
  const [peaks, setPeaks] = useState<WavePeaks | null>(null);
  const [error, setError] = useState<unknown>(null);
  // wavesurfer keeps its handler for its whole life; this ref lets it reach the latest onSeek.
  const seek = useRef(onSeek);
  useEffect(() => {
    seek.current = onSeek;
  });

  useEffect(() => {
    let active = true;
    setPeaks(null);
    setError(null);
    api.get<AudiowaveformJson>(`/api/releases/${releaseId}/peaks${query({ format: "json", secret })}`).then(
      (json) => active && setPeaks(toWavePeaks(json)),
      (e) => active && setError(e),
    );
    return () => {
      active = false;
    };
  }, [releaseId, secret]);

  useEffect(() => {
    if (!peaks || !container.current || !(peaks.duration > 0)) return;
    const ws = WaveSurfer.create({
      container: container.current,
      peaks: peaks.channels,
      duration: peaks.duration,
      height: 96,
      waveColor: "#6a6a88",
      progressColor: "#ff7a45",
      cursorColor: "#4fc3f7",
      barWidth: 2,
      barGap: 1,
      dragToSeek: true,
    });
    ws.on("interaction", (seconds) => seek.current(seconds));
    surfer.current = ws;
    return () => {
      surfer.current = null;
      ws.destroy();
    };
  }, [peaks]);

  useEffect(() => {
    surfer.current?.setTime(position ?? 0);
  }, [position, peaks]);

  if (error) return <ErrorText error={error} />;
  if (!peaks) return <p className="muted">Loading the waveform…</p>;
  return (
    <div className="waveform">
      <div ref={container} data-testid="waveform" />
      <div className="comment-markers" aria-label="Comments along the song">
        {commentMarkers(comments, peaks.duration).map(({ comment, leftPercent }) => (
          <button
            key={comment.id}
            className="comment-marker"
            style={{ left: `${leftPercent}%` }}
            title={comment.text}
            aria-label={`Comment at ${formatTime(comment.atSeconds)}: ${comment.text}`}
            onClick={() => onSeek(comment.atSeconds)}
          />
        ))}
      </div>
    </div>
  );
}
