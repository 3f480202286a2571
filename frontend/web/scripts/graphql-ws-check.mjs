// Talks to a running platform with the graphql-ws library's own client (the reference implementation of
// graphql-transport-ws), for Jacameno.Frontend.Tests' GraphQLSubscriptionTests: a stranger's subscription fails
// with the project query's code, a query runs over the socket, and a member's subscription receives ops. Prints
// {"subscribed":true} once its subscription is sent, then one JSON report line, and exits 0.
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const { JACAMENO_URL: url, JACAMENO_TOKEN: token, JACAMENO_STRANGER_TOKEN: strangerToken, JACAMENO_PROJECT: projectId } = process.env;
const client = (t) => createClient({ url, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${t}` }, retryAttempts: 0 });
const ops = "subscription($p: ID!) { projectOps(projectId: $p) { version kind } }";
setTimeout(() => { console.error("timed out"); process.exit(2); }, 60_000).unref();

async function first(c, payload) {
  const iterator = c.iterate(payload);
  try {
    const { value } = await iterator.next();
    return value;
  } finally {
    await iterator.return?.();
  }
}

let strangerCode;
const stranger = client(strangerToken);
try {
  const result = await first(stranger, { query: ops, variables: { p: projectId } });
  strangerCode = result?.errors?.[0]?.extensions?.code ?? "none";
} catch (errors) {
  strangerCode = errors?.[0]?.extensions?.code ?? String(errors);
}
await stranger.dispose();

const member = client(token);
const me = await first(member, { query: "{ me { id } }" });
const live = member.iterate({ query: ops, variables: { p: projectId } });
const received = live.next();
console.log(JSON.stringify({ subscribed: true }));
const { value } = await received;
console.log(JSON.stringify({ ops: value.data.projectOps, strangerCode, me: me.data.me.id }));
await live.return?.();
await member.dispose();
