import { useState } from "preact/hooks";

import { ApiError, type ApiClient } from "../api/client";
import { da } from "../i18n/da";
import { describeError } from "../i18n/messages";
import { Field } from "./Field";

/** The page a welcome or reset link opens (/adgangskode#secret): the person chooses their
 *  own password. The secret sits in the fragment, which the browser never sends to a
 *  server; it is dropped from the address bar once used. */
export function SetPassword({ api, onDone }: { api: ApiClient; onDone: () => void }) {
  const [secret] = useState(() => location.hash.slice(1));
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    if (password.length < 10) return setFields({ password: da.account.tooShort });
    if (password !== repeat) return setFields({ repeat: da.account.mismatch });
    setFields({});
    setBusy(true);
    try {
      await api.post("/api/auth/password-link", { token: secret, password });
      history.replaceState(null, "", "/adgangskode");
      setSaved(true);
      setProblem(null);
    } catch (err) {
      setProblem(err instanceof ApiError && err.code === "link_invalid" ? da.account.linkInvalid
        : describeError(err).summary);
    } finally {
      setBusy(false);
    }
  }

  function toSignIn() {
    history.replaceState(null, "", "/");
    onDone();
  }

  return (
    <main class="card">
      <h1>{da.appName}</h1>
      <h2>{da.account.setHeading}</h2>
      {saved ? (
        <>
          <p role="status">{da.account.saved}</p>
          <button type="button" onClick={toSignIn}>{da.account.toSignIn}</button>
        </>
      ) : !secret ? (
        <p role="alert" class="error">{da.account.noLink}</p>
      ) : (
        <form onSubmit={submit} noValidate>
          <p>{da.account.setIntro}</p>
          {problem && <p role="alert" class="error">{problem}</p>}
          <Field id="new-password" label={da.account.newPassword} type="password"
            autocomplete="new-password" value={password} error={fields.password} onInput={setPassword} />
          <Field id="repeat-password" label={da.account.repeat} type="password"
            autocomplete="new-password" value={repeat} error={fields.repeat} onInput={setRepeat} />
          <button type="submit" disabled={busy}>{busy ? da.account.saving : da.account.save}</button>
        </form>
      )}
    </main>
  );
}
