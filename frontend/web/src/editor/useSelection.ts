// What is selected in the editor: a clip (choosing one on the timeline also chooses its track) and a track,
// the one the effect chain shows and "Add audio" and "Place" put audio on.
import { useCallback, useMemo, useState } from "react";
import { findClip, type Project } from "./model";

export function useSelection(project: Project | null) {
  const [clipId, setClipId] = useState<string | null>(null);
  const [trackId, setTrackId] = useState<string | null>(null);

  /** Selects a clip (null: none) and, when given, the track it is on; no track keeps the selected one. */
  const select = useCallback((clip: string | null, track: string | null) => {
    setClipId(clip);
    if (track) setTrackId(track);
  }, []);

  /** The selected clip and its track, while the project has it. */
  const clip = useMemo(() => (project && clipId ? findClip(project, clipId) : undefined), [project, clipId]);

  return { clipId, trackId, clip, select, selectTrack: setTrackId };
}
