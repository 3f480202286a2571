// Files go to the server with the tus protocol (docs/api.md, "Resumable uploads"), by tus-js-client: when the
// connection drops, the upload asks the server how far it got and goes on from there, and a file chosen again
// after a reload picks up its unfinished upload instead of starting over. A recording goes up while it is made
// (`uploadStream`: tus's deferred length, the length declared when the stream ends).
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
  return send(file, { chunkSize, metadata, removeFingerprintOnSuccess: true }, onProgress, (upload) =>
    upload.findPreviousUploads().then((previous) => {
      const same = previous.find((p: PreviousUpload) => p.metadata.purpose === purpose && (p.metadata.releaseId ?? "") === (releaseId ?? ""));
      if (same) upload.resumeFromPreviousUpload(same);
    }));
}

/** Bytes per PATCH of a stream: a recording goes up about every second and a half (48 kHz mono float). */
export const streamChunkSize = 256 * 1024;

/** A stream's waits before each new try: about two minutes in all, since a recording goes on while the network is away. */
export const streamRetryDelays = [0, 1000, 2000, 4000, 8000, 15_000, 30_000, 60_000];

export interface StreamUploadOptions {
  /** The upload to go on with (it has the stream's first bytes already), rather than a new one. */
  uploadUrl?: string;
  /** Told the upload's URL as soon as the server made it, to go on with it later. */
  onUrl?: (url: string) => void;
  onProgress?: (fraction: number) => void;
}

/**
 * Uploads an audio file of a length not known yet (a recording), as its bytes come: opened with tus's deferred
 * length, a PATCH per `streamChunkSize`, the length declared when the stream ends. Resolves with the asset it became.
 */
export function uploadStream(stream: ReadableStream<Blob>, fileName: string, { uploadUrl, onUrl, onProgress }: StreamUploadOptions = {}): Promise<UploadResource> {
  let upload: Upload | null = null;
  return send(stream.getReader(), {
    chunkSize: streamChunkSize, uploadLengthDeferred: true, metadata: { filename: fileName, purpose: "asset" }, storeFingerprintForResuming: false,
    retryDelays: streamRetryDelays,
    // tus-js-client gives up at once while the browser says it is offline; a recording waits for the network instead.
    // A refusal (4xx other than a conflict of offsets) is final.
    onShouldRetry: (error) => {
      const status = error.originalResponse?.getStatus() ?? 0;
      return status === 0 || status >= 500 || status === 409 || status === 423;
    },
    ...(uploadUrl ? { uploadUrl } : {}),
    onUploadUrlAvailable: () => upload?.url && onUrl?.(upload.url),
  }, onProgress, (u) => void (upload = u));
}

/** Starts a tus upload with the options every upload shares, after `prepare` (which may point it at an upload to resume). */
function send(input: Upload["file"], options: UploadOptionsOf, onProgress: ((fraction: number) => void) | undefined,
  prepare: (upload: Upload) => Promise<void> | void): Promise<UploadResource> {
  return new Promise((resolve, reject) => {
    const upload = new Upload(input, {
      endpoint: "/api/uploads",
      retryDelays,
      ...options,
      // Asked before every request, so a token that expires during a long upload is refreshed in time.
      onBeforeRequest: async (request) => {
        const token = await accessToken();
        if (token) request.setHeader("Authorization", `Bearer ${token}`);
      },
      onProgress: (sent, total) => onProgress?.(total > 0 ? sent / total : 0),
      onSuccess: () => void outcome(upload.url!).then(resolve, reject),
      onError: (error) => reject(toApiError(error)),
    });
    void Promise.resolve(prepare(upload)).then(() => upload.start(), reject);
  });
}

type UploadOptionsOf = ConstructorParameters<typeof Upload>[1];

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
