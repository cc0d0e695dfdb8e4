import { useEffect, useState } from "preact/hooks";

import type { User } from "../api/auth";
import { NetworkError } from "../api/client";
import type { Services } from "../app/services";
import { StaleSignIn } from "../db/keys";
import { da } from "../i18n/da";
import { describeError } from "../i18n/messages";
import { ChoosePin, type LockedWhy, OthersWork, Unlock } from "./DeviceLock";
import { Home } from "./Home";
import { SetPassword } from "./SetPassword";
import { SignIn } from "./SignIn";
import { StatusBar } from "./StatusBar";
import { CannotKeepNotice, PersistNotice } from "./StorageNotice";
import { UpdateBanner } from "./UpdateBanner";

type State =
  | { kind: "loading" }
  | { kind: "signedOut"; notice?: string }
  // Signed in as someone else than whose unsent work is on the tablet: asked before anything
  // of it goes (review #3).
  | { kind: "othersWork"; user: User; count: number; name: string }
  // Started without the server's key (no network, a server fault, an old sign-in): what is
  // stored stays sealed until the PIN opens it (db/keys.ts); nothing is wiped.
  | { kind: "locked"; hasPin: boolean; why: LockedWhy }
  // askPin: no PIN on this tablet yet; asked in the same render as the app, so nothing can
  // happen on the screen before the question is there.
  | { kind: "signedIn"; user: User; notice?: string | undefined; askPin?: boolean };

const MEETING_PATH = /^\/moeder\/([0-9a-f-]{36})$/;

