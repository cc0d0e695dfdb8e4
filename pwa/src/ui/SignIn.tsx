import { useState } from "preact/hooks";

import type { Auth, User } from "../api/auth";
import { da } from "../i18n/da";
import { describeError, type UserMessage } from "../i18n/messages";

interface Props {
  auth: Auth;
  onSignedIn: (user: User) => void;
}

export function SignIn({ auth, onSignedIn }: Props) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<UserMessage | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      onSignedIn(await auth.login(email.trim(), password));
    } catch (err) {
      setProblem(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (name: string) => problem?.fields[name];
  return (
    <main class="card">
      <h1>{da.appName}</h1>
      <form onSubmit={submit} noValidate>
        <h2>{da.signIn.heading}</h2>
        <p>{da.signIn.intro}</p>
        {problem && (
          <p role="alert" class="error">
            {problem.summary}
          </p>
        )}
        <label for="email">{da.signIn.email}</label>
        <input
          id="email"
          type="email"
          autocomplete="username"
          value={email}
          aria-invalid={fieldError("email") ? "true" : undefined}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
        {fieldError("email") && <p class="field-error">{fieldError("email")}</p>}
        <label for="password">{da.signIn.password}</label>
        <input
          id="password"
          type="password"
          autocomplete="current-password"
          value={password}
          aria-invalid={fieldError("password") ? "true" : undefined}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        {fieldError("password") && <p class="field-error">{fieldError("password")}</p>}
        <button type="submit" disabled={busy}>
          {busy ? da.signIn.submitting : da.signIn.submit}
        </button>
      </form>
    </main>
  );
}
