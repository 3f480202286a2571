// The editor's side panel beside the arrangement: comments, the effect chain, my audio, the loop library, history,
// people, export and the AI tools, one tab at a time.
import { lazy, Suspense } from "react";
import type { Asset } from "../api/jobs";
import { LibraryPanel } from "./LibraryPanel";
import { LoopBrowser } from "./LoopBrowser";
import type { Loop } from "./loops";
import { EffectChain } from "./Mixer";
import { CommentsPanel, ExportPanel, HistoryPanel, SharePanel, type PanelProps } from "./Panels";

const AiPanel = lazy(() => import("../ai/AiPanel").then((m) => ({ default: m.AiPanel })));

export type Side = "comments" | "effects" | "audio" | "loops" | "history" | "people" | "export" | "ai";
const sides: Side[] = ["comments", "effects", "audio", "loops", "history", "people", "export", "ai"];

interface Props extends PanelProps {
  side: Side;
  onSide: (side: Side) => void;
  canEdit: boolean;
  /** The track whose effect chain shows (null: the master). */
  selectedTrack: string | null;
  /** The audio the project's clips play, for the AI tools. */
  assets: Asset[];
  /** Places one of the caller's files from "My audio". */
  onPlace: (asset: Asset) => void;
  /** The library loop being heard, if any. */
  auditioning: string | null;
  onAudition: (loop: Loop | null) => void;
  /** Adds a library loop at the playhead. */
  onAddLoop: (loop: Loop) => void;
}

export function SidePanel({ side, onSide, canEdit, selectedTrack, assets, onPlace, auditioning, onAudition, onAddLoop, ...panelProps }: Props) {
  const { project } = panelProps;
  return (
    <aside className="side">
      <div className="tabs" role="tablist">
        {sides.map((s) => (
          <button key={s} role="tab" aria-selected={side === s} onClick={() => onSide(s)}>
            {s === "ai" ? "AI" : s === "audio" ? "My audio" : s[0].toUpperCase() + s.slice(1)}
          </button>
        ))}
      </div>
      {side === "comments" && <CommentsPanel {...panelProps} />}
      {side === "effects" && <EffectChain project={project} canEdit={canEdit} selectedTrack={selectedTrack} onEdit={panelProps.onEdit} />}
      {side === "audio" && <LibraryPanel canEdit={canEdit} onPlace={onPlace} />}
      {side === "loops" && (
        <LoopBrowser project={project} canEdit={canEdit} position={panelProps.position} auditioning={auditioning} onAudition={onAudition} onAdd={onAddLoop} />
      )}
      {side === "history" && <HistoryPanel {...panelProps} />}
      {side === "people" && <SharePanel {...panelProps} />}
      {side === "export" && <ExportPanel {...panelProps} />}
      {side === "ai" && (
        <Suspense fallback={<p className="muted">Loading…</p>}>
          <AiPanel projectId={project.id} assets={assets.map((a) => ({ id: a.id, fileName: a.fileName }))} />
        </Suspense>
      )}
    </aside>
  );
}
