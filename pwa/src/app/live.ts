// Screens read the device's database through live queries (named in data/queries.ts): a
// change anywhere (a tap, a pull) shows up at once on every screen that reads it.

import { liveQuery } from "dexie";
import { useEffect, useState } from "preact/hooks";

import type { RecordKind } from "../contract/contract.gen";
import type { Queries } from "../data/queries";
import type { Stored } from "../data/records";

export function useLive<T>(query: () => Promise<T>, deps: unknown[], initial: T): T {
  const [value, setValue] = useState<T>(initial);
  useEffect(() => {
    const subscription = liveQuery(query).subscribe({ next: setValue, error: () => undefined });
    return () => subscription.unsubscribe();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's list, checked at each call (eslint.config.js)
  }, deps);
  return value;
}

/** The live (not deleted) records of one kind under one parent, e.g. a meeting's notes. */
export function useChildren<K extends RecordKind>(read: Queries, entity: K, parentId: string): Stored<K>[] {
  return useLive(() => read.children(entity, parentId), [read, entity, parentId], [] as Stored<K>[]);
}

/** One record, live. */
export function useRecord<K extends RecordKind>(read: Queries, entity: K, id: string): Stored<K> | undefined {
  return useLive(() => read.record(entity, id), [read, entity, id], undefined);
}
