import { useEffect, useState } from "preact/hooks";

import type { SyncEngine, SyncState } from "../sync/engine";
import { da } from "../i18n/da";

/**
 * A new version is offered, never forced: the new service worker waits until the user
 * chooses to update, and the choice is only offered when nothing is left unsent.
 */
export function UpdateBanner({ engine }: { engine: SyncEngine }) {
  const [waiting, setWaiting] = useState<ServiceWorker | null>(null);
  const [sync, setSync] = useState<SyncState | null>(null);
  useEffect(() => engine.subscribe(setSync), [engine]);
  useEffect(() => {
    if (!("serviceWorker" in navigator)) return;
    let cancelled = false;
    void navigator.serviceWorker.getRegistration().then((reg) => {
      if (!reg || cancelled) return;
      if (reg.waiting && navigator.serviceWorker.controller) setWaiting(reg.waiting);
      reg.addEventListener("updatefound", () => {
        const next = reg.installing;
        next?.addEventListener("statechange", () => {
          if (next.state === "installed" && navigator.serviceWorker.controller) setWaiting(next);
        });
      });
    });
    return () => {
      cancelled = true;
    };
  }, []);
  if (!waiting) return null;
  const unsent = (sync?.waiting ?? 0) + (sync?.photos ?? 0) > 0;
  function install() {
    navigator.serviceWorker.addEventListener("controllerchange", () => location.reload());
    waiting?.postMessage({ type: "SKIP_WAITING" });
  }
  return (
    <div class="update" role="status">
      <span>{da.update.ready}</span>
      {unsent ? <span>{da.update.waitForSync}</span> : (
        <button type="button" onClick={install}>{da.update.install}</button>
      )}
    </div>
  );
}
