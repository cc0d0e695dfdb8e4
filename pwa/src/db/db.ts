// The device's own database (IndexedDB through Dexie). This module alone owns the schema;
// versions are numbered and only ever added.
//
// `records` holds what the server last sent (serverFields/serverVersion) and what the user
// sees (fields: the server's copy with this device's unsent changes laid over it). The outbox
// holds every change made here until the server has answered it; nothing leaves the outbox
// except by a server answer or by the user discarding it.

import Dexie, { type Table } from "dexie";
import type { ApiErrorBody } from "../contract/contract.gen";
import { encryption, type Vault } from "./crypt";

export type Op = "upsert" | "delete" | "restore";
export type Fields = Record<string, unknown>;

export interface LocalRecord {
  key: string; // `${entity}:${id}`
  entity: string;
  id: string;
  scope: string | null;
  parentId: string | null; // meeting_id, course_id or child_id: what screens list by
  fields: Fields;
  deleted: boolean;
  serverFields: Fields | null; // null: made on this device, not on the server yet
  serverVersion: number | null;
  serverDeleted: boolean;
}

export type { ApiErrorBody } from "../contract/contract.gen";

export interface OutboxEntry {
  seq?: number; // auto-increment: the order changes were made in
  id: string; // the mutation id (made on this device; resent unchanged after a lost answer)
  entity: string;
  recordId: string;
  op: Op;
  fields: Fields;
  baseVersion: number | null;
  clock: string;
  status: "pending" | "rejected";
  error?: ApiErrorBody; // why the server refused it (status "rejected")
  // Where the change was made, so its count and its refusal lead back there even when the
  // record itself is gone from the device (v5; null: not on a meeting, e.g. a task).
  meetingId?: string | null;
  courseId?: string | null;
  // A server fault on this one change (v5): tried again after retryAt, counted in attempts.
  attempts?: number;
  retryAt?: number;
  lastError?: ApiErrorBody;
}

/** A refused change the user discarded (with any change of the same record that waited
 * behind it): kept until sign-out, so it can be undone or its text copied. */
export interface DiscardedEntry {
  id?: number;
  entries: OutboxEntry[];
  meetingId: string | null;
  discardedAt: number;
}

/**
 * Where a photo's bytes are on their way to the server (the photo queue, photos/queue.ts):
 * queued (to be uploaded), uploading (an upload is under way), uploaded (the server has
 * them), toDelete (nothing uses them any more, but an upload still holds them: they go when
 * it ends), failed (the server refused them for good: `reason` says why; not tried again).
 */
export type PhotoState = "queued" | "uploading" | "uploaded" | "toDelete" | "failed";

export interface LocalBlob {
  hash: string; // SHA-256 of the bytes, lower-case hex: the photo's name on the server
  blob: Blob;
  type: string;
  size: number;
  state: PhotoState; // indexed (v6; v4 and v5 held a 0/1 `uploaded` flag instead)
  reason?: ApiErrorBody; // why the server refused the bytes (state "failed")
}

/** What is being typed and not yet saved as a change (a note not yet added, an agreement
 * being written, the minutes before the field is left): kept so a reload, a crashed tab or
 * a lost network loses nothing (v7). `key` names the field and the record it belongs to. */
export interface DraftEntry {
  key: string;
  value: unknown;
  savedAt: number;
}

export interface MetaEntry {
  key: string;
  value: unknown;
}

export class TrivselDB extends Dexie {
  records!: Table<LocalRecord, string>;
  outbox!: Table<OutboxEntry, number>;
  meta!: Table<MetaEntry, string>;
  blobs!: Table<LocalBlob, string>;
  discarded!: Table<DiscardedEntry, number>;
  drafts!: Table<DraftEntry, string>;

  /** ``vault``: every table sealed under its key (db/crypt.ts), as the app runs; without
   * one the rows are stored as they are (unit tests, and the disk search's control run). */
  constructor(name = "trivsel", vault?: Vault) {
    super(name);
    if (vault) this.use(encryption(vault));
    this.version(1).stores({
      outbox: "id, createdAt, status",
      meta: "key",
    });
    // v2: the sync client. The v1 outbox only ever held test data: start it afresh.
    this.version(2).stores({
      outbox: null,
    });
    this.version(3).stores({
      records: "key, entity, scope, parentId, [entity+parentId]",
      outbox: "++seq, &id, recordId, status",
      meta: "key",
    });
    // v4: photos taken on this device, kept until the server has them.
    this.version(4).stores({ blobs: "hash, uploaded" });
    // v5: each queued change knows its meeting (for counts and links); discarded refusals
    // are kept for undo until sign-out.
    this.version(5).stores({
      outbox: "++seq, &id, recordId, status, meetingId",
      discarded: "++id, meetingId",
    }).upgrade(async (tx) => {
      const records = tx.table<LocalRecord, string>("records");
      const outbox = tx.table<OutboxEntry, number>("outbox");
      for (const entry of await outbox.toArray()) {
        const record = await records.get(recordKey(entry.entity, entry.recordId));
        const fields = { ...(record?.fields ?? {}), ...entry.fields };
        await outbox.update(entry.seq!, {
          meetingId: entry.entity === "meeting" ? entry.recordId : stringOr(fields["meeting_id"]),
          courseId: stringOr(fields["course_id"]),
        });
      }
    });
    // v6: photos as their own queue with explicit states instead of a 0/1 `uploaded` flag.
    // Every photo is carried over: bytes not uploaded yet stay queued, so nothing taken on
    // a tablet before the upgrade is lost or left unsent.
    this.version(6).stores({ blobs: "hash, state" }).upgrade(async (tx) => {
      await tx.table("blobs").toCollection().modify((row: LocalBlob & { uploaded?: 0 | 1 }) => {
        row.state = row.uploaded ? "uploaded" : "queued"; // 0 or 1
        delete row.uploaded;
      });
    });
    // v7: drafts of what is being typed (ui/useKept.ts), so nothing typed is lost.
    this.version(7).stores({ drafts: "key" });
  }

  async getMeta<T>(key: string): Promise<T | undefined> {
    return (await this.meta.get(key))?.value as T | undefined;
  }

  async setMeta(key: string, value: unknown): Promise<void> {
    await this.meta.put({ key, value });
  }

  /** Unsent and rejected changes, in the order they were made. */
  async queued(): Promise<OutboxEntry[]> {
    return this.outbox.orderBy("seq").toArray();
  }
}

export const recordKey = (entity: string, id: string) => `${entity}:${id}`;

function stringOr(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/** The field that names the record a screen lists this one under. */
export function parentOf(fields: Fields): string | null {
  for (const name of ["meeting_id", "course_id", "child_id"]) {
    const value = fields[name];
    if (typeof value === "string") return value;
  }
  return null;
}