export function App({ services }: { services: Services }) {
  const [state, setState] = useState<State>({ kind: "loading" });
  const [problem, setProblem] = useState<string | null>(null);
  const [choosing, setChoosing] = useState(() => location.pathname === "/adgangskode");
  // The PIN question answered or skipped (asked again at the next start while none is chosen).
  const [pinAsked, setPinAsked] = useState(false);
  const [meetingId, setMeetingId] = useState<string | null>(
    () => MEETING_PATH.exec(location.pathname)?.[1] ?? null,
  );
  const { auth, engine } = services;

  useEffect(() => {
    void start(services).then(setState);
    const onPop = () => setMeetingId(MEETING_PATH.exec(location.pathname)?.[1] ?? null);
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, [services]);

  function navigate(id: string | null, recordId?: string) {
    history.pushState(null, "", `${id ? `/moeder/${id}` : "/"}${recordId ? `#item-${recordId}` : ""}`);
    setMeetingId(id);
    // The same place again (a second link on the same meeting): scroll there now.
    if (recordId) window.dispatchEvent(new HashChangeEvent("hashchange"));
  }

  async function signedIn(user: User) {
    setState(await openFor(services, user));
  }

  /** Another person's work stays sealed on the tablet: this sign-in is undone. */
  async function keepForOwner(name: string) {
    try {
      await auth.logout();
    } catch {
      // Not signed out on the server (no network): the next start asks again.
    }
    setState({ kind: "signedOut", notice: da.othersWork.kept(name) });
  }

  async function signOut() {
    // The same counts as the status bar: what is not sent yet and what was refused.
    const { unsent, refused } = await services.read.summary();
    if (unsent + refused > 0 && !window.confirm(da.signOut.warning(unsent, refused))) return;
    try {
      // The server forgets this device's key first: what is left on it can never be opened.
      await services.keys.forget();
    } catch (err) {
      setProblem(describeError(err).summary);
      return;
    }
    // The key is gone, so the data goes at once: were the sign-out below to fail, rows sealed
    // under a key nobody has would otherwise stay and break the next sign-in.
    engine.stop();
    await services.wipe();
    try {
      await auth.logout();
    } catch {
      // Signed out on the tablet all the same: the server's session ends when it expires, and
      // the key it held for this device is already gone.
    }
    setProblem(null);
    navigate(null);
    setState({ kind: "signedOut" });
  }

  // A welcome or reset link: the person chooses a password before anything else.
  if (choosing) return <SetPassword api={services.api} onDone={() => { setChoosing(false); setState({ kind: "signedOut" }); }} />;
  if (state.kind === "loading") return <p class="card">{da.loading}</p>;
  if (state.kind === "signedOut") {
    return <><CannotKeepNotice services={services} />
      {state.notice && <p role="status" class="card">{state.notice}</p>}
      <SignIn auth={auth} onSignedIn={(u) => void signedIn(u)} /></>;
  }
  if (state.kind === "othersWork") {
    const { user, name } = state;
    return <OthersWork count={state.count} owner={name} you={user.name}
      onKeep={() => void keepForOwner(name)}
      onDiscard={() => void discardFor(services, user).then(setState)} />;
  }
  if (state.kind === "locked") {
    return <Unlock services={services} hasPin={state.hasPin} why={state.why}
      onSignIn={() => setState({ kind: "signedOut" })}
      onOpen={(user) => setState(user ? openedOffline(services, user) : { kind: "signedOut" })}
      onRetry={() => { setState({ kind: "loading" }); void start(services).then(setState); }} />;
  }
  return (
    <>
      <CannotKeepNotice services={services} />
      <PersistNotice services={services} userId={state.user.id} />
      <StatusBar engine={engine} read={services.read} onSignIn={() => {
        // Nothing more is sent under the old session while the person signs in again: a
        // request still in flight then could otherwise race the new sign-in.
        engine.stop();
        setState({ kind: "signedOut" });
      }}
        onOpen={(place) => navigate(place.meetingId, place.recordId)} />
      <UpdateBanner engine={engine} />
      {problem && <p role="alert" class="error">{problem}</p>}
      {state.notice && <p role="alert" class="error">{state.notice}</p>}
      {state.askPin && !pinAsked && <ChoosePin services={services} onDone={() => setPinAsked(true)} />}
      <Home user={state.user} services={services} meetingId={meetingId}
        onNavigate={navigate} onSignOut={() => void signOut()} />
    </>
  );
}

/** The tablet becomes ``user``'s, by password or by the municipality's login: another
 * person's data on it goes first; the same person's unsent work stays and is sent. */
async function takeOver(services: Services, user: User): Promise<void> {
  const previous = await services.lastUser();
  if (previous && previous.id !== user.id) await services.wipe();
  await services.rememberUser(user);
  void services.engine.resume();
}

/** Who is signed in; without a network, the last user on this device carries on offline. */
async function start(services: Services): Promise<State> {
  try {
    const user = await services.auth.me();
    if (!user) return { kind: "signedOut" };
    // A sign-in through the municipality's login comes back here, not through SignIn's
    // callback, and takes the tablet over the same way.
    return await openFor(services, user);
  } catch (err) {
    // Someone's data on the device and no key from the server (offline, or the server at
    // fault for now): it opens with the PIN chosen here, or after a retry or a sign-in,
    // everything unsent still there. A passing fault must never cost the data (review #5).
    if (await services.keys.keyed()) {
      const why: LockedWhy = err instanceof NetworkError ? "offline" : err instanceof StaleSignIn ? "stale" : "fault";
      const hasPin = await services.keys.hasPin();
      // An old sign-in and no PIN: only signing in again opens it.
      if (why === "stale" && !hasPin) return { kind: "signedOut" };
      return { kind: "locked", hasPin, why };
    }
    return { kind: "signedOut" };
  }
}

/** Signed in: another person's unsent work is asked about first; else the data opens. */
async function openFor(services: Services, user: User): Promise<State> {
  const others = await services.othersWork(user);
  if (others) return { kind: "othersWork", user, ...others };
  return unlocked(services, user);
}

/** Another person's work discarded, as the person at the tablet chose: wiped here, before
 * the tablet opens for ``user``, so none of it can go out under this sign-in (relying on the
 * key's owner alone let a full run send it). */
async function discardFor(services: Services, user: User): Promise<State> {
  await services.wipe();
  return unlocked(services, user);
}

/** The tablet opens for ``user`` (whatever sealed under another person's key goes). */
async function unlocked(services: Services, user: User): Promise<State> {
  const closed = (await services.unlock(user)) === "closed";
  await takeOver(services, user);
  return { kind: "signedIn", user, notice: closed ? da.keys.closed : undefined,
    askPin: !(await services.keys.hasPin()) };
}

/** Opened with the PIN, offline: the last user carries on; sending waits for the network. */
function openedOffline(services: Services, user: User): State {
  void services.engine.syncNow(); // reports "offline" and retries with backoff
  return { kind: "signedIn", user };
}
