// Getting back in and moving the account: the forgotten-password form, the pages the mailed links open (a new
// password, a new address), and the settings page (the address, Premium, linked accounts, apps and tokens, export, deletion).
import { useEffect, useState, type FormEvent } from "react";
import { Link, useLocation } from "react-router";
import { api } from "../api/client";
import { useJob, type Job } from "../api/jobs";
import { AppsAndTokens } from "../apps/AppsAndTokens";
import type { Schema } from "../api/types";
import { ErrorText, useLoad } from "../ui/ui";
import { PushToggle } from "./PushToggle";

function useToken() {
  return new URLSearchParams(useLocation().search).get("token") ?? "";
}

/** A form whose submit calls `send` and shows its message (or its error). */
function useSubmit(send: (form: FormData) => Promise<string>) {
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      setMessage(await send(form));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { message, error, busy, onSubmit };
}

export function ForgotPasswordPage() {
  const { message, error, busy, onSubmit } = useSubmit(async (form) =>
    (await api.post<Schema<"MailedLinkResponse">>("/api/auth/password-reset", { email: form.get("email") })).message);
  return (
    <main className="auth narrow">
      <h1>Forgot your password?</h1>
      {message ? (
        <p className="ok" role="status">{message}</p>
      ) : (
        <form onSubmit={onSubmit} className="stack">
          <label>
            Email
            <input name="email" type="email" required autoComplete="email" />
          </label>
          <ErrorText error={error} />
          <button type="submit" disabled={busy}>Mail me a link</button>
        </form>
      )}
      <Link to="/signin">Back to sign in</Link>
    </main>
  );
}

/** The reset link's page: a new password for the token in the query string. */
export function ResetPasswordPage() {
  const token = useToken();
  const { message, error, busy, onSubmit } = useSubmit(async (form) => {
    await api.post("/api/auth/password-reset/confirm", { token, newPassword: form.get("newPassword") });
    return "Your password is changed, and every session has ended. Sign in with the new one.";
  });
  return (
    <main className="auth narrow">
      <h1>Choose a new password</h1>
      {message ? (
        <p className="ok" role="status">{message}</p>
      ) : (
        <form onSubmit={onSubmit} className="stack">
          <label>
            New password
            <input name="newPassword" type="password" required minLength={8} autoComplete="new-password" />
          </label>
          <ErrorText error={error} />
          <button type="submit" disabled={busy}>Set the password</button>
        </form>
      )}
      <Link to="/signin">Sign in</Link>
    </main>
  );
}

/** The new address's link: moves the account to it. */
export function ConfirmEmailPage() {
  const token = useToken();
  const [email, setEmail] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.post<Schema<"MeResponse">>("/api/auth/email/confirm", { token }).then((me) => setEmail(me.email), setError);
  }, [token]);
  return (
    <main className="narrow">
      <h1>Confirm your new address</h1>
      {email ? <p className="ok">Your account's address is now {email}.</p> : !error && <p className="muted">Confirming…</p>}
      <ErrorText error={error} />
      <Link to="/signin">Sign in</Link>
    </main>
  );
}

/** The signed-in user's settings: a new address, Premium, linked social accounts, apps and tokens, exporting and deleting the account. */
export function SettingsPage() {
  const premium = useLoad(() => api.get<Schema<"PremiumResponse">>("/api/premium"), []);
  const change = useSubmit(async (form) =>
    (await api.post<Schema<"MailedLinkResponse">>("/api/auth/email", { newEmail: form.get("newEmail"), password: form.get("password") })).message);
  const [premiumError, setPremiumError] = useState<unknown>(null);
  const go = (path: string, body?: unknown) =>
    api.post<Schema<"RedirectResponse">>(path, body).then((r) => window.location.assign(r.url), setPremiumError);
  const status = premium.data?.status;

  return (
    <main className="page narrow">
      <h1>Settings</h1>
      <section aria-labelledby="email-heading" className="stack">
        <h2 id="email-heading">Email address</h2>
        {change.message ? (
          <p className="ok" role="status">{change.message}</p>
        ) : (
          <form onSubmit={change.onSubmit} className="stack">
            <label>
              New email address
              <input name="newEmail" type="email" required autoComplete="email" />
            </label>
            <label>
              Current password
              <input name="password" type="password" autoComplete="current-password" />
            </label>
            <ErrorText error={change.error} />
            <button type="submit" disabled={change.busy}>Change the address</button>
          </form>
        )}
      </section>
      <section aria-labelledby="premium-heading" className="stack">
        <h2 id="premium-heading">Premium</h2>
        {status?.active ? (
          <p className="ok">
            Premium is on{status.until ? ` until ${new Date(status.until).toLocaleDateString()}` : ""}
            {status.graceUntil ? ` (the last payment failed; it stays on until ${new Date(status.graceUntil).toLocaleDateString()})` : ""}.
          </p>
        ) : (
          <p className="muted">You are on the free plan.</p>
        )}
        {premium.data && (
          <table aria-label="What Premium unlocks">
            <thead>
              <tr><th>Feature</th><th>Free</th><th>Premium</th></tr>
            </thead>
            <tbody>
              {premium.data.features.map((f) => (
                <tr key={f.key}><td>{f.name}</td><td>{f.user}</td><td>{f.premium}</td></tr>
              ))}
            </tbody>
          </table>
        )}
        {premium.data?.provider === "stripe" ? (
          <div className="row">
            {!status?.active && premium.data.plans.map((plan) => (
              <button key={plan} onClick={() => void go("/api/premium/checkout", { plan })}>Go Premium ({plan})</button>
            ))}
            {status?.source === "stripe" && <button className="secondary" onClick={() => void go("/api/premium/portal")}>Manage the subscription</button>}
          </div>
        ) : (
          !status?.active && <p className="muted">Premium is granted by the site's admins here.</p>
        )}
        <ErrorText error={premiumError ?? premium.error} />
      </section>
      <PushToggle />
      <LinkedAccounts />
      <AppsAndTokens />
      <ExportData />
      <DeleteAccount />
    </main>
  );
}

