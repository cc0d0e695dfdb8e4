// The photo queue: the bytes of every photo taken on this tablet, each with where it is on
// its way to the server (db.ts PhotoState). Modelled on PowerSync's attachment queue: the
// photos have their own table and their own states, the records that name them are plain
// records, and bytes no live record names are let go. The record sync engine knows nothing
// of this; it asks the queue through its hooks (photos/sync.ts).
//
// Every change of state goes through `nextState`, one table of what may follow what, so a
// state no path leads to cannot be reached (photos/queue.test.ts walks it).

import type { Table } from "dexie";

import type { ApiErrorBody, Fields, LocalBlob, LocalRecord, PhotoState, TrivselDB } from "../db/db";

/** What happens to a photo's bytes. */
export type PhotoEvent =
  | "start" // an upload of them begins
  | "done" // the server has them (it took the upload, or already had them)
  | "refused" // the server refused them for good (too large, not an image, …)
  | "transient" // the upload did not get through (network, server fault): try again
  | "lost" // the server says it has no upload of them from us after all: upload again
  | "unused" // no live record names them any more
  | "interrupted"; // the app stopped during an upload (found "uploading" on start)

/** The state after `event`, or null: the bytes leave the device. An event a state does not
 * expect changes nothing (a late answer for bytes the queue has moved on from). */
export function nextState(state: PhotoState, event: PhotoEvent): PhotoState | null {
  switch (state) {
    case "queued":
      return event === "start" ? "uploading" : event === "done" ? "uploaded" : event === "unused" ? null : state;
    case "uploading":
      return ({ done: "uploaded", refused: "failed", transient: "queued", interrupted: "queued", unused: "toDelete" } as
        Partial<Record<PhotoEvent, PhotoState>>)[event] ?? state;
    case "uploaded":
      return event === "lost" ? "queued" : event === "unused" ? null : state;
    case "toDelete":
      // The upload that held them has ended, however it ended: nothing needs them now.
      return event === "start" ? state : null;
    case "failed":
      // Refused for good: not tried again. The leader sees the refusal on the photo and
      // takes it again or discards it; then the bytes are unused.
      return event === "unused" ? null : state;
  }
}

/** Bytes that still have to reach the server (a refused photo is shown as refused instead). */
export function waitsToUpload(photo: Pick<LocalBlob, "state">): boolean {
  return photo.state === "queued" || photo.state === "uploading";
}

/** The photo a record names, if it is a board photo. */
export function photoHash(entity: string, fields: Fields): string | null {
  const hash = entity === "board_photo" ? fields["content_hash"] : undefined;
  return typeof hash === "string" ? hash : null;
}

/** The queue's table and its rules: the store's `Attachments`. Holds no state of its own:
 * any number may be made over one database. Its writes join the caller's transaction. */
export class PhotoQueue {
  constructor(private readonly db: TrivselDB) {}

  /** The tables a caller's transaction must include to let the queue act inside it. */
  get tables(): Table[] {
    return [this.db.blobs];
  }

  /** Keep bytes with the record that names them (a new photo: queued). Bytes brought back by
   * an undo keep the state they had, except an upload cut short, which is queued again. */
  async keep(photos: LocalBlob[]): Promise<void> {
    for (const photo of photos) {
      const held = await this.db.blobs.get(photo.hash);
      if (held?.state === "toDelete") {
        await this.db.blobs.update(photo.hash, { state: "uploading" }); // its upload is still under way
      } else if (!held) {
        const state = photo.state === "uploading" || photo.state === "toDelete" ? "queued" : photo.state;
        await this.db.blobs.put({ ...photo, state });
      }
    }
  }

  /** Board photos name bytes; no other record does. */
  names(entity: string): boolean {
    return entity === "board_photo";
  }

  /** The bytes kept under this hash, if any. */
  get(hash: string): Promise<LocalBlob | undefined> {
    return this.db.blobs.get(hash);
  }

