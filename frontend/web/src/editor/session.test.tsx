// The session keeps the client's copy in version order whatever order ops arrive in, skips versions it
// already has, and reloads the snapshot for kinds it does not apply itself.
import { act, renderHook, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import type { AppliedOp, Project } from "./model";

const handlers = new Map<string, (...args: unknown[]) => void>();
const invoke = vi.fn();
vi.mock("../api/hub", () => ({
  hub: async () => ({ invoke }),
  on: (event: string, handler: (...args: unknown[]) => void) => {
    handlers.set(event, handler);
    return () => handlers.delete(event);
  },
  onReconnected: () => () => undefined,
}));

const { useProjectSession } = await import("./session");

const snapshot = (version: number, name = "Song"): Project => ({
  id: "p", name, description: null, tempo: 120, timeSignature: { numerator: 4, denominator: 4 }, key: null, sampleRate: 48000,
  master: { volumeDb: 0, effects: [], automation: [] }, ownerId: "u", collaborators: [], tracks: [], comments: [], version, forkedFrom: null, tempoChanges: [],
});
const op = (version: number, kind: string, payload: Record<string, unknown>): AppliedOp =>
  ({ version, userId: "u", clientId: "other", opId: String(version), kind, payload, at: "2026-01-01T00:00:00Z", cause: null });
const send = (ops: AppliedOp[]) => act(() => handlers.get("OpsApplied")!("p", ops));

beforeEach(() => {
  invoke.mockReset();
  invoke.mockImplementation(async (method: string) => (method === "JoinProject" ? { version: 3, ops: null, snapshot: snapshot(3), role: "editor" } : undefined));
});
afterEach(() => vi.unstubAllGlobals());

it("applies ops in version order, buffering those that arrive early and skipping those it has", async () => {
  const { result } = renderHook(() => useProjectSession("p"));
  await waitFor(() => expect(result.current.project?.version).toBe(3));
  expect(result.current.role).toBe("editor");

  await send([op(5, "master.set", { volumeDb: -3 })]);
  expect(result.current.project?.version).toBe(3); // 4 is missing: wait for it
  await send([op(3, "project.set", { name: "Old" }), op(4, "project.set", { tempo: 90 })]);
  expect(result.current.project).toMatchObject({ version: 5, name: "Song", tempo: 90, master: { volumeDb: -3 } });
});

it("reloads the snapshot for a kind it does not apply itself", async () => {
  const fetchMock = vi.fn(async () => new Response(JSON.stringify(snapshot(4, "Restored")), { status: 200 }));
  vi.stubGlobal("fetch", fetchMock);
  const { result } = renderHook(() => useProjectSession("p"));
  await waitFor(() => expect(result.current.project?.version).toBe(3));
  await send([op(4, "project.restore", {})]);
  await waitFor(() => expect(result.current.project).toMatchObject({ version: 4, name: "Restored" }));
  expect(fetchMock).toHaveBeenCalledWith("/api/projects/p", expect.anything());
});

it("submits ops with the tab's client id and the version it has, and returns the reasons of rejections", async () => {
  const { result } = renderHook(() => useProjectSession("p"));
  await waitFor(() => expect(result.current.project?.version).toBe(3));
  invoke.mockImplementation(async () => ({ acks: [{ opId: "1", status: "rejected", version: 3, reason: "pan must be between -1 and 1." }], version: 3 }));
  const reasons = await result.current.submit({ kind: "track.set", payload: { trackId: "t", pan: 2 } });
  expect(reasons).toEqual(["pan must be between -1 and 1."]);
  const [method, projectId, ops] = invoke.mock.calls.at(-1)!;
  expect([method, projectId]).toEqual(["SubmitOps", "p"]);
  expect(ops[0]).toMatchObject({ baseVersion: 3, kind: "track.set", clientId: expect.stringMatching(/^web-/) });
});

it("applies its own ops from the submit result, which the server does not send back as OpsApplied", async () => {
  const { result } = renderHook(() => useProjectSession("p"));
  await waitFor(() => expect(result.current.project?.version).toBe(3));
  invoke.mockImplementation(async () => ({ acks: [{ opId: "1", status: "applied", version: 4, reason: null }], version: 4, ops: [op(4, "project.set", { tempo: 140 })] }));
  expect(await result.current.submit({ kind: "project.set", payload: { tempo: 140 } })).toEqual([]);
  await waitFor(() => expect(result.current.project).toMatchObject({ version: 4, tempo: 140 }));
});

it("asks for the ops it missed when its own result leaves a gap", async () => {
  const { result } = renderHook(() => useProjectSession("p"));
  await waitFor(() => expect(result.current.project?.version).toBe(3));
  invoke.mockImplementation(async (method: string) =>
    method === "SubmitOps"
      ? { acks: [{ opId: "1", status: "applied", version: 5, reason: null }], version: 5, ops: [op(5, "project.set", { tempo: 150 })] }
      : { version: 5, ops: [op(4, "project.set", { name: "Missed" }), op(5, "project.set", { tempo: 150 })], snapshot: null, role: "editor" },
  );
  await act(() => result.current.submit({ kind: "project.set", payload: { tempo: 150 } }));
  expect(result.current.project?.version).toBe(3); // 4 is missing: wait for it, then ask
  await waitFor(() => expect(result.current.project).toMatchObject({ version: 5, name: "Missed", tempo: 150 }), { timeout: 3000 });
});
