// Who is signed in, for every component; sign-in and sign-up pages with social login buttons.
import { useEffect, useState, type FormEvent } from "react";
import { Link, Navigate, useLocation, useNavigate } from "react-router";
import { api, ApiError, currentUser, onUserChanged, signedIn, type TokenResponse, type User } from "../api/client";
import type { Schema } from "../api/types";
import { ErrorText, useLoad } from "../ui/ui";

export function useUser(): User | null {
  const [user, setUser] = useState(currentUser);
  useEffect(() => onUserChanged(setUser), []);
  return user;
}

/** Renders its children for a signed-in user, else sends them to sign in and back here afterwards. */
export function RequireUser({ children }: { children: React.ReactNode }) {
  const user = useUser();
  const location = useLocation();
  if (!user) return <Navigate to={`/signin?returnTo=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}

function useReturnTo() {
  const params = new URLSearchParams(useLocation().search);
  const returnTo = params.get("returnTo") ?? "/projects";
  // Only paths of this app: never an address elsewhere (browsers read "/\\host" and a tab or newline after "/" as "//host").
  return /^\/(?![\/\\])[^\\\s\u0000-\u001f]*$/.test(returnTo) ? returnTo : "/projects";
}

export function SignInPage() {
  return <AuthForm mode="signin" />;
}

export function SignUpPage() {
  return <AuthForm mode="signup" />;
}

function AuthForm({ mode }: { mode: "signin" | "signup" }) {
  const navigate = useNavigate();
  const returnTo = useReturnTo();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      // Sign-up answers the same whether or not the address has an account (so it cannot be used to find out);
      // signing in with the new password then opens the new account.
      if (mode === "signup") {
        await api.post("/api/auth/register", {
          email: form.get("email"),
          password: form.get("password"),
          displayName: form.get("displayName"),
        });
      }
      const tokens = await api.post<TokenResponse>("/api/auth/login", { email: form.get("email"), password: form.get("password") }).catch((err) => {
        throw mode === "signup" && err instanceof ApiError && err.status === 401
          ? new Error("This email address may already have an account (we sent a mail to it). Sign in with its password, or sign up with another address.")
          : err;
      });
      signedIn(tokens);
      navigate(returnTo, { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="auth narrow">
      <h1>{mode === "signin" ? "Sign in" : "Create your account"}</h1>
      <form onSubmit={submit} className="stack">
        {mode === "signup" && (
          <label>
            Display name
            <input name="displayName" required maxLength={64} autoComplete="nickname" />
          </label>
        )}
        <label>
          Email
          <input name="email" type="email" required autoComplete="email" />
        </label>
        <label>
          Password
          <input name="password" type="password" required minLength={8} autoComplete={mode === "signin" ? "current-password" : "new-password"} />
        </label>
        <ErrorText error={error} />
        <button type="submit" disabled={busy}>
          {mode === "signin" ? "Sign in" : "Sign up"}
        </button>
      </form>
      {mode === "signin" && <Link to="/forgot-password">Forgot your password?</Link>}
      <SocialButtons returnTo={returnTo} />
      <p>
        {mode === "signin" ? (
          <>
            New here? <Link to={`/signup?returnTo=${encodeURIComponent(returnTo)}`}>Create an account</Link>
          </>
        ) : (
          <>
            Have an account? <Link to={`/signin?returnTo=${encodeURIComponent(returnTo)}`}>Sign in</Link>
          </>
        )}
      </p>
    </main>
  );
}

/** One button per configured provider; none when the server has none configured. */
function SocialButtons({ returnTo }: { returnTo: string }) {
  const providers = useLoad(() => api.get<Schema<"ExternalProviderResponse">[]>("/api/auth/external"), []);
  if (!providers.data?.length) return null;
  const back = `/auth/callback?returnTo=${encodeURIComponent(returnTo)}`;
  return (
    <div className="stack social">
      {providers.data.map((p) => (
        <a key={p.name} className="button secondary" href={`${p.startUrl}${p.startUrl.includes("?") ? "&" : "?"}returnUrl=${encodeURIComponent(back)}`}>
          Continue with {p.displayName}
        </a>
      ))}
    </div>
  );
}

/** Where a social login comes back: redeems the one-time code from the fragment. */
export function SocialCallbackPage() {
  const navigate = useNavigate();
  const returnTo = useReturnTo();
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const fragment = new URLSearchParams(window.location.hash.slice(1));
    const code = fragment.get("code");
    if (!code) {
      setError(new Error(fragment.get("error_description") ?? "The sign-in did not finish."));
      return;
    }
    api.post<TokenResponse>("/api/auth/external/redeem", { code }).then(
      (tokens) => {
        signedIn(tokens);
        navigate(returnTo, { replace: true });
      },
      setError,
    );
  }, [navigate, returnTo]);
  return (
    <main className="narrow">
      <h1>Signing in…</h1>
      <ErrorText error={error} />
      {Boolean(error) && <Link to="/signin">Back to sign in</Link>}
    </main>
  );
}

/** The mailed link's page: confirms the address with the token in the query string. */
export function VerifyEmailPage() {
  const token = new URLSearchParams(useLocation().search).get("token") ?? "";
  const [state, setState] = useState<"working" | "done">("working");
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.post("/api/auth/verify-email", { token }).then(() => setState("done"), setError);
  }, [token]);
  return (
    <main className="narrow">
      <h1>Confirm your email</h1>
      {state === "done" ? <p className="ok">Your email address is confirmed.</p> : !error && <p className="muted">Confirming…</p>}
      <ErrorText error={error} />
      <Link to="/projects">Go to your projects</Link>
    </main>
  );
}
