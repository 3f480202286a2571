// Mastering tab: masters one of the project's audio files or the project's mix to a loudness target, in
// a style or toward a reference, then compares the before/after previews (same passage, same loudness)
// in an A/B player and offers the master for download.
import { useRef, useState, type FormEvent, type RefObject } from "react";
import { downloadAsset, useStartedJob } from "../api/jobs";
import { ErrorText, JobProgress } from "../ui/ui";
import { equalizerSummary, fixed, loudnessFigures, masteringRequest, projectMix, signedDb, type MasteringForm, type MasteringReport } from "./report";
import { AssetSelect, reportOf, stillListed, useAssetAudio, useForm, type AssetChoice } from "./shared";

const styles = ["balanced", "warm", "bright", "loud"];

export function MasteringTab({ projectId, assets }: { projectId: string; assets: AssetChoice[] }) {
  const [form, set] = useForm<MasteringForm>({
    source: "",
    lufs: "-14",
    truePeakDbtp: "-1",
    style: "balanced",
    intensity: 0.5,
    referenceAssetId: "",
  });
  const source = form.source === projectMix ? projectMix : stillListed(form.source, assets, assets[0]?.id ?? projectMix);
  const referenceAssetId = stillListed(form.referenceAssetId, assets, "");
  const { job, jobId, start, running, error } = useStartedJob();
  const report = reportOf<MasteringReport>(job);

  const master = (event: FormEvent) => {
    event.preventDefault();
    void start("/api/ai/mastering", masteringRequest({ ...form, source, referenceAssetId }, projectId));
  };

  return (
    <div className="stack">
      <form className="stack" onSubmit={master}>
        <AssetSelect label="Source" assets={assets} value={source} onChange={set("source")}>
          <option value={projectMix}>The project's mix</option>
        </AssetSelect>
        <label>
          Style
          <select value={form.style} onChange={(event) => set("style")(event.target.value)}>
            {styles.map((style) => (
              <option key={style} value={style}>
                {style}
              </option>
            ))}
          </select>
        </label>
        <AssetSelect label="Reference track (optional, instead of the style's tone)" assets={assets} value={referenceAssetId} onChange={set("referenceAssetId")}>
          <option value="">None</option>
        </AssetSelect>
        <div className="row">
          <label>
            Target loudness (LUFS)
            <input type="number" required min={-30} max={-5} step={0.5} value={form.lufs} onChange={(event) => set("lufs")(event.target.value)} />
          </label>
          <label>
            True-peak ceiling (dBTP)
            <input type="number" required min={-6} max={0} step="any" value={form.truePeakDbtp} onChange={(event) => set("truePeakDbtp")(event.target.value)} />
          </label>
        </div>
        <label>
          Intensity: {Math.round(form.intensity * 100)}%
          <input type="range" min={0} max={100} step={5} value={Math.round(form.intensity * 100)} onChange={(event) => set("intensity")(event.target.valueAsNumber / 100)} />
        </label>
        <button type="submit" disabled={running}>
          Master
        </button>
      </form>
      <ErrorText error={error} />
      <JobProgress job={job} jobId={jobId} label="Mastering" />
      {report && job?.result && (
        <MasteringResult report={report} outputs={job.result.outputs} />
      )}
    </div>
  );
}

function MasteringResult({ report, outputs }: { report: MasteringReport; outputs: Record<string, string> }) {
  const before = loudnessFigures(report.before);
  const after = loudnessFigures(report.after);
  return (
    <section className="stack">
      <h3>Result</h3>
      <ABPlayer beforeId={outputs.previewBefore} afterId={outputs.previewAfter} />
      <p className="muted">
        The previews play the loudest {fixed(report.preview.seconds, 0, "s")} of the master (from {fixed(report.preview.startSeconds, 1, "s")}) and the
        same passage of the original, both at {fixed(report.preview.loudnessLufs, 1, "LUFS")}.
      </p>
      <table className="ai-table">
        <thead>
          <tr>
            <th scope="col">Meter</th>
            <th scope="col">Original</th>
            <th scope="col">Master</th>
          </tr>
        </thead>
        <tbody>
          {before.map((figure, index) => (
            <tr key={figure.label}>
              <th scope="row">{figure.label}</th>
              <td>{figure.value}</td>
              <td>{after[index].value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="ai-plain-list">
        <li>Tone ({report.referenceMatched ? "matched to the reference" : `${report.style} style`}): {equalizerSummary(report.equalizer)}</li>
        <li>
          Glue compression: threshold {fixed(report.compressor.thresholdDb, 1, "dB")}, ratio {fixed(report.compressor.ratio, 2)}:1
        </li>
        <li>Width: {Math.round(report.width * 100)}%</li>
        <li>
          Gain into the limiter: {signedDb(report.gainDb)} ({report.iterations} {report.iterations === 1 ? "pass" : "passes"})
        </li>
      </ul>
      <Downloads masterId={outputs.master} masterMp3Id={outputs.masterMp3} />
    </section>
  );
}

/** The two previews; playing one pauses the other, and Switch carries on in the other at the same moment. */
function ABPlayer({ beforeId, afterId }: { beforeId: string; afterId: string }) {
  const before = useAssetAudio(beforeId);
  const after = useAssetAudio(afterId);
  const beforeRef = useRef<HTMLAudioElement>(null);
  const afterRef = useRef<HTMLAudioElement>(null);
  const [hearing, setHearing] = useState<"before" | "after">("before");

  const playing = (which: "before" | "after", other: RefObject<HTMLAudioElement | null>) => () => {
    setHearing(which);
    other.current?.pause();
  };
  const switchOver = () => {
    const [from, to] = hearing === "before" ? [beforeRef.current, afterRef.current] : [afterRef.current, beforeRef.current];
    if (!from || !to) return;
    const wasPlaying = !from.paused;
    to.currentTime = from.currentTime;
    setHearing(hearing === "before" ? "after" : "before");
    if (wasPlaying) void to.play();
  };

  return (
    <div className="stack ai-ab">
      <div className="ai-ab-row">
        <span>A: original</span>
        <audio ref={beforeRef} controls preload="auto" aria-label="Before" src={before.url} onPlay={playing("before", afterRef)} />
      </div>
      <div className="ai-ab-row">
        <span>B: master</span>
        <audio ref={afterRef} controls preload="auto" aria-label="After" src={after.url} onPlay={playing("after", beforeRef)} />
      </div>
      <div className="row">
        <button type="button" className="secondary" onClick={switchOver} disabled={!before.url || !after.url}>
          Switch A/B (hearing {hearing === "before" ? "A" : "B"})
        </button>
      </div>
      <ErrorText error={before.error ?? after.error} />
    </div>
  );
}

function Downloads({ masterId, masterMp3Id }: { masterId: string; masterMp3Id: string }) {
  const [error, setError] = useState<unknown>(null);
  const download = (assetId: string, fileName: string) => () => {
    setError(null);
    downloadAsset(assetId, fileName).catch(setError);
  };
  return (
    <div className="stack">
      <div className="row">
        <span>The full master:</span>
        <button type="button" className="secondary" onClick={download(masterId, "master.wav")}>
          Download WAV (24-bit)
        </button>
        <button type="button" className="secondary" onClick={download(masterMp3Id, "master.mp3")}>
          Download MP3 (320 kbit/s)
        </button>
      </div>
      <ErrorText error={error} />
    </div>
  );
}
