import { useState } from "preact/hooks";

import type { Auth, User } from "../api/auth";
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
        <button type="submit" disabled={busy}>
          {busy ? da.signIn.submitting : da.signIn.submit}
        </button>
      </form>
    </main>
  );
}
