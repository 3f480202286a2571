// The AI panel of the DAW editor: analysis, mastering, auto-mix and lyrics as tabs. Every tab stays
// mounted while hidden, so a running job and its result survive switching tabs.
import { useState, type KeyboardEvent, type ReactNode } from "react";
import { AnalysisTab } from "./AnalysisTab";
import { AutoMixTab } from "./AutoMixTab";
import { LyricsTab } from "./LyricsTab";
import { MasteringTab } from "./MasteringTab";
import type { AssetChoice } from "./shared";

const tabs = ["Analysis", "Mastering", "Auto-mix", "Lyrics"] as const;
type Tab = (typeof tabs)[number];

const tabId = (tab: Tab) => `ai-tab-${tab.toLowerCase()}`;
const panelId = (tab: Tab) => `ai-panel-${tab.toLowerCase()}`;

export function AiPanel({ projectId, assets }: { projectId: string; assets: AssetChoice[] }) {
  const [selected, setSelected] = useState<Tab>("Analysis");

  // Arrow keys move between tabs, as in any tab list.
  const onKeyDown = (event: KeyboardEvent) => {
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (step === 0) return;
    const next = tabs[(tabs.indexOf(selected) + step + tabs.length) % tabs.length];
    setSelected(next);
    document.getElementById(tabId(next))?.focus();
  };

  const panels: Record<Tab, ReactNode> = {
    Analysis: <AnalysisTab assets={assets} />,
    Mastering: <MasteringTab projectId={projectId} assets={assets} />,
    "Auto-mix": <AutoMixTab projectId={projectId} />,
    Lyrics: <LyricsTab projectId={projectId} />,
  };

  return (
    <div className="ai-panel">
      <div className="tabs" role="tablist" aria-label="AI tools" onKeyDown={onKeyDown}>
        {tabs.map((tab) => (
          <button
            key={tab}
            id={tabId(tab)}
            type="button"
            role="tab"
            aria-selected={tab === selected}
            aria-controls={panelId(tab)}
            tabIndex={tab === selected ? 0 : -1}
            onClick={() => setSelected(tab)}
          >
            {tab}
          </button>
        ))}
      </div>
      {tabs.map((tab) => (
        // Tied to its tab by aria-controls but not labelled itself, so that a label such as "Mastering"
        // stays unique to the tab and the job's progress bar.
        <div key={tab} id={panelId(tab)} role="tabpanel" hidden={tab !== selected}>
          {panels[tab]}
        </div>
      ))}
    </div>
  );
}
