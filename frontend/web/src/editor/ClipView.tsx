// One clip on the arrangement: its waveform (the asset's, drawn once and shared by its clips) or its MIDI
// notes in miniature, its fades, and, when selected, the handles that trim and fade it.
import { memo, useEffect, useState, type PointerEvent as ReactPointerEvent } from "react";
import { assetOf, assets } from "./assets";
import type { Clip } from "./model";
import { knownWaveform, waveformImage, type Waveform } from "./peaks";

/** What a drag on a clip does: move it, trim its left or right edge, or lengthen a fade. */
export type DragMode = "move" | "left" | "right" | "fadeIn" | "fadeOut";

/**
 * What a press on a clip grabs, by where it lands: its edges trim, the fade handles at the top corners (at the
 * end of each fade) fade, anything else moves it. Handles are only drawn on the selected clip, but work on any.
 */
export function grabbed(e: { clientX: number; clientY: number; currentTarget: Element }, width: number, fadeIn: number, fadeOut: number): DragMode {
  const box = e.currentTarget.getBoundingClientRect();
  const [x, y] = [e.clientX - box.left, e.clientY - box.top];
  const dot = (at: number) => Math.abs(x - at) <= 8;
  if (y <= 12 && x > 7 && x < width - 7 && dot(Math.max(13, fadeIn))) return "fadeIn";
  if (y <= 12 && x > 7 && x < width - 7 && dot(width - Math.max(13, fadeOut))) return "fadeOut";
  if (x <= 7) return "left";
  if (x >= width - 7) return "right";
  return "move";
}

interface ClipProps {
  clip: Clip;
  trackId: string;
  projectId: string;
  color: string;
  left: number;
  width: number;
  rate: number;
  pxPerSecond: number;
  selected: boolean;
  peerColor?: string;
  onDown: (e: ReactPointerEvent, clip: Clip, trackId: string, mode: DragMode) => void;
}

export const ClipView = memo(function ClipView({ clip, trackId, projectId, color, left, width, rate, pxPerSecond, selected, peerColor, onDown }: ClipProps) {
  const [name, setName] = useState(() => (clip.assetId && assets.peek(clip.assetId)?.fileName) || "");
  const [wave, setWave] = useState<Waveform | undefined>(() => (clip.assetId ? knownWaveform(clip.assetId, color, pxPerSecond) : undefined));
  useEffect(() => {
    if (!clip.assetId) return;
    let live = true;
    if (!name) void assetOf(projectId, clip.assetId).then((a) => live && setName(a.fileName), () => undefined);
    const known = knownWaveform(clip.assetId, color, pxPerSecond);
    if (known) setWave(known);
    else void waveformImage(projectId, clip.assetId, color, pxPerSecond).then((w) => live && setWave(w), () => undefined);
    return () => void (live = false);
  }, [projectId, clip.assetId, color, pxPerSecond]);
  const fadeIn = (clip.fadeIn.length / rate) * pxPerSecond;
  const fadeOut = (clip.fadeOut.length / rate) * pxPerSecond;
  return (
    <div
      className={`clip${selected ? " selected" : ""}${clip.muted ? " muted" : ""}`}
      style={{ left, width, borderColor: color, boxShadow: peerColor ? `0 0 0 2px ${peerColor}` : undefined }}
      onPointerDown={(e) => onDown(e, clip, trackId, grabbed(e, width, fadeIn, fadeOut))}
      data-clip-id={clip.id}
      aria-label={`Clip ${name || clip.id}`}
      role="button"
      aria-pressed={selected}
    >
      {wave && (
        <div
          className="wave"
          style={{
            backgroundImage: `url(${wave.url})`,
            backgroundSize: `${wave.seconds * pxPerSecond}px 100%`,
            backgroundPositionX: `${(-clip.offset / rate) * pxPerSecond}px`,
          }}
        />
      )}
      {fadeIn > 0 && <div className="fade-shade" style={{ left: 0, width: fadeIn, clipPath: "polygon(0 0, 100% 0, 0 100%)" }} />}
      {fadeOut > 0 && <div className="fade-shade" style={{ right: 0, width: fadeOut, clipPath: "polygon(0 0, 100% 0, 100% 100%)" }} />}
      {clip.notes.length > 0 && clip.notes.length <= 2000 && <MiniNotes clip={clip} />}
      <span className="label">{name}</span>
      {selected && (
        <>
          <div className="handle left" aria-hidden="true" />
          <div className="handle right" aria-hidden="true" />
          <div className="fade" style={{ left: Math.max(13, fadeIn) - 5 }} aria-hidden="true" />
          <div className="fade" style={{ right: Math.max(13, fadeOut) - 5 }} aria-hidden="true" />
        </>
      )}
    </div>
  );
});

/** A MIDI clip's notes in miniature: time across, its range of pitches from bottom to top. */
function MiniNotes({ clip }: { clip: Clip }) {
  const pitches = clip.notes.map((n) => n.pitch);
  const [low, high] = [Math.min(...pitches), Math.max(...pitches)];
  return (
    <>
      {clip.notes.map((n) => (
        <div
          key={n.id}
          className="mini-note"
          style={{ left: `${(n.start / clip.length) * 100}%`, width: `${(n.length / clip.length) * 100}%`, top: `${18 + ((high - n.pitch) / Math.max(1, high - low)) * 64}%` }}
        />
      ))}
    </>
  );
}