function DeleteAccount() {
  const remove = useSubmit(async (form) =>
    (await api.delete<Schema<"DeletionResponse">>("/api/users/me", { password: form.get("password") || undefined })).message);
  return (
    <section aria-labelledby="delete-heading" className="stack">
      <h2 id="delete-heading">Delete the account</h2>
      {remove.message ? (
        <p className="ok" role="status">{remove.message}</p>
      ) : (
        <form onSubmit={remove.onSubmit} className="stack">
          <p className="muted">
            Your releases, listings, the projects you own and your uploads are erased after a grace period; collaborators are told so they can
            fork first. Signing in before then keeps everything.
          </p>
          <label>
            Password
            <input name="password" type="password" autoComplete="current-password" />
          </label>
          <ErrorText error={remove.error} />
          <button type="submit" className="danger" disabled={remove.busy}>Delete my account</button>
        </form>
      )}
    </section>
  );
}

/** Social accounts to sign in with: linking goes through the provider and comes back here with #linked=…. */
function LinkedAccounts() {
  const me = useLoad(() => api.get<Schema<"MeResponse">>("/api/users/me"), []);
  const providers = useLoad(() => api.get<Schema<"ExternalProviderResponse">[]>("/api/auth/external"), []);
  const [error, setError] = useState<unknown>(null);
  const linked = new URLSearchParams(window.location.hash.slice(1)).get("linked");
  if (!providers.data?.length) return null;
  const link = (name: string) =>
    api.post<Schema<"LinkStartResponse">>(`/api/auth/external/${name}/link`).then((r) => window.location.assign(r.url), setError);
  const unlink = (name: string) => api.delete(`/api/users/me/logins/${name}`).then(me.reload, setError);
  return (
    <section aria-labelledby="linked-heading" className="stack">
      <h2 id="linked-heading">Linked accounts</h2>
      {linked && <p className="ok" role="status">Linked: you can now sign in with {linked}.</p>}
      <ul className="list">
        {providers.data.map((p) => (
          <li key={p.name} className="row">
            <span>{p.displayName}</span>
            {me.data?.linkedLogins.includes(p.name) ? (
              <button className="secondary" onClick={() => void unlink(p.name)}>Unlink {p.displayName}</button>
            ) : (
              <button onClick={() => void link(p.name)}>Link {p.displayName}</button>
            )}
          </li>
        ))}
      </ul>
      <ErrorText error={error} />
    </section>
  );
}

/** Everything the account holds as one zip, made by a job; the link appears when it is done. */
function ExportData() {
  const [jobId, setJobId] = useState<string | null>(null);
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const job = useJob(jobId);
  useEffect(() => {
    if (jobId && job?.status === "succeeded") {
      api.get<Schema<"ExportDownloadResponse">>(`/api/users/me/export/${jobId}`).then((r) => setUrl(r.url), setError);
    }
  }, [jobId, job?.status]);
  const start = () => {
    setError(null);
    setUrl(null);
    api.post<Job>("/api/users/me/export").then((j) => setJobId(j.id), setError);
  };
  return (
    <section aria-labelledby="export-heading" className="stack">
      <h2 id="export-heading">Your data</h2>
      <p className="muted">A zip of your profile, your projects as DAWproject with their audio, your uploads, releases, comments, orders and licenses.</p>
      {url ? (
        <a className="button" href={url}>Download the export</a>
      ) : (
        <button onClick={start} disabled={Boolean(jobId) && job?.status !== "failed"}>
          {jobId ? `Making the export… ${job?.progress ?? 0}%` : "Export my data"}
        </button>
      )}
      {job?.status === "failed" && <p className="error" role="alert">{job.error}</p>}
      <ErrorText error={error} />
    </section>
  );
}
