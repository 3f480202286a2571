// The take lane of the selected audio clip: the clips recorded over the same stretch of its track, oldest first,
// of which one plays and the others are muted. Picking a take unmutes it and mutes the others, in one step of undo.
import type { Asset } from "../../api/jobs";
import type { Clip, Track } from "../model";
import type { OpDraft } from "../session";
import { overlapping } from "./takes";

interface Props {
  track: Track;
  clip: Clip;
  assets: Asset[];
  canEdit: boolean;
  onEdit: (...ops: OpDraft[]) => void;
}

/** The ops that make `pick` the take that plays among `takes`. */
export function pickTake(takes: readonly Clip[], pick: string): OpDraft[] {
  return takes.filter((t) => t.muted !== (t.id !== pick)).map((t) => ({ kind: "clip.set", payload: { clipId: t.id, muted: t.id !== pick } }));
}

/** The selected clip and the clips over the same stretch of its track, by start then by id. */
export const takesOf = (track: Track, clip: Clip) =>
  [clip, ...overlapping(track.clips.filter((c) => c.assetId), clip.start, clip.start + clip.length, clip.id)].sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));

export function TakeLane({ track, clip, assets, canEdit, onEdit }: Props) {
  const takes = takesOf(track, clip);
  if (takes.length < 2) return null;
  const name = (c: Clip, n: number) => assets.find((a) => a.id === c.assetId)?.fileName.replace(/\.[^.]+$/, "") ?? `Take ${n + 1}`;
  return (
    <section className="row clip-stretch" aria-label="Takes">
      <strong>Takes</strong>
      {takes.map((t, n) => (
        <button key={t.id} className="small secondary" aria-pressed={!t.muted} disabled={!canEdit} onClick={() => onEdit(...pickTake(takes, t.id))}
          title={t.muted ? "Play this take (the others are muted)" : "This take plays"}>
          {name(t, n)}
        </button>
      ))}
    </section>
  );
}