  /** Move the bytes on by one event; returns the new state (null: they left the device). */
  async move(hash: string, event: PhotoEvent, reason?: ApiErrorBody): Promise<PhotoState | null | undefined> {
    return this.db.transaction("rw", this.db.blobs, async () => {
      const held = await this.db.blobs.get(hash);
      if (!held) return undefined;
      const next = nextState(held.state, event);
      if (next === null) await this.db.blobs.delete(hash);
      else if (next !== held.state) {
        await this.db.blobs.where("hash").equals(hash).modify((row) => {
          row.state = next;
          if (next === "failed" && reason) row.reason = reason;
          else delete row.reason;
        });
      }
      return next;
    });
  }

  /** Bytes are used by a live photo record, or by a discarded change (it can be undone until
   * sign-out). Others are let go: at once, or when the upload that holds them ends. A deleted
   * photo's bytes go too: undoing the deletion brings them back itself (Undo.blobs). */
  async sweep(): Promise<string[]> {
    const { records, discarded, blobs } = this.db;
    return this.db.transaction("rw", records, discarded, blobs, async () => {
      const used = await this.liveHashes();
      await discarded.each((row) => {
        for (const e of row.entries) {
          const hash = photoHash(e.entity, e.fields);
          if (hash) used.add(hash);
        }
      });
      const unused = (await blobs.toCollection().primaryKeys()).filter((hash) => !used.has(hash));
      for (const hash of unused) await this.move(hash, "unused");
      return unused;
    });
  }

  /** A photo record the server has never had and whose bytes have not reached it: its
   * record cannot have been sent either (records go after their bytes). */
  async neverSent(entity: string, current: LocalRecord | undefined): Promise<boolean> {
    if (entity !== "board_photo" || current?.serverFields != null) return false;
    const hash = current ? photoHash(entity, current.fields) : null;
    return hash === null || (await this.db.blobs.get(hash))?.state !== "uploaded";
  }

  /** The bytes live photo records name: only these are ever uploaded. */
  async liveHashes(): Promise<Set<string>> {
    const hashes = new Set<string>();
    await this.db.records.where("entity").equals("board_photo").each((r) => {
      const hash = photoHash(r.entity, r.fields);
      if (!r.deleted && hash) hashes.add(hash);
    });
    return hashes;
  }

  /** Photos of live records in these states, in the order they were kept. The photo records
   * are read only when some bytes are in them: the usual answer, none, costs one index read
   * (counted after every change on the tablet). */
  async inStates(...states: PhotoState[]): Promise<LocalBlob[]> {
    const held = await this.db.blobs.where("state").anyOf(states).toArray();
    if (held.length === 0) return held;
    const live = await this.liveHashes();
    return held.filter((p) => live.has(p.hash));
  }

  /** Photos of live records in one state, in the order they were kept. */
  async inState(state: PhotoState): Promise<LocalBlob[]> {
    return this.inStates(state);
  }

  /** Live photos whose bytes still have to reach the server. */
  async waiting(): Promise<LocalBlob[]> {
    return this.inStates("queued", "uploading");
  }

  /** The same photos' hashes, without reading their bytes. */
  async waitingHashes(): Promise<string[]> {
    const held = (await this.db.blobs.where("state").anyOf("queued", "uploading").primaryKeys()) as string[];
    if (held.length === 0) return held;
    const live = await this.liveHashes();
    return held.filter((hash) => live.has(hash));
  }

  /** On start: no upload is under way yet, so one found "uploading" was cut short by the app
   * stopping (it goes again), and bytes that only waited for it to end go now. */
  async recover(): Promise<void> {
    for (const hash of await this.db.blobs.where("state").anyOf("uploading", "toDelete").primaryKeys()) {
      await this.move(hash, "interrupted");
    }
  }

  /** Live photo records that name these bytes. */
  async recordsNaming(hash: string): Promise<LocalRecord[]> {
    return (await this.db.records.where("entity").equals("board_photo").toArray())
      .filter((r) => !r.deleted && photoHash(r.entity, r.fields) === hash);
  }
}
