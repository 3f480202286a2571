// The audio assets clips play, read through the project so that every member reaches what any member
// uploaded: their facts (names, durations) once per asset, and the paths of their audio and peaks.
import { useEffect, useState } from "react";
import { api } from "../api/client";
import type { Asset } from "../api/jobs";
import type { Project } from "./model";

/** `/api/projects/{projectId}/assets/{assetId}`, under which `/audio` and `/peaks` are. */
export const assetPath = (projectId: string, assetId: string) => `/api/projects/${projectId}/assets/${assetId}`;

/**
 * A value per key, loaded once and forgotten if loading fails (so a later read tries again); `peek` gives a
 * loaded value at once, so a component that mounts after it arrived draws it in its first render.
 */
export class Cache<T> {
  private readonly pending = new Map<string, Promise<T>>();
  private readonly loaded = new Map<string, T>();

  get(key: string, load: () => Promise<T>): Promise<T> {
    let value = this.pending.get(key);
    if (!value) {
      value = load();
      value.then((v) => this.loaded.set(key, v), () => this.pending.delete(key));
      this.pending.set(key, value);
    }
    return value;
  }

  peek(key: string): T | undefined {
    return this.loaded.get(key);
  }
}

export const assets = new Cache<Asset>();

export const assetOf = (projectId: string, assetId: string) => assets.get(assetId, () => api.get<Asset>(assetPath(projectId, assetId)));

/** The assets the project's clips use, as they load. */
export function useProjectAssets(project: Project | null): Asset[] {
  const ids = [...new Set(project?.tracks.flatMap((t) => t.clips.map((c) => c.assetId).filter((id): id is string => !!id)) ?? [])].sort().join(",");
  const projectId = project?.id ?? "";
  const [list, setList] = useState<Asset[]>([]);
  useEffect(() => {
    let live = true;
    void Promise.allSettled(ids ? ids.split(",").map((id) => assetOf(projectId, id)) : []).then((results) => {
      if (live) setList(results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : [])));
    });
    return () => void (live = false);
  }, [projectId, ids]);
  return list;
}
