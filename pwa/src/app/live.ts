// Screens read the device's database through live queries: a change anywhere (a tap, a
// pull) shows up at once on every screen that reads it.

import { liveQuery } from "dexie";
import { useEffect, useState } from "preact/hooks";

export function useLive<T>(query: () => Promise<T>, deps: unknown[], initial: T): T {
  const [value, setValue] = useState<T>(initial);
  useEffect(() => {
    const subscription = liveQuery(query).subscribe({ next: setValue, error: () => undefined });
    return () => subscription.unsubscribe();
  }, deps);
  return value;
}
