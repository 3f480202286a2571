// What the AI panel's tabs share: form state, asset pickers, figure lists, and audio assets turned into
// blob URLs (an <audio> element cannot send the bearer token that /api/assets/{id}/audio needs).
import { useEffect, useState, type ReactNode } from "react";
import { assetBlob, type Asset, type Job } from "../api/jobs";
import type { Figure } from "./report";

export type AssetChoice = Pick<Asset, "id" | "fileName">;

/** A form's fields in one state; `set("field")` makes the change handler of that field. */
export function useForm<T extends object>(initial: T) {
  const [form, setForm] = useState(initial);
  const set =
    <K extends keyof T>(field: K) =>
    (value: T[K]) =>
      setForm((old) => ({ ...old, [field]: value }));
  return [form, set] as const;
}

/** The report of a job that succeeded, typed as the caller expects; null otherwise. */
export function reportOf<T>(job: Job | null): T | null {
  return job?.status === "succeeded" && job.result ? (job.result.report as T) : null;
}

/** The chosen asset while it is still among `assets` (the project's audio can change), else `fallback`. */
export function stillListed(assetId: string, assets: AssetChoice[], fallback: string): string {
  return assets.some((asset) => asset.id === assetId) ? assetId : fallback;
}

/** A labelled select of the project's audio; `children` come first (e.g. "None"). */
export function AssetSelect(props: {
  label: string;
  assets: AssetChoice[];
  value: string;
  onChange: (value: string) => void;
  children?: ReactNode;
}) {
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        {props.children}
        {props.assets.map((asset) => (
          <option key={asset.id} value={asset.id}>
            {asset.fileName}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Figures({ figures }: { figures: Figure[] }) {
  return (
    <dl className="ai-figures">
      {figures.map((figure) => (
        <div key={figure.label}>
          <dt>{figure.label}</dt>
          <dd>{figure.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** An asset's audio as a blob URL for an <audio> element, revoked when no longer shown. */
export function useAssetAudio(assetId: string | undefined) {
  const [state, setState] = useState<{ url?: string; error?: unknown }>({});
  useEffect(() => {
    setState({});
    if (!assetId) return;
    let url: string | undefined;
    let current = true;
    assetBlob(assetId).then(
      (blob) => {
        if (!current) return;
        url = URL.createObjectURL(blob);
        setState({ url });
      },
      (error) => current && setState({ error }),
    );
    return () => {
      current = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [assetId]);
  return state;
}
