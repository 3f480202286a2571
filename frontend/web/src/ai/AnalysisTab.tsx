// Analysis tab: measures one of the project's audio files (loudness, tempo, key, pitch and more, all in
// one job) and shows the report with the pitch contour drawn as a line.
import { useState, type FormEvent } from "react";
import { useStartedJob } from "../api/jobs";
import { ErrorText, JobProgress } from "../ui/ui";
import { analysisFigures, contourPlot, fixed, noteName, type AnalysisReport } from "./report";
import { AssetSelect, Figures, reportOf, stillListed, type AssetChoice } from "./shared";

export function AnalysisTab({ assets }: { assets: AssetChoice[] }) {
  const [choice, setChoice] = useState("");
  const assetId = stillListed(choice, assets, assets[0]?.id ?? "");
  const [key, setKey] = useState("");
  const { job, jobId, start, running, error } = useStartedJob();
  const report = reportOf<AnalysisReport>(job);

  const analyse = (event: FormEvent) => {
    event.preventDefault();
    void start("/api/ai/analysis", { assetId, key: key.trim() || undefined });
  };

  if (assets.length === 0) return <p className="muted">Add audio to the project to analyse it.</p>;
  return (
    <div className="stack">
      <form className="stack" onSubmit={analyse}>
        <AssetSelect label="Audio" assets={assets} value={assetId} onChange={setChoice} />
        <label>
          Key for the in-tune figure (optional)
          <input value={key} onChange={(event) => setKey(event.target.value)} placeholder="detected, or e.g. A minor" />
        </label>
        <button type="submit" disabled={running || !assetId}>
          Analyse
        </button>
      </form>
      <ErrorText error={error} />
      <JobProgress job={job} jobId={jobId} label="Analysis" />
      {report && (
        <section className="stack">
          {analysisFigures(report).map((group) => (
            <div key={group.title}>
              <h3>{group.title}</h3>
              <Figures figures={group.figures} />
            </div>
          ))}
          {report.pitch && <PitchContour contourHz={report.pitch.contourHz} frameSeconds={report.pitch.frameSeconds} />}
        </section>
      )}
    </div>
  );
}

const plotWidth = 600;
const plotHeight = 160;

function PitchContour({ contourHz, frameSeconds }: { contourHz: (number | null)[]; frameSeconds: number }) {
  const plot = contourPlot(contourHz, plotWidth, plotHeight, plotWidth / 2);
  if (!plot) return <p className="muted">No pitched sound to draw.</p>;
  const range = `${noteName(plot.lowHz)} to ${noteName(plot.highHz)}`;
  return (
    <figure className="ai-contour">
      <svg viewBox={`0 0 ${plotWidth} ${plotHeight}`} preserveAspectRatio="none" role="img" aria-label={`Pitch contour, ${range}`}>
        {plot.lines.map((points, index) => (
          <polyline key={index} points={points} />
        ))}
      </svg>
      <figcaption className="muted">
        Pitch over {fixed(contourHz.length * frameSeconds, 1, "s")}, from {range} (bottom to top)
      </figcaption>
    </figure>
  );
}
