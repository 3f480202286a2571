// One SignalR connection to /hubs/studio per signed-in tab, shared by the editor (ops, presence), job
// progress bars and notifications. It reconnects by itself; `onReconnected` lets the editor rejoin.
import { HubConnectionBuilder, HubConnectionState, LogLevel, type HubConnection } from "@microsoft/signalr";
import { accessToken, onUserChanged } from "./client";

let connection: HubConnection | null = null;
let starting: Promise<HubConnection> | null = null;

export function hub(): Promise<HubConnection> {
  if (connection?.state === HubConnectionState.Connected) return Promise.resolve(connection);
  starting ??= (async () => {
    connection ??= new HubConnectionBuilder()
      .withUrl("/hubs/studio", { accessTokenFactory: async () => (await accessToken()) ?? "" })
      .withAutomaticReconnect([0, 1000, 2000, 5000, 10000, 10000, 30000])
      .configureLogging(LogLevel.Warning)
      .build();
    if (connection.state === HubConnectionState.Disconnected) await connection.start();
    return connection;
  })().finally(() => (starting = null));
  return starting;
}

/** Subscribes to a server event for as long as the returned function is not called. */
export function on<T extends unknown[]>(event: string, handler: (...args: T) => void): () => void {
  let off = false;
  void hub().then((c) => !off && c.on(event, handler as (...args: unknown[]) => void));
  return () => {
    off = true;
    connection?.off(event, handler as (...args: unknown[]) => void);
  };
}

export function onReconnected(handler: () => void): () => void {
  let active = true;
  void hub().then((c) => c.onreconnected(() => active && handler()));
  return () => (active = false);
}

onUserChanged(() => {
  // A different user (or none) must not keep the previous user's connection and groups.
  const old = connection;
  connection = null;
  if (old) void old.stop();
});
