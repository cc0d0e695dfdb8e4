// Screens read the device's database through live queries: a change anywhere (a tap, a
// pull) shows up at once on every screen that reads it.

import { liveQuery } from "dexie";
import { useEffect, useState } from "preact/hooks";

import type { LocalRecord, TrivselDB } from "../db/db";

export function useLive<T>(query: () => Promise<T>, deps: unknown[], initial: T): T {
  const [value, setValue] = useState<T>(initial);
  useEffect(() => {
    const subscription = liveQuery(query).subscribe({ next: setValue, error: () => undefined });
    return () => subscription.unsubscribe();
  }, deps);
  return value;
}

/** The live (not deleted) records of one kind under one parent, e.g. a meeting's notes. */
export function useChildren(db: TrivselDB, entity: string, parentId: string): LocalRecord[] {
  return useLive(
    async () => (await db.records.where("[entity+parentId]").equals([entity, parentId]).toArray())
      .filter((r) => !r.deleted),
    [db, entity, parentId],
    [] as LocalRecord[],
  );
}

/** One record, live. */
export function useRecord(db: TrivselDB, entity: string, id: string): LocalRecord | undefined {
  return useLive(() => db.records.get(`${entity}:${id}`), [db, entity, id], undefined);
}
