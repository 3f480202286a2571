// Settings → Apps and tokens: personal access tokens for the user's own scripts, the apps they allowed through
// OAuth, and (for developers) the apps they registered. Secrets are shown once, when made; the server keeps
// only their hashes.
import { useState, type FormEvent } from "react";
import { api } from "../api/client";
import type { Schema } from "../api/types";
import { ErrorText, FieldError, FormError, Loading, useLoad } from "../ui/ui";

type Token = Schema<"PersonalTokenResponse">;
type CreatedToken = Schema<"CreatedTokenResponse">;
type Grant = Schema<"AppGrantResponse">;
type App = Schema<"AppResponse">;
type RegisteredApp = Schema<"RegisteredAppResponse">;

const date = (iso: string) => new Date(iso).toLocaleDateString();

export function AppsAndTokens() {
  return (
    <section aria-labelledby="apps-heading" className="stack">
      <h2 id="apps-heading">Apps and tokens</h2>
      <PersonalTokens />
      <AuthorizedApps />
      <DeveloperApps />
    </section>
  );
}

/** A secret shown the one time it exists, with a copy button and a warning. */
export function OnceSecret({ label, secret, onDone }: { label: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = () => navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => setCopied(false));
  return (
    <div className="card stack secret" role="region" aria-label={label}>
      <strong>{label}</strong>
      <p className="error">Copy it now: it is shown only this once. Anyone who has it can act as you within its scopes, so keep it secret.</p>
      <div className="row">
        <input readOnly value={secret} aria-label="Secret" onFocus={(e) => e.currentTarget.select()} className="grow" />
        <button type="button" onClick={() => void copy()}>{copied ? "Copied" : "Copy"}</button>
      </div>
      <button type="button" className="secondary" onClick={onDone}>I have copied it</button>
    </div>
  );
}

