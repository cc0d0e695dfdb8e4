import { useState } from "preact/hooks";

import type { User } from "../api/auth";
import type { Services } from "../app/services";
import { PIN_LENGTH } from "../db/keys";
import { da } from "../i18n/da";

const DIGITS = new RegExp(`^[0-9]{${PIN_LENGTH}}$`);

/** A PIN input: digits, masked, the phone-style keypad on a tablet. */
function PinInput({ id, label, value, error, onInput }: {
  id: string; label: string; value: string; error?: string | null; onInput: (v: string) => void;
}) {
  return (
    <>
      <label for={id}>{label}</label>
      <input id={id} type="password" inputMode="numeric" autocomplete="off" maxLength={PIN_LENGTH}
        value={value} aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onInput={(e) => onInput(e.currentTarget.value)} />
      {error && <p id={`${id}-error`} class="field-error">{error}</p>}
    </>
  );
}

/** After signing in on a tablet without a PIN: choose one to open the app offline. Asked, not
 * required (skipped, the app opens only online, after signing in); it blocks nothing else. */
export function ChoosePin({ services, onDone }: { services: Services; onDone: () => void }) {
  const [pin, setPin] = useState("");
  const [repeat, setRepeat] = useState("");
  const [problem, setProblem] = useState<{ field: "pin" | "repeat"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    if (!DIGITS.test(pin)) return setProblem({ field: "pin", text: da.keys.badPin(PIN_LENGTH) });
    if (pin !== repeat) return setProblem({ field: "repeat", text: da.keys.mismatch });
    setProblem(null);
    setBusy(true);
    try {
      await services.keys.setPin(pin);
    } finally {
      setBusy(false);
    }
    // The card goes: a second live status beside the status bar would compete with it.
    onDone();
  }

  return (
    <section class="card" aria-labelledby="choose-pin-heading">
      <h2 id="choose-pin-heading">{da.keys.chooseHeading}</h2>
      <p>{da.keys.chooseIntro(PIN_LENGTH)}</p>
      <form onSubmit={submit} noValidate>
        <PinInput id="new-pin" label={da.keys.pin(PIN_LENGTH)} value={pin} onInput={setPin}
          error={problem?.field === "pin" ? problem.text : null} />
        <PinInput id="repeat-pin" label={da.keys.repeat} value={repeat} onInput={setRepeat}
          error={problem?.field === "repeat" ? problem.text : null} />
        <button type="submit" disabled={busy}>{busy ? da.keys.choosing : da.keys.choose}</button>{" "}
        <button type="button" class="secondary" onClick={onDone}>{da.keys.notNow}</button>
      </form>
    </section>
  );
}

/** Why the app starts locked: no network; the server at fault for now (a 5xx, a 503 while it
 * restarts); or the sign-in is too old for the server to hand out the device's key. */
export type LockedWhy = "offline" | "fault" | "stale";

/** The app started without the server's key on a tablet whose data is sealed: the PIN opens
 * it, or (no PIN, or too many wrong ones) the person tries again or signs in. Nothing stored
 * is touched here, whatever the cause. */
export function Unlock({ services, hasPin, why, onOpen, onRetry, onSignIn }: {
  services: Services; hasPin: boolean; why: LockedWhy; onOpen: (user: User | undefined) => void;
  onRetry: () => void; onSignIn: () => void;
}) {
  const [pin, setPin] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [gone, setGone] = useState(!hasPin);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    try {
      const answer = await services.unlockWithPin(pin);
      if (answer.kind === "open") return onOpen(await services.lastUser());
      setPin("");
      if (answer.kind === "wrong") setProblem(da.keys.wrong(answer.left));
      else setGone(true);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="card">
      <h1>{da.appName}</h1>
      <h2>{da.keys.unlockHeading}</h2>
      {gone ? (
        <p role="alert" class="error">{hasPin ? da.keys.gone : da.keys.noPinFor[why]}</p>
      ) : (
        <form onSubmit={submit} noValidate>
          <p>{da.keys.unlockIntroFor[why]}</p>
          {problem && <p role="alert" class="error">{problem}</p>}
          <PinInput id="unlock-pin" label={da.keys.unlockPin} value={pin} onInput={setPin} />
          <button type="submit" disabled={busy}>{busy ? da.keys.unlocking : da.keys.unlock}</button>
        </form>
      )}
      <button type="button" class="secondary" onClick={onRetry}>{da.keys.retry}</button>{" "}
      {why !== "offline" && <button type="button" class="secondary" onClick={onSignIn}>{da.keys.signInAgain}</button>}
    </main>
  );
}

/** Someone signs in on a tablet that holds another person's unsent changes, sealed under
 * that person's key: said plainly, and nothing goes unless this person chooses it. */
export function OthersWork({ count, owner, you, onKeep, onDiscard }: {
  count: number; owner: string; you: string; onKeep: () => void; onDiscard: () => void;
}) {
  return (
    <main class="card" aria-labelledby="others-work-heading">
      <h1>{da.appName}</h1>
      <h2 id="others-work-heading">{da.othersWork.heading}</h2>
      <p>{da.othersWork.intro(count, owner || da.othersWork.someone)}</p>
      <button type="button" onClick={onKeep}>{da.othersWork.keep(owner || da.othersWork.someone)}</button>{" "}
      <button type="button" class="secondary" onClick={onDiscard}>{da.othersWork.discard(you)}</button>
    </main>
  );
}
