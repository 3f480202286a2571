// The OAuth consent page: the server's GET /oauth/authorize sends the browser here with the app's request in the
// query string. It shows the app, its developer and what each scope allows; Allow or Deny posts the same
// parameters back with the user's own token, and the answer says where to send the browser (the app's redirect
// URI with a code, or with access_denied).
import { useState } from "react";
import { Link, useLocation } from "react-router";
import { api, query } from "../api/client";
import type { Schema } from "../api/types";
import { useUser } from "../auth/auth";
import { ErrorText, useLoad } from "../ui/ui";

type Consent = Schema<"AppConsentResponse">;

export default function ConsentPage() {
  const search = useLocation().search;
  const params = new URLSearchParams(search);
  const clientId = params.get("client_id") ?? "";
  const scope = params.get("scope") ?? "";
  const user = useUser();
  const consent = useLoad(async () => {
    if (!clientId) throw new Error("This link names no app (it has no client_id). Go back to the app and start again.");
    return api.get<Consent>(`/api/apps/${encodeURIComponent(clientId)}/consent${query({ scope })}`);
  }, [clientId, scope]);
  const [busy, setBusy] = useState<"allow" | "deny" | null>(null);
  const [leaving, setLeaving] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function decide(decision: "allow" | "deny") {
    const form = new URLSearchParams(search);
    form.set("decision", decision);
    setBusy(decision);
    setError(null);
    try {
      const { redirectTo } = await api.postForm<{ redirectTo: string }>("/oauth/authorize", form);
      setLeaving(true);
      window.location.assign(redirectTo);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  const app = consent.data;
  const destination = hostOf(params.get("redirect_uri"));
  return (
    <main className="narrow consent">
      {consent.loading && <p className="muted">Loading…</p>}
      {consent.error ? (
        <>
          <h1>This app cannot be authorized</h1>
          <ErrorText error={consent.error} />
          <Link to="/">Go to Jacameno</Link>
        </>
      ) : (
        app && (
          <div className="card stack">
            <h1>Allow {app.name} to use your account?</h1>
            <p>
              <strong>{app.name}</strong> by <strong>{app.developer}</strong> would like to act for{" "}
              <strong>{user?.displayName}</strong> <span className="muted">({user?.email})</span> on Jacameno.
            </p>
            <section aria-labelledby="consent-scopes-heading">
              <h2 id="consent-scopes-heading">It will be able to</h2>
              <ul className="list" aria-label="What the app may do">
                {Object.entries(app.scopes).map(([name, description]) => (
                  <li key={name}>
                    {description} <code className="muted">{name}</code>
                  </li>
                ))}
              </ul>
            </section>
            <p className="muted">
              It will never see your password, and cannot change your email, password or payouts, or delete your account.
              {destination && <> Afterwards you go back to <strong>{destination}</strong>.</>} You can revoke its access at any time in{" "}
              <Link to="/settings">Settings</Link>, under Apps and tokens.
            </p>
            <ErrorText error={error} />
            {leaving ? (
              <p className="muted" role="status">Taking you back to the app…</p>
            ) : (
              <div className="row">
                <button onClick={() => void decide("allow")} disabled={busy !== null}>
                  {busy === "allow" ? "Allowing…" : "Allow"}
                </button>
                <button className="secondary" onClick={() => void decide("deny")} disabled={busy !== null}>
                  {busy === "deny" ? "Denying…" : "Deny"}
                </button>
              </div>
            )}
          </div>
        )
      )}
    </main>
  );
}

/** The host the browser goes back to (or the whole URI for a mobile app's own scheme), for the person to check. */
function hostOf(uri: string | null): string | null {
  if (!uri) return null;
  try {
    const url = new URL(uri);
    return url.host || uri;
  } catch {
    return null;
  }
}