function PersonalTokens() {
  const tokens = useLoad(() => api.get<Token[]>("/api/users/me/tokens"), []);
  const scopes = useLoad(() => api.get<Record<string, string>>("/api/apps/scopes"), []);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [revokeError, setRevokeError] = useState<unknown>(null);

  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formElement = e.currentTarget;
    const form = new FormData(formElement);
    setBusy(true);
    setError(null);
    try {
      const days = String(form.get("expiresInDays") ?? "");
      setCreated(await api.post<CreatedToken>("/api/users/me/tokens", {
        name: form.get("name"),
        scopes: form.getAll("scopes"),
        expiresInDays: days ? Number(days) : null,
      }));
      formElement.reset();
      tokens.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const revoke = (token: Token) => {
    setRevokeError(null);
    api.delete(`/api/users/me/tokens/${token.id}`).then(tokens.reload, setRevokeError);
  };

  return (
    <section aria-labelledby="tokens-heading" className="stack">
      <h3 id="tokens-heading">Personal access tokens</h3>
      <p className="muted">
        For your own scripts and tools: send one as <code>Authorization: Bearer …</code>. A token may do only what its scopes allow, and
        never anything about the account itself (sign-in, password, email, payouts).
      </p>
      <Loading state={tokens}>
        {tokens.data?.length ? (
          <ul className="list" aria-label="Your tokens">
            {tokens.data.map((t) => (
              <li key={t.id} className="row">
                <div className="stack grow">
                  <strong>{t.name}</strong>
                  <span className="muted">{t.scopes.join(", ")}</span>
                  <span className="muted">
                    Made {date(t.createdAt)}, expires {date(t.expiresAt)}, {t.lastUsedAt ? `last used ${date(t.lastUsedAt)}` : "never used"}
                  </span>
                </div>
                <button className="secondary small" onClick={() => revoke(t)} aria-label={`Revoke token ${t.name}`}>Revoke</button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">You have no tokens.</p>
        )}
      </Loading>
      <ErrorText error={revokeError} />
      {created && <OnceSecret label={`Token “${created.token.name}”`} secret={created.secret} onDone={() => setCreated(null)} />}
      <form onSubmit={create} className="stack card" aria-labelledby="new-token-heading">
        <h4 id="new-token-heading">New token</h4>
        <label>
          Name
          <input name="name" required maxLength={100} placeholder="e.g. Release uploader" aria-describedby="token-name-error" />
          <FieldError error={error} field="name" id="token-name-error" />
        </label>
        <fieldset className="stack box">
          <legend>Scopes</legend>
          <Loading state={scopes}>
            {Object.entries(scopes.data ?? {}).map(([name, description]) => (
              <label key={name} className="inline">
                <input type="checkbox" name="scopes" value={name} /> <span><code>{name}</code>: {description}</span>
              </label>
            ))}
          </Loading>
          <FieldError error={error} field="scopes" />
        </fieldset>
        <label>
          Expires in (days, 1-366)
          <input name="expiresInDays" type="number" min={1} max={366} defaultValue={90} aria-describedby="token-days-error" />
          <FieldError error={error} field="expiresInDays" id="token-days-error" />
        </label>
        <FormError error={error} fields={["name", "scopes", "expiresInDays"]} />
        <button type="submit" disabled={busy}>Create token</button>
      </form>
    </section>
  );
}

function AuthorizedApps() {
  const grants = useLoad(() => api.get<Grant[]>("/api/users/me/apps"), []);
  const [error, setError] = useState<unknown>(null);
  const revoke = (grant: Grant) => {
    setError(null);
    api.delete(`/api/users/me/apps/${grant.clientId}`).then(grants.reload, setError);
  };
  return (
    <section aria-labelledby="authorized-heading" className="stack">
      <h3 id="authorized-heading">Authorized apps</h3>
      <Loading state={grants}>
        {grants.data?.length ? (
          <ul className="list" aria-label="Apps you allowed">
            {grants.data.map((g) => (
              <li key={g.clientId} className="row">
                <div className="stack grow">
                  <strong>{g.appName}</strong>
                  <span className="muted">{g.scopes.join(", ")}</span>
                  <span className="muted">Allowed {date(g.grantedAt)}</span>
                </div>
                <button className="secondary small" onClick={() => revoke(g)} aria-label={`Revoke access of ${g.appName}`}>Revoke access</button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">You have not allowed any app to use your account.</p>
        )}
      </Loading>
      <ErrorText error={error} />
    </section>
  );
}

function DeveloperApps() {
  const apps = useLoad(() => api.get<App[]>("/api/apps"), []);
  const [registered, setRegistered] = useState<RegisteredApp | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<unknown>(null);

  async function register(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formElement = e.currentTarget;
    const form = new FormData(formElement);
    setBusy(true);
    setError(null);
    try {
      const redirectUris = String(form.get("redirectUris") ?? "").split(/\s+/).filter(Boolean);
      setRegistered(await api.post<RegisteredApp>("/api/apps", { name: form.get("name"), redirectUris, confidential: form.get("confidential") === "on" }));
      formElement.reset();
      apps.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const remove = (app: App) => {
    if (!window.confirm(`Delete “${app.name}”? Nobody can sign in to it any more, and its users' access ends.`)) return;
    setDeleteError(null);
    api.delete(`/api/apps/${app.clientId}`).then(apps.reload, setDeleteError);
  };

  return (
    <section aria-labelledby="developer-heading" className="stack">
      <h3 id="developer-heading">Your apps (for developers)</h3>
      <p className="muted">Register an app to let other people sign in to it with Jacameno (OAuth 2.1, authorization code with PKCE).</p>
      <Loading state={apps}>
        {apps.data?.length ? (
          <ul className="list" aria-label="Your apps">
            {apps.data.map((a) => (
              <li key={a.clientId} className="row">
                <div className="stack grow">
                  <strong>{a.name}</strong>
                  <span className="muted">
                    Client id <code>{a.clientId}</code> ({a.confidential ? "confidential" : "public"})
                  </span>
                  <span className="muted">Redirect URIs: {a.redirectUris.join(", ")}</span>
                </div>
                <button className="danger small" onClick={() => remove(a)} aria-label={`Delete app ${a.name}`}>Delete</button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">You have registered no apps.</p>
        )}
      </Loading>
      <ErrorText error={deleteError} />
      {registered && (
        registered.clientSecret ? (
          <OnceSecret label={`Client secret of “${registered.app.name}”`} secret={registered.clientSecret} onDone={() => setRegistered(null)} />
        ) : (
          <p className="ok" role="status">
            Registered “{registered.app.name}”: client id <code>{registered.app.clientId}</code>. It is public, so it has no secret and uses PKCE.
          </p>
        )
      )}
      <form onSubmit={register} className="stack card" aria-labelledby="new-app-heading">
        <h4 id="new-app-heading">Register an app</h4>
        <label>
          App name
          <input name="name" required maxLength={80} aria-describedby="app-name-error" />
          <FieldError error={error} field="name" id="app-name-error" />
        </label>
        <label>
          Redirect URIs (one a line)
          <textarea name="redirectUris" rows={2} required placeholder="https://app.example.org/callback" aria-describedby="app-uris-error" />
          <FieldError error={error} field="redirectUris" id="app-uris-error" />
        </label>
        <label className="inline">
          <input type="checkbox" name="confidential" /> Confidential (a server that can keep a client secret)
        </label>
        <FormError error={error} fields={["name", "redirectUris"]} />
        <button type="submit" disabled={busy}>Register the app</button>
      </form>
    </section>
  );
}
