// The form that puts something on sale: its kind, details, files (uploaded here, or a project's mix, tracks
// or effect chains) and license tiers with price, currency and terms. The listing starts as a draft while a
// job prepares its files; the seller page shows that and publishes it.
import { useState, type FormEvent } from "react";
import { api, type Page } from "../api/client";
import { whenAssetReady } from "../api/jobs";
import type { Schema } from "../api/types";
import { uploadFile } from "../api/uploads";
import { ErrorText, ProgressBar, useLoad } from "../ui/ui";
import { currencies, formatLabels, instruments, isPack, listingKinds, type DeliveredFormat, type Listing, type ListingKind } from "./market";
import {
  listingRequest,
  maxTiers,
  newTier,
  presetsFromProject,
  sourcesFor,
  type ListingSource,
  type ProjectChains,
  type TierDraft,
} from "./listingDraft";

/** POST /api/listings' answer (the OpenAPI document does not describe it): the draft and the job preparing its files. */
export interface Created {
  listing: Listing;
  jobId: string | null;
}

export function NewListingForm({ onCreated, onCancel }: { onCreated: (created: Created) => void; onCancel: () => void }) {
  const [kind, setKind] = useState<ListingKind>("beat");
  const [source, setSource] = useState<ListingSource>("upload");
  const [currency, setCurrency] = useState("USD");
  const [tiers, setTiers] = useState<TierDraft[]>([newTier("beat")]);
  const [master, setMaster] = useState<File | null>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [projectId, setProjectId] = useState("");
  const [library, setLibrary] = useState(false);
  const [instrument, setInstrument] = useState("drums");
  const [progress, setProgress] = useState<{ label: string; value: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const projects = useLoad(() => api.get<Page<Schema<"ProjectListing">>>("/api/projects?scope=owned&first=100"), []);
  const from = sourcesFor(kind).includes(source) ? source : sourcesFor(kind)[0];

  function changeKind(next: ListingKind) {
    setKind(next);
    setTiers((all) => all.map((t) => ({ ...t, formats: newTier(next).formats, exclusive: false })));
  }

  async function upload(file: File): Promise<string> {
    const asset = await uploadFile(file, { onProgress: (f) => setProgress({ label: `Uploading ${file.name}`, value: f * 100 }) });
    setProgress({ label: `Reading ${file.name}`, value: 100 });
    return (await whenAssetReady(asset.id)).id;
  }

  async function uploadAll(all: File[]): Promise<string[]> {
    const ids: string[] = [];
    for (const file of all) ids.push(await upload(file));
    return ids;
  }

  /** What the listing is made of, uploading files first where they come from this form. */
  async function contents(): Promise<Record<string, unknown>> {
    if (from === "project") {
      if (!projectId) throw new Error("Choose the project.");
      if (kind !== "presetPack") return { projectId };
      const presets = presetsFromProject(await api.get<ProjectChains>(`/api/projects/${projectId}`));
      if (presets.length === 0) throw new Error("That project has no effect chains to sell as presets.");
      return { presets };
    }
    if (kind === "beat") {
      if (!master) throw new Error("Choose the master file.");
      const assetId = await upload(master);
      const stems = await uploadAll(files);
      return stems.length ? { assetId, assetIds: stems } : { assetId };
    }
    if (files.length === 0) throw new Error("Choose the files to sell.");
    return { assetIds: await uploadAll(files) };
  }

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "");
    setError(null);
    try {
      const details = listingRequest(
        { kind, title: text("title"), description: text("description"), genre: text("genre"), tags: text("tags"), bpm: text("bpm"), currency, library, instrument },
        tiers,
      );
      setProgress({ label: "Getting the files ready", value: 0 });
      const made = await contents();
      setProgress({ label: "Creating the listing", value: 100 });
      onCreated(await api.post<Created>("/api/listings", { ...details, ...made }));
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
    }
  }

  const updateTier = (index: number, tier: TierDraft) => setTiers((all) => all.map((t, i) => (i === index ? tier : t)));

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="new-listing-heading">
      <h3 id="new-listing-heading">New listing</h3>
      <div className="row">
        <label>
          Kind
          <select value={kind} onChange={(e) => changeKind(e.target.value as ListingKind)}>
            {listingKinds.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <label className="wide">
          Title
          <input name="title" required maxLength={120} />
        </label>
      </div>
      <label>
        Description
        <textarea name="description" rows={3} maxLength={4000} />
      </label>
      <div className="row">
        <label>
          Genre
          <input name="genre" maxLength={40} />
        </label>
        <label>
          Tags (comma-separated)
          <input name="tags" />
        </label>
        <label>
          BPM (blank: detected)
          <input name="bpm" inputMode="decimal" size={6} />
        </label>
      </div>

      <fieldset className="stack box">
        <legend>Files</legend>
        {sourcesFor(kind).length > 1 && (
          <div className="row" role="radiogroup" aria-label="Where the files come from">
            <label className="inline">
              <input type="radio" name="source" checked={from === "upload"} onChange={() => setSource("upload")} /> Upload files
            </label>
            <label className="inline">
              <input type="radio" name="source" checked={from === "project"} onChange={() => setSource("project")} /> From a project
            </label>
          </div>
        )}
        {from === "project" ? (
          <label>
            Project
            <select value={projectId} onChange={(e) => setProjectId(e.target.value)}>
              <option value="">Choose a project…</option>
              {projects.data?.items.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <UploadFields kind={kind} onMaster={setMaster} onFiles={setFiles} />
        )}
        <p className="muted">{sourceHint(kind, from)}</p>
        {kind === "samplePack" && (
          <div className="row">
            <label className="inline">
              <input type="checkbox" checked={library} onChange={(e) => setLibrary(e.target.checked)} /> Give it away in the loop library (free tiers only)
            </label>
            {library && (
              <label>
                Instrument
                <select value={instrument} onChange={(e) => setInstrument(e.target.value)}>
                  {instruments.map((i) => <option key={i} value={i}>{i}</option>)}
                </select>
              </label>
            )}
          </div>
        )}
      </fieldset>

      <label>
        Currency (all tiers)
        <select value={currency} onChange={(e) => setCurrency(e.target.value)}>
          {currencies.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      {tiers.map((tier, index) => (
        <TierFields
          key={index}
          index={index}
          tier={tier}
          kind={kind}
          onChange={(next) => updateTier(index, next)}
          onRemove={tiers.length > 1 ? () => setTiers((all) => all.filter((_, i) => i !== index)) : undefined}
        />
      ))}
      {tiers.length < maxTiers && (
        <button type="button" className="secondary" onClick={() => setTiers((all) => [...all, newTier(kind)])}>
          Add a tier
        </button>
      )}

      {progress && (
        <div className="stack">
          <p className="muted">{progress.label}…</p>
          <ProgressBar value={progress.value} label={progress.label} />
        </div>
      )}
      <ErrorText error={error} />
      <div className="row">
        <button type="submit" disabled={progress !== null}>
          Create listing
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function sourceHint(kind: ListingKind, from: ListingSource): string {
  if (kind === "presetPack") return "Each track's effect chain (and the master bus's) becomes a preset named after it.";
  if (from === "project") return kind === "beat" ? "The project's mix is the master and each track a stem." : "Each track of the project becomes a stem.";
  return "Files are uploaded to your library first; what is sold is a copy, so later changes never touch it.";
}

function UploadFields({ kind, onMaster, onFiles }: { kind: ListingKind; onMaster: (file: File | null) => void; onFiles: (files: File[]) => void }) {
  const pick = (input: HTMLInputElement) => Array.from(input.files ?? []);
  return (
    <>
      {kind === "beat" && (
        <label>
          Master file
          <input type="file" accept="audio/*" onChange={(e) => onMaster(pick(e.currentTarget)[0] ?? null)} />
        </label>
      )}
      <label>
        {kind === "beat" ? "Stem files (optional)" : kind === "stems" ? "Stem files" : "Files"}
        <input type="file" accept="audio/*" multiple onChange={(e) => onFiles(pick(e.currentTarget))} />
      </label>
    </>
  );
}

const formatChoices: DeliveredFormat[] = ["taggedMp3", "mp3", "wav", "stems"];

/** The tier's fields typed as text. */
type TextField = { [K in keyof TierDraft]: TierDraft[K] extends string ? K : never }[keyof TierDraft];

function TierFields({
  index,
  tier,
  kind,
  onChange,
  onRemove,
}: {
  index: number;
  tier: TierDraft;
  kind: ListingKind;
  onChange: (tier: TierDraft) => void;
  onRemove?: () => void;
}) {
  const set = <K extends keyof TierDraft>(key: K, value: TierDraft[K]) => onChange({ ...tier, [key]: value });
  const text = (key: TextField, label: string, extra: { size?: number; placeholder?: string } = {}) => (
    <label>
      {label}
      <input value={tier[key]} onChange={(e) => set(key, e.target.value)} {...extra} />
    </label>
  );
  const check = (key: "exclusive" | "radio" | "performanceRights", label: string) => (
    <label className="inline">
      <input type="checkbox" checked={tier[key]} onChange={(e) => set(key, e.target.checked)} /> {label}
    </label>
  );
  const toggleFormat = (format: DeliveredFormat, on: boolean) =>
    set("formats", on ? [...tier.formats, format] : tier.formats.filter((f) => f !== format));

  return (
    <fieldset className="stack box">
      <legend>Tier {index + 1}</legend>
      <div className="row">
        {text("name", "Name", { placeholder: "Basic lease" })}
        {text("price", "Price", { size: 9, placeholder: "29.99" })}
      </div>
      {isPack(kind) ? (
        <p className="muted">Delivers the pack's files, royalty-free.</p>
      ) : (
        <div className="row" role="group" aria-label={`Tier ${index + 1} formats`}>
          <span className="muted">Delivers:</span>
          {formatChoices.map((format) => (
            <label key={format} className="inline">
              <input type="checkbox" checked={tier.formats.includes(format)} onChange={(e) => toggleFormat(format, e.target.checked)} />{" "}
              {formatLabels[format]}
            </label>
          ))}
          {check("exclusive", "Exclusive (one buyer only)")}
        </div>
      )}
      <div className="row">
        {text("distributionCopies", "Copies (blank: unlimited)", { size: 9 })}
        {text("audioStreams", "Streams (blank: unlimited)", { size: 11 })}
        {text("musicVideos", "Music videos (blank: unlimited)", { size: 5 })}
        {text("termYears", "Term in years (blank: perpetual)", { size: 4 })}
      </div>
      <div className="row">
        {check("radio", "Radio broadcasting")}
        {check("performanceRights", "Performance rights")}
        {text("creditLine", "Credit line", { placeholder: "prod. by …" })}
      </div>
      {onRemove && (
        <button type="button" className="secondary small" onClick={onRemove}>
          Remove tier {index + 1}
        </button>
      )}
    </fieldset>
  );
}
