import { useEffect, useState } from "preact/hooks";

import type { Auth, SignInMethods, User } from "../api/auth";
import { ApiError } from "../api/client";
import { da } from "../i18n/da";
import { describeError, type UserMessage } from "../i18n/messages";
import { Field } from "./Field";

interface Props {
  auth: Auth;
  onSignedIn: (user: User) => void;
}

export function SignIn({ auth, onSignedIn }: Props) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<UserMessage | null>(null);
  // After a 429: when the server lets this device try again (ms since the epoch).
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  const now = useNow(waitUntil !== null);
  const waiting = waitUntil !== null ? Math.max(0, Math.ceil((waitUntil - now) / 1000)) : 0;
  const methods = useMethods(auth);

  async function submit(event: Event) {
    event.preventDefault();
    if (waiting > 0) return;
    setBusy(true);
    setProblem(null);
    setWaitUntil(null);
    try {
      onSignedIn(await auth.login(email.trim(), password));
    } catch (err) {
      if (err instanceof ApiError && err.code === "rate_limited" && err.retryAfter !== null) {
        setWaitUntil(Date.now() + err.retryAfter * 1000);
      } else {
        setProblem(describeError(err));
      }
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (name: string) => problem?.fields[name];
  const notice = waitUntil !== null ? (waiting > 0 ? da.signIn.wait(waiting) : da.signIn.waitOver) : null;
  // Unknown (offline, or still asking): the password form, as before the municipality's login.
  const passwordOn = methods?.password ?? true;
  const municipality = methods?.oidc && methods.oidc_login_url ? methods.oidc_login_url : null;
  return (
    <main class="card">
      <h1>{da.appName}</h1>
      {municipality && (
        <section aria-labelledby="municipality-heading">
          <h2 id="municipality-heading">{da.signIn.heading}</h2>
          <p>{da.signIn.municipalityIntro}</p>
          {/* A navigation, not a fetch: the provider's pages sign the person in, and its
              callback brings the browser back to the app with a session. What waits in the
              outbox stays on the tablet meanwhile and is sent after (App's start). */}
          <a class="button-like" href={municipality}>{da.signIn.withMunicipality}</a>
        </section>
      )}
      {passwordOn && <form onSubmit={submit} noValidate>
        {municipality ? <p>{da.signIn.orPassword}</p> : <>
          <h2>{da.signIn.heading}</h2>
          <p>{da.signIn.intro}</p>
        </>}
        {problem && (
          <p role="alert" class="error">
            {problem.summary}
          </p>
        )}
        {notice && (
          <p role="alert" class={waiting > 0 ? "error" : "hint"}>
            {notice}
          </p>
        )}
        <Field
          id="email"
          label={da.signIn.email}
          type="email"
          autocomplete="username"
          value={email}
          error={fieldError("email")}
          onInput={setEmail}
        />
        <Field
          id="password"
          label={da.signIn.password}
          type="password"
          autocomplete="current-password"
          value={password}
          error={fieldError("password")}
          onInput={setPassword}
        />
        <button type="submit" disabled={busy || waiting > 0}>
          {busy ? da.signIn.submitting : da.signIn.submit}
        </button>
      </form>}
    </main>
  );
}

/** Which ways of signing in the server has on; null until it answers (or without a network). */
function useMethods(auth: Auth): SignInMethods | null {
  const [methods, setMethods] = useState<SignInMethods | null>(null);
  useEffect(() => {
    let live = true;
    auth.methods().then((found) => { if (live) setMethods(found); }, () => undefined);
    return () => { live = false; };
  }, [auth]);
  return methods;
}

/** The current time, updated every second while ``ticking`` (for the countdown). */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [ticking]);
  return now;
}
