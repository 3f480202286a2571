// Files go to the server with the tus protocol (docs/api.md, "Resumable uploads"), by tus-js-client: when the
// connection drops, the upload asks the server how far it got and goes on from there, and a file chosen again
// after a reload picks up its unfinished upload instead of starting over.
import { DetailedError, Upload, type PreviousUpload } from "tus-js-client";
import { accessToken, api, ApiError } from "./client";
import type { Schema } from "./types";

export type UploadPurpose = Schema<"UploadPurpose">;
export type UploadResource = Schema<"UploadResourceResponse">;
type UploadState = Schema<"UploadResponse">;

/** Bytes per PATCH: a part the server keeps as it is (smaller ones it joins with the next, copying them again). */
export const chunkSize = 8 * 1024 * 1024;

/** Waits before each new try after a failure, in ms; the whole list spans about 40 s of a dead connection. */
export const retryDelays = [0, 1000, 3000, 5000, 10_000, 20_000];

export interface UploadOptions {
  purpose?: UploadPurpose;
  /** The release whose artwork the file is (purpose "artwork"). */
  releaseId?: string;
  /** 0..1 as bytes reach the server. */
  onProgress?: (fraction: number) => void;
}

/** Uploads the file and resolves with what it became (an asset, a project or a release), or rejects with the server's reason. */
export function uploadFile(file: File, { purpose = "asset", releaseId, onProgress }: UploadOptions = {}): Promise<UploadResource> {
  const metadata: Record<string, string> = { filename: file.name, purpose, ...(releaseId ? { releaseId } : {}) };
  return new Promise((resolve, reject) => {
    const upload = new Upload(file, {
      endpoint: "/api/uploads",
      chunkSize,
      retryDelays,
      metadata,
      removeFingerprintOnSuccess: true,
      // Asked before every request, so a token that expires during a long upload is refreshed in time.
      onBeforeRequest: async (request) => {
        const token = await accessToken();
        if (token) request.setHeader("Authorization", `Bearer ${token}`);
      },
      onProgress: (sent, total) => onProgress?.(total > 0 ? sent / total : 0),
      onSuccess: () => void outcome(upload.url!).then(resolve, reject),
      onError: (error) => reject(toApiError(error)),
    });
    void upload.findPreviousUploads().then((previous) => {
      const same = previous.find((p: PreviousUpload) => p.metadata.purpose === purpose && (p.metadata.releaseId ?? "") === (releaseId ?? ""));
      if (same) upload.resumeFromPreviousUpload(same);
      upload.start();
    }, reject);
  });
}

/** What the finished upload became, as the server records it (an upload resumed after its last byte never sees that PATCH's answer). */
async function outcome(url: string): Promise<UploadResource> {
  const state = await api.get<UploadState>(new URL(url, location.href).pathname);
  if (state.resource) return state.resource;
  throw new ApiError(400, state.error ?? "The upload did not finish; try again.");
}

function toApiError(error: Error | DetailedError): ApiError {
  const response = error instanceof DetailedError ? error.originalResponse : null;
  if (!response) return new ApiError(0, "The upload was interrupted; check the connection and try again.");
  try {
    const problem = JSON.parse(response.getBody());
    return new ApiError(response.getStatus(), String(problem.detail ?? problem.title), problem.errors);
  } catch {
    return new ApiError(response.getStatus(), `The server answered ${response.getStatus()}.`);
  }
}
