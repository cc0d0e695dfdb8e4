// The device's records typed by kind. The database keeps every kind's fields alike (the sync
// store is generic: `LocalRecord.fields` is any kind's `Fields`); what a screen reads
// is one kind's fields, typed from the server's schemas (contract.gen.ts: `RecordOf`). The
// rows are taken as their kind here and nowhere else: what the device holds came from a pull
// (the server's schema dumped it) or from a write checked against the same schemas.

import type { RecordKind, RecordOf } from "../contract/contract.gen";
import { type LocalRecord, recordKey, type TrivselDB } from "../db/db";

/** A record of kind `K` as this device holds it (its unsent changes laid over the server's). */
export type Stored<K extends RecordKind> = Omit<LocalRecord, "entity" | "fields" | "serverFields"> & {
  entity: K;
  fields: RecordOf[K];
  serverFields: RecordOf[K] | null;
};

// Each of these is a single Dexie call returned as it is (no async wrapper): a live query
// tracks only the Dexie promises it awaits directly (data/story.ts).

/** One record of a kind, deleted or not. */
export function getRecord<K extends RecordKind>(db: TrivselDB, entity: K, id: string): Promise<Stored<K> | undefined> {
  return db.records.get(recordKey(entity, id)) as Promise<Stored<K> | undefined>;
}

/** Every record of a kind under one parent (a meeting's notes, a course's meetings), deleted ones too. */
export function recordsUnder<K extends RecordKind>(db: TrivselDB, entity: K, parentId: string): Promise<Stored<K>[]> {
  return db.records.where("[entity+parentId]").equals([entity, parentId]).toArray() as Promise<unknown> as Promise<Stored<K>[]>;
}

/** Every record of a kind on the device, deleted ones too. */
export function recordsOf<K extends RecordKind>(db: TrivselDB, entity: K): Promise<Stored<K>[]> {
  return db.records.where("entity").equals(entity).toArray() as Promise<unknown> as Promise<Stored<K>[]>;
}

/** The rows of one kind out of a read of several (a meeting's parts fetched at once). */
export function ofKind<K extends RecordKind>(rows: LocalRecord[], entity: K): Stored<K>[] {
  return rows.filter((r) => r.entity === entity) as Stored<K>[];
}

/** The live ones (deleted records stay on the device until the server has the deletion). */
export function alive<R extends { deleted: boolean }>(records: R[]): R[] {
  return records.filter((r) => !r.deleted);
}
