import { useEffect, useState } from "preact/hooks";

import type { SyncEngine, SyncState } from "../sync/engine";
import { da } from "../i18n/da";

/** Always says where the user's changes are: waiting, being sent, all sent, or what is wrong. */
export function StatusBar({ engine, onSignIn }: { engine: SyncEngine; onSignIn: () => void }) {
  const [state, setState] = useState<SyncState | null>(null);
  useEffect(() => engine.subscribe(setState), [engine]);
  if (!state) return null;
  return (
    <div class={`status status-${state.phase}`} role="status" aria-live="polite">
      <span>{describe(state)}</span>
      {state.upload && (
        <span class="status-upload">
          {da.photos.uploading(state.upload.index, state.upload.total)}{" "}
          <progress max={100} value={Math.round(state.upload.fraction * 100)} />
        </span>
      )}
      {state.rejected > 0 && <span class="status-rejected">{da.sync.rejected(state.rejected)}</span>}
      {state.phase === "signedOut" ? (
        // Keys: a tap meant for "Send nu" must never land on a button that just changed.
        <button key="sign-in" type="button" onClick={onSignIn}>{da.signIn.submit}</button>
      ) : (
        <button key="sync" type="button" class="secondary" onClick={() => void engine.syncNow()}>
          {da.sync.syncNow}
        </button>
      )}
    </div>
  );
}

function describe(s: SyncState): string {
  switch (s.phase) {
    case "offline":
      return da.sync.offline(s.waiting + s.photos);
    case "syncing":
      return da.sync.syncing;
    case "signedOut":
      return da.sync.signedOut(s.waiting + s.photos);
    case "outdated":
      return da.sync.outdated;
    case "error":
      return da.sync.error;
    default:
      if (s.waiting + s.photos > 0) return da.sync.waiting(s.waiting + s.photos);
      return s.lastSyncedAt ? da.sync.allSent(clockTime(s.lastSyncedAt)) : da.sync.neverSynced;
  }
}

function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString("da-DK", { hour: "2-digit", minute: "2-digit" });
}
