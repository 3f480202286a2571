// One open project: joins it over SignalR, keeps the client's copy in version order (skipping versions
// it has, buffering versions ahead, reloading on a gap or a kind it does not apply), submits ops with
// the tab's client id, and tracks who else is here and where their playheads are.
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import { hub, on, onReconnected } from "../api/hub";
import type { Schema } from "../api/types";
import { applyOp, type AppliedOp, type Project, type Role } from "./model";

export interface Presence { playhead?: number | null; selection?: string[] | null; cursor?: { position: number; trackId?: string | null } | null }
export interface Peer { userId: string; connectionId: string; presence: Presence }

// The hub's methods are not in the OpenAPI document: JoinProject's result is written here from its parts;
// SubmitOps answers as POST /api/projects/{id}/ops does.
interface JoinResult { version: number; ops: AppliedOp[] | null; snapshot: Project | null; role: Role }
type SubmitResult = Omit<Schema<"SubmitOpsResponse">, "ops"> & { ops: AppliedOp[] };

export interface OpDraft { kind: string; payload: Record<string, unknown> }

/** This tab's id: ops are idempotent by (clientId, opId), so a retried submit is never applied twice. */
const clientId = `web-${crypto.randomUUID().slice(0, 8)}`;
let nextOpId = Date.now();

export function useProjectSession(projectId: string) {
  const [project, setProject] = useState<Project | null>(null);
  const [role, setRole] = useState<Role>("viewer");
  const [peers, setPeers] = useState<Record<string, Peer>>({});
  const [error, setError] = useState<unknown>(null);
  const [ended, setEnded] = useState<string | null>(null);
  const current = useRef<Project | null>(null);
  const ahead = useRef(new Map<number, AppliedOp>());

  const show = useCallback((p: Project) => {
    current.current = p;
    setProject(p);
  }, []);

  const reload = useCallback(async () => {
    const snapshot = await api.get<Project>(`/api/projects/${projectId}`);
    if (!current.current || snapshot.version >= current.current.version) show(snapshot);
    drain();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [projectId, show]);

  /** Applies buffered ops that are next in line; a kind not applied locally reloads the snapshot. */
  const drain = useCallback(() => {
    let p = current.current;
    if (!p) return;
    for (;;) {
      const op = ahead.current.get(p.version + 1);
      if (!op) break;
      ahead.current.delete(op.version);
      const next = applyOp(p, op);
      if (!next) {
        void reload();
        return;
      }
      p = next;
    }
    for (const version of ahead.current.keys()) if (version <= p.version) ahead.current.delete(version);
    if (p !== current.current) show(p);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [show]);

  const join = useCallback(async () => {
    const connection = await hub();
    const result = await connection.invoke<JoinResult>("JoinProject", projectId, current.current?.version ?? null);
    setRole(result.role);
    if (result.snapshot) show(result.snapshot);
    for (const op of result.ops ?? []) ahead.current.set(op.version, op);
    drain();
  }, [projectId, show, drain]);

  /** Takes applied ops from OpsApplied or from our own submit's result; a gap still open after a second is fetched. */
  const receive = useCallback(
    (ops: AppliedOp[]) => {
      for (const op of ops) ahead.current.set(op.version, op);
      drain();
      if (ahead.current.size > 0) setTimeout(() => ahead.current.size > 0 && void join(), 1000);
    },
    [drain, join],
  );

  useEffect(() => {
    current.current = null;
    ahead.current.clear();
    setProject(null);
    setError(null);
    setEnded(null);
    join().catch(setError);
    const offs = [
      on<[string, AppliedOp[]]>("OpsApplied", (id, ops) => id === projectId && receive(ops)),
      on<[string, Peer]>("PresenceChanged", (id, peer) => {
        if (id !== projectId) return;
        const presence = typeof peer.presence === "string" ? (JSON.parse(peer.presence) as Presence) : peer.presence;
        setPeers((all) => ({ ...all, [peer.connectionId]: { ...peer, presence } }));
      }),
      on<[string, string, string]>("CollaboratorJoined", (id, userId, connectionId) => {
        if (id === projectId) setPeers((all) => ({ ...all, [connectionId]: all[connectionId] ?? { userId, connectionId, presence: {} } }));
      }),
      on<[string, string, string]>("CollaboratorLeft", (id, _userId, connectionId) => {
        if (id !== projectId) return;
        setPeers((all) => {
          const rest = { ...all };
          delete rest[connectionId];
          return rest;
        });
      }),
      on<[string]>("ProjectAccessRevoked", (id) => id === projectId && setEnded("You were removed from this project.")),
      on<[string]>("ProjectDeleted", (id) => id === projectId && setEnded("This project was deleted.")),
      onReconnected(() => void join().catch(setError)),
    ];
    return () => {
      offs.forEach((off) => off());
      void hub().then((c) => c.invoke("LeaveProject", projectId)).catch(() => undefined);
    };
  }, [projectId, join, receive]);

  /** Submits ops in one batch; resolves with the reasons of those the server rejected. */
  const submit = useCallback(
    async (...drafts: OpDraft[]): Promise<string[]> => {
      const baseVersion = current.current?.version ?? 0;
      const ops = drafts.map((d) => ({ clientId, opId: String(nextOpId++), baseVersion, kind: d.kind, payload: d.payload }));
      const connection = await hub();
      const result = await connection.invoke<SubmitResult>("SubmitOps", projectId, ops);
      receive(result.ops ?? []); // our own applied ops come back here, not as OpsApplied
      return result.acks.filter((a) => a.status === "rejected").map((a) => a.reason ?? "The change was rejected.");
    },
    [projectId, receive],
  );

  const lastPresence = useRef(0);
  const pendingPresence = useRef<ReturnType<typeof setTimeout> | null>(null);
  /** Shares this tab's playhead and selection, at most 10 times a second (the server allows 20). */
  const sharePresence = useCallback(
    (presence: Presence) => {
      const send = () => {
        lastPresence.current = Date.now();
        pendingPresence.current = null;
        void hub().then((c) => c.invoke("UpdatePresence", projectId, presence)).catch(() => undefined);
      };
      if (pendingPresence.current) clearTimeout(pendingPresence.current);
      const wait = 100 - (Date.now() - lastPresence.current);
      if (wait <= 0) send();
      else pendingPresence.current = setTimeout(send, wait);
    },
    [projectId],
  );

  return { project, role, peers: Object.values(peers), error, ended, submit, sharePresence, reload };
}
