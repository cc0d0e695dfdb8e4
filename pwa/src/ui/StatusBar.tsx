import { useEffect, useState } from "preact/hooks";

import { useLive } from "../app/live";
import type { Queries } from "../data/queries";
import type { PlaceCount, Summary } from "../data/summary";
import { da } from "../i18n/da";
import { clock } from "./format";
import type { SyncEngine, SyncState } from "../sync/engine";
import type { Place } from "./place";

const NOTHING: Summary = { unsent: 0, refused: 0, failing: 0, places: [] };
/** Runs in a row that could not reach the server before the bar says so plainly. */
const SAY_SERVER_DOWN_AFTER = 3;

/**
 * Always says where the user's changes are: waiting, being sent, all sent, or what is wrong;
 * and, by meeting, exactly how many are unsent, refused or failing — each count a link to
 * the place (the meeting, scrolled to the change).
 */
export function StatusBar({ engine, read, onSignIn, onOpen }: {
  engine: SyncEngine; read: Queries; onSignIn: () => void; onOpen: (place: Place) => void;
}) {
  const [state, setState] = useState<SyncState | null>(null);
  useEffect(() => engine.subscribe(setState), [engine]);
  const summary = useLive(() => read.summary(), [read], NOTHING);
  if (!state) return null;
  return (
    <div class={`status status-${state.phase}`} role="status" aria-live="polite">
      <span>{describe(state, summary)}</span>
      {state.upload && (
        <span class="status-upload">
          {da.photos.uploading(state.upload.index, state.upload.total)}{" "}
          <progress max={100} value={Math.round(state.upload.fraction * 100)} />
        </span>
      )}
      {summary.places.length > 0 && (
        <ul class="status-places">
          {summary.places.map((place) => <PlaceLinks key={place.meetingId ?? "home"} place={place} onOpen={onOpen} />)}
        </ul>
      )}
      {state.phase === "signedOut" ? (
        // Keys: a tap meant for "Send nu" must never land on a button that just changed.
        <button key="sign-in" type="button" onClick={onSignIn}>{da.signIn.submit}</button>
      ) : (
        <button key="sync" type="button" class="secondary" onClick={() => void engine.sendNow()}>
          {da.sync.syncNow}
        </button>
      )}
    </div>
  );
}

function PlaceLinks({ place, onOpen }: { place: PlaceCount; onOpen: (place: Place) => void }) {
  const link = (count: number, text: string, recordId: string | undefined, cls: string) => count > 0 && (
    <a class={cls} href={`${place.meetingId ? `/moeder/${place.meetingId}` : "/"}${recordId ? `#item-${recordId}` : ""}`}
      onClick={(e) => { e.preventDefault(); onOpen({ meetingId: place.meetingId, recordId }); }}>
      {da.status.goTo(text, place.label)}
    </a>
  );
  return (
    <li>
      {link(place.refused, da.status.refused(place.refused), place.first.refused, "status-rejected")}
      {link(place.failing, da.status.failing(place.failing), place.first.failing, "status-rejected")}
      {link(place.unsent, da.status.waiting(place.unsent), place.first.unsent, "status-waiting")}
    </li>
  );
}

function describe(s: SyncState, summary: Summary): string {
  const unsent = summary.unsent;
  switch (s.phase) {
    case "offline":
      return da.sync.offline(unsent);
    case "syncing":
      return da.sync.syncing;
    case "signedOut":
      return da.sync.signedOut(unsent);
    case "outdated":
      return da.sync.outdated;
    case "error":
      return s.failures >= SAY_SERVER_DOWN_AFTER ? da.status.serverDown(s.failures) : da.sync.error;
    default:
      if (unsent > 0) return da.sync.waiting(unsent);
      if (!s.lastSyncedAt) return da.sync.neverSynced;
      return summary.refused ? da.status.otherwiseSent(clock(s.lastSyncedAt)) : da.sync.allSent(clock(s.lastSyncedAt));
  }
}
