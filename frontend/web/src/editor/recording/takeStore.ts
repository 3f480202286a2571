// The takes this browser recorded, kept in IndexedDB until the server has them: a take's bytes are written here as
// they are captured, before they go up, so a dropped connection or a closed tab loses nothing; the next visit to the
// project sends what is left and places the take. A take is forgotten once its clip is in the project.

export interface StoredTake {
  id: string;
  projectId: string;
  trackId: string;
  /** Where the take starts on the timeline, in samples at the project's rate. */
  start: number;
  /** Its length on the timeline, once recording stopped. */
  length?: number;
  name: string;
  /** The WAV's channels and rate (the context's), which turn its bytes into timeline length. */
  channels: number;
  sampleRate: number;
  /** The tus upload it goes up by, once created. */
  uploadUrl?: string;
  /** The chunks written so far (their keys are [id, 0..chunks-1]). */
  chunks: number;
  /** Recording stopped: every chunk is here. */
  ended: boolean;
}

const database = "jacameno-takes";
let opened: Promise<IDBDatabase> | null = null;

function db(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(database, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore("takes", { keyPath: "id" });
      request.result.createObjectStore("chunks");
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => {
      opened = null;
      reject(request.error);
    };
  });
  return opened;
}

async function run<T>(stores: string[], mode: IDBTransactionMode, work: (tx: IDBTransaction) => IDBRequest<T> | void): Promise<T | undefined> {
  const tx = (await db()).transaction(stores, mode);
  const request = work(tx);
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(request ? request.result : undefined);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export const saveTake = (take: StoredTake) => run(["takes"], "readwrite", (tx) => void tx.objectStore("takes").put(take));

/** Appends a chunk and counts it in the take, in one transaction. */
export const appendChunk = (take: StoredTake, bytes: Blob) =>
  run(["takes", "chunks"], "readwrite", (tx) => {
    tx.objectStore("chunks").put(bytes, [take.id, take.chunks]);
    take.chunks += 1;
    tx.objectStore("takes").put(take);
  });

export async function takesOf(projectId: string): Promise<StoredTake[]> {
  const all = (await run<StoredTake[]>(["takes"], "readonly", (tx) => tx.objectStore("takes").getAll())) ?? [];
  return all.filter((t) => t.projectId === projectId);
}

export async function chunksOf(take: StoredTake): Promise<Blob[]> {
  const range = IDBKeyRange.bound([take.id, 0], [take.id, Number.MAX_SAFE_INTEGER]);
  return (await run<Blob[]>(["chunks"], "readonly", (tx) => tx.objectStore("chunks").getAll(range))) ?? [];
}

export const forgetTake = (take: StoredTake) =>
  run(["takes", "chunks"], "readwrite", (tx) => {
    tx.objectStore("takes").delete(take.id);
    tx.objectStore("chunks").delete(IDBKeyRange.bound([take.id, 0], [take.id, Number.MAX_SAFE_INTEGER]));
  });
