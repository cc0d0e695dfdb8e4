import { useEffect, useState } from "preact/hooks";

import type { Services } from "../app/services";
import { da } from "../i18n/da";

/** This browser keeps nothing (or no photos): said at start, before anything is typed, with
 * what to do instead (a private window is the usual cause on an iPad). */
export function CannotKeepNotice({ services }: { services: Services }) {
  const [cannot, setCannot] = useState(false);
  useEffect(() => {
    void services.canKeepData().then((can) => setCannot(!can));
  }, [services]);
  if (!cannot) return null;
  return <p role="alert" class="error storage-notice">{da.storage.cannotKeep}</p>;
}

/** The browser may clear what is stored: told once per device and user, plainly. */
export function PersistNotice({ services, userId }: { services: Services; userId: string }) {
  const [tell, setTell] = useState(false);
  useEffect(() => {
    void services.askToPersist().then(setTell, () => undefined);
  }, [services, userId]);
  if (!tell) return null;
  return (
    // Not a live region: it is there as the app opens, and the status bar is the page's one
    // role=status (what is sent), which screens and tests look for by that role.
    // A region of its own (axe: all content in landmarks), named by what it is about.
    <section class="card storage-notice" aria-label={da.storage.heading}>
      <p>{da.storage.notPersistent}</p>
      <button type="button" class="secondary" onClick={() => setTell(false)}>{da.storage.understood}</button>
    </section>
  );
}
