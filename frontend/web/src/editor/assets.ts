// Facts about the audio assets clips play (names, durations), read once per asset.
import { useEffect, useState } from "react";
import { api } from "../api/client";
import type { Asset } from "../api/jobs";
import type { Project } from "./model";

const cache = new Map<string, Promise<Asset>>();

export function assetOf(assetId: string): Promise<Asset> {
  let asset = cache.get(assetId);
  if (!asset) {
    asset = api.get<Asset>(`/api/assets/${assetId}`);
    asset.catch(() => cache.delete(assetId));
    cache.set(assetId, asset);
  }
  return asset;
}

/** The assets the project's clips use, as they load. */
export function useProjectAssets(project: Project | null): Asset[] {
  const ids = [...new Set(project?.tracks.flatMap((t) => t.clips.map((c) => c.assetId).filter((id): id is string => !!id)) ?? [])].sort().join(",");
  const [assets, setAssets] = useState<Asset[]>([]);
  useEffect(() => {
    let live = true;
    void Promise.allSettled(ids ? ids.split(",").map(assetOf) : []).then((results) => {
      if (live) setAssets(results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : [])));
    });
    return () => void (live = false);
  }, [ids]);
  return assets;
}
