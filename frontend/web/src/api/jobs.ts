// Jobs (renders, AI tools, releases) and uploaded assets: their state as it changes, from SignalR
// events with a slow poll behind them, since nothing on the server depends on a client being connected.
import { useEffect, useState } from "react";
import { api, request } from "./client";
import { on } from "./hub";
import type { Schema } from "./types";

export type JobStatus = Schema<"JobStatus">;
export type Job = Schema<"JobResponse">;
export type Asset = Schema<"AssetInfo">;

export const finished = (job: Job) => job.status === "succeeded" || job.status === "failed" || job.status === "cancelled";

/** The job as it is now, updated live until it finishes; null until first read. */
export function useJob(jobId: string | null): Job | null {
  const [job, setJob] = useState<Job | null>(null);
  useEffect(() => {
    if (!jobId) return setJob(null);
    let done = false;
    const accept = (next: Job) => {
      if (next.id !== jobId || done) return;
      setJob(next);
      if (finished(next)) done = true;
    };
    const offProgress = on<[Job]>("JobProgress", accept);
    const offCompleted = on<[Job]>("JobCompleted", accept);
    const poll = () => void api.get<Job>(`/api/jobs/${jobId}`).then(accept, () => undefined);
    poll();
    const timer = setInterval(() => !done && poll(), 2000);
    return () => {
      done = true;
      offProgress();
      offCompleted();
      clearInterval(timer);
    };
  }, [jobId]);
  return job;
}

/** Resolves when an uploaded asset is processed (ready), rejects when it failed. */
export function whenAssetReady(assetId: string): Promise<Asset> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (asset: Asset) => {
      if (settled || asset.id !== assetId || asset.status === "processing") return;
      settled = true;
      off();
      clearInterval(timer);
      if (asset.status === "ready") resolve(asset);
      else reject(new Error(asset.error ?? `${asset.fileName} could not be read as audio.`));
    };
    const off = on<[Asset]>("AssetProcessed", settle);
    const poll = () => void api.get<Asset>(`/api/assets/${assetId}`).then(settle, () => undefined);
    const timer = setInterval(poll, 1500);
    poll();
  });
}

/** Starts a job (POST to `path`) and follows it; `job` is the latest job started (null before the first read). */
export function useStartedJob() {
  const [jobId, setJobId] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const live = useJob(jobId);
  const job = live?.id === jobId ? live : null;

  const start = async (path: string, body: unknown) => {
    setError(null);
    setStarting(true);
    try {
      setJobId((await api.post<Job>(path, body)).id);
    } catch (reason) {
      setError(reason);
    } finally {
      setStarting(false);
    }
  };

  const running = starting || (jobId !== null && (job === null || !finished(job)));
  return { job, jobId, start, running, error };
}

/** An asset's original audio, fetched with the token. */
export async function assetBlob(assetId: string): Promise<Blob> {
  return (await request(`/api/assets/${assetId}/audio`)).blob();
}

/** Saves an asset's audio as a file on the person's machine. */
export async function downloadAsset(assetId: string, fileName: string) {
  saveBlob(await assetBlob(assetId), fileName);
}

/** Saves bytes made or fetched in the page as a file on the person's machine. */
export function saveBlob(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
