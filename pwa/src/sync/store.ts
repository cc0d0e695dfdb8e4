// The device's data, and the only way to change it.
//
// A change is checked first (the contract and the process rules: `validate`), so what the
// server would refuse is refused here, at once, and nothing is queued. An accepted change is
// written to `records` (what the user sees, at once) and to the outbox in one transaction,
// so a crash can never keep one without the other; then the listeners (the sync engine)
// hear of it. A change the server refused stays, with its reason, until the user fixes it (a
// new change to the same record takes the refused one's place, with the refused text as its
// start) or discards it (kept until sign-out, for undo).

import type { Table } from "dexie";

import type { FieldProblems } from "../contract/check";
import {
  type ApiErrorBody, type DiscardedEntry, type Fields, type LocalBlob, type LocalRecord, type Op,
  type OutboxEntry, parentOf, recordKey, type TrivselDB,
} from "../db/db";
import { PhotoQueue } from "../photos/queue";
import type { Clock } from "./clock";
import { isPurge, type PushResult, type WireChange } from "./protocol";

export interface Change {
  entity: string;
  recordId: string;
  op: Op;
  fields?: Fields;
}

/** A change as it would be queued, for checking: "create" when the server has no such record. */
export interface Prepared {
  entity: string;
  recordId: string;
  op: Op;
  fields: Fields;
  mode: "create" | "update";
  current: LocalRecord | undefined;
}

export type Validate = (change: Prepared, db: TrivselDB) => Promise<FieldProblems>;

/** The change breaks a rule the server would refuse it for; nothing was queued. */
export class ChangeRefused extends Error {
  constructor(readonly entity: string, readonly recordId: string, readonly problems: FieldProblems) {
    super(`${entity} ${recordId}: ${Object.keys(problems).join(", ")}`);
    this.name = "ChangeRefused";
  }
}

export interface ApplyOptions {
  meetingId?: string | null; // where the change was made, when the record does not say
  blobs?: LocalBlob[]; // photo bytes kept with the record that uses them
}

/**
 * Files kept with the records that name them (the photo queue). The store keeps them in the
 * same transaction as their record, and asks which to let go of; it knows nothing else of them.
 */
export interface Attachments {
  readonly tables: Table[];
  /** Whether records of this kind name a file (a change to one may leave a file unused). */
  names(entity: string): boolean;
  /** Keep these bytes (with the record being made that names them). */
  keep(files: LocalBlob[]): Promise<void>;
  /** The bytes kept under this name. */
  get(hash: string): Promise<LocalBlob | undefined>;
  /** Let go of files no record on this device uses any more. */
  sweep(): Promise<string[]>;
  /** A record of this kind whose file has not reached the server, nor so the record. */
  neverSent(entity: string, current: LocalRecord | undefined): Promise<boolean>;
}

export interface StoreOptions {
  newId?: () => string;
  validate?: Validate;
  now?: () => number;
  attachments?: Attachments;
}

const MAX_RETRY_MS = 5 * 60_000;

/** Wait before sending a change again after the server failed on it n times. */
export function retryDelay(attempts: number): number {
  return Math.min(MAX_RETRY_MS, 2000 * 2 ** Math.max(0, attempts - 1));
}

export class LocalStore {
  private readonly listeners = new Set<() => void>();
  private readonly newId: () => string;
  private readonly validate: Validate;
  private readonly now: () => number;
  /** The files records name (photos): kept with them, let go of with them. */
  readonly attachments: Attachments;

  constructor(
    readonly db: TrivselDB,
    private readonly clock: () => Promise<Clock>,
    options: StoreOptions = {},
  ) {
    this.newId = options.newId ?? (() => crypto.randomUUID());
    this.validate = options.validate ?? (async () => ({}));
    this.now = options.now ?? (() => Date.now());
    this.attachments = options.attachments ?? new PhotoQueue(db);
  }

  /** Hear of every change made on this device (the sync engine sends it). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Make changes that belong together: all are checked and kept, or none (ChangeRefused). */
  async apply(changes: Change[], options: ApplyOptions = {}): Promise<string[]> {
    const clock = await this.clock();
    const ids: string[] = [];
    const { records, outbox, meta, discarded } = this.db;
    await this.db.transaction("rw", [records, outbox, meta, discarded, ...this.attachments.tables], async () => {
      await this.attachments.keep(options.blobs ?? []);
      for (const change of changes) {
        const id = await this.queue(change, clock, options.meetingId);
        if (id) ids.push(id);
      }
      // A photo deleted here lets go of its bytes at once: they are never sent.
      if (changes.some((c) => this.attachments.names(c.entity))) await this.attachments.sweep();
    });
    this.notify();
    return ids;
  }

  private async queue(c: Change, clock: Clock, meetingHint: string | null | undefined): Promise<string | null> {
    const current = await this.db.records.get(recordKey(c.entity, c.recordId));
    const entries = await this.entriesOf(c.entity, c.recordId);
    const refusedAt = entries.findIndex((e) => e.status === "rejected");
    // The refused change and whatever waits behind it (the engine holds those back).
    const superseded = refusedAt < 0 ? [] : entries.slice(refusedAt);
    const onServer = current?.serverFields != null || entries.length > superseded.length;
    let op = c.op;
    let fields = c.fields ?? {};
    if (op === "delete") {
      if (superseded.length) await this.discardEntries(superseded);
      // A photo deleted before its bytes were sent: its record cannot have been sent either
      // (the engine sends a photo's record after its bytes), and the server would refuse it
      // without them. Its queued changes are taken back, never sent (the screen's undo makes
      // it again).
      const waiting = entries.slice(0, entries.length - superseded.length);
      const neverSent = waiting.length > 0 && await this.attachments.neverSent(c.entity, current);
      if (neverSent) await this.db.outbox.bulkDelete(waiting.map((e) => e.seq!));
      if (!onServer || neverSent) { // it never reached the server: nothing to delete there
        await this.recompute(c.entity, c.recordId);
        return null;
      }
    } else if (superseded.length) {
      // A fix: the refused change goes again as one new change with the edit on top, so
      // the refused text is where the fix starts and nothing of it is lost.
      fields = Object.assign({}, ...superseded.filter((e) => e.op !== "delete").map((e) => e.fields), fields);
      if (superseded.some((e) => e.op === "restore")) op = "restore";
      await this.db.outbox.bulkDelete(superseded.map((e) => e.seq!));
    }
    const prepared: Prepared = { entity: c.entity, recordId: c.recordId, op, fields,
      mode: onServer ? "update" : "create", current };
    const problems = await this.validate(prepared, this.db);
    if (Object.keys(problems).length) throw new ChangeRefused(c.entity, c.recordId, problems);
    const place = await this.placeOf(c.entity, c.recordId, { ...(current?.fields ?? {}), ...fields }, meetingHint);
    const id = this.newId();
    const stamp = clock.tick();
    await this.db.setMeta("clock", stamp);
    await this.db.outbox.add({
      id, entity: c.entity, recordId: c.recordId, op, fields, clock: stamp, status: "pending",
      baseVersion: current?.serverVersion ?? null, ...place,
    });
    await this.recompute(c.entity, c.recordId);
    return id;
  }

  /**
   * Store a record (or a purge) from a pull; this device's unsent changes stay on top.
   * An older version than the one held is ignored (it was overtaken), except
   * `asTheServerHasIt`: pulling again from the start after the server's database was
   * restored, when the server's copy is the truth even if older.
   */
  async receive(change: WireChange, options: { asTheServerHasIt?: boolean } = {}): Promise<void> {
    await this.db.transaction("rw", this.db.records, this.db.outbox, async () => {
      if (isPurge(change)) {
        await this.purge(change.id);
        return;
      }
      const key = recordKey(change.entity, change.id);
      const known = await this.db.records.get(key);
      const overtaken = known?.serverVersion != null && known.serverVersion > change.version;
      if (overtaken && !options.asTheServerHasIt) return;
      await this.db.records.put({
        key, entity: change.entity, id: change.id, scope: change.scope,
        parentId: parentFor(change.entity, change.fields),
        fields: change.fields, deleted: change.deleted,
        serverFields: change.fields, serverVersion: change.version, serverDeleted: change.deleted,
      });
      await this.recompute(change.entity, change.id);
    });
  }

  /** Take the server's answer to one sent change. */
  async settle(entry: OutboxEntry, result: PushResult): Promise<void> {
    const rejected = result.status === "rejected" ||
      (result.status === "duplicate" && result.first_status === "rejected");
    if (rejected && result.error?.code === "server_error") {
      await this.failed(entry, result.error);
      return;
    }
    await this.db.transaction("rw", this.db.records, this.db.outbox, async () => {
      // The entry may be gone: a fix took its place while it was on its way.
      const stored = await this.db.outbox.get(entry.seq!);
      if (rejected) {
        if (stored) await this.db.outbox.update(entry.seq!, { status: "rejected", error: result.error ?? unknownError() });
        return;
      }
      if (stored) await this.db.outbox.delete(entry.seq!);
      // Until the next pull brings the server's copy, the server holds what was sent — but
      // not the values that lost to a concurrent edit or a delete (the answer lists them as
      // conflicts): when nothing else changed, no pull will bring the record again.
      const lost = new Set((result.conflicts ?? [])
        .filter((c) => c.field in entry.fields && sameValue(c.value, entry.fields[c.field]))
        .map((c) => c.field));
      const taken = Object.fromEntries(Object.entries(entry.fields).filter(([name]) => !lost.has(name)));
      const key = recordKey(entry.entity, entry.recordId);
      const known = await this.db.records.get(key);
      if (known) {
        await this.db.records.update(key, {
          serverFields: { ...(known.serverFields ?? {}), ...taken },
          serverDeleted: entry.op === "delete" ? true : entry.op === "restore" ? false : known.serverDeleted,
          serverVersion: Math.max(known.serverVersion ?? 0, result.version ?? 0),
        });
      }
      await this.recompute(entry.entity, entry.recordId);
    });
  }

  /** The server failed on this one change (not on the others): try it again later. */
  async failed(entry: OutboxEntry, error: ApiErrorBody): Promise<void> {
    await this.db.transaction("rw", this.db.outbox, async () => {
      const stored = await this.db.outbox.get(entry.seq!);
      if (!stored) return;
      const attempts = (stored.attempts ?? 0) + 1;
      await this.db.outbox.update(entry.seq!, { attempts, retryAt: this.now() + retryDelay(attempts), lastError: error });
    });
  }

  /** The user wants failed changes sent now, not after their wait. */
  async retryNow(): Promise<void> {
    await this.db.outbox.where("status").equals("pending").modify((e) => { delete e.retryAt; });
  }

  /** The user gives up a refused change (and what waits behind it): kept for undo. */
  async discard(seq: number): Promise<number | null> {
    let id: number | null = null;
    await this.db.transaction("rw", this.db.records, this.db.outbox, this.db.discarded, async () => {
      const entry = await this.db.outbox.get(seq);
      if (entry?.status !== "rejected") return;
      const entries = (await this.entriesOf(entry.entity, entry.recordId)).filter((e) => e.seq! >= seq);
      id = await this.discardEntries(entries);
      await this.recompute(entry.entity, entry.recordId);
    });
    this.notify();
    return id;
  }

  /**
   * Let go of a record this device made and deleted before the server ever took it: its
   * queued changes (its creation, its deletion) go nowhere, and the record leaves the device.
   * Only for a record the server has just refused to create, so it surely has none (a board
   * photo deleted before its bytes were sent); false, changing nothing, for any other.
   */
  async forgetUnborn(entity: string, recordId: string): Promise<boolean> {
    let forgot = false;
    await this.db.transaction("rw", this.db.records, this.db.outbox, async () => {
      const record = await this.db.records.get(recordKey(entity, recordId));
      if (!record?.deleted || record.serverFields != null || record.serverVersion != null) return;
      const entries = await this.entriesOf(entity, recordId);
      await this.db.outbox.bulkDelete(entries.map((e) => e.seq!));
      await this.recompute(entity, recordId);
      forgot = true;
    });
    if (forgot) this.notify();
    return forgot;
  }

  /** Bring a discarded change back, as it was (refused, with its reason). */
  async undoDiscard(id: number): Promise<void> {
    await this.db.transaction("rw", this.db.records, this.db.outbox, this.db.discarded, async () => {
      const row = await this.db.discarded.get(id);
      if (!row) return;
      await this.db.outbox.bulkAdd(row.entries);
      await this.db.discarded.delete(id);
      const first = row.entries[0];
      if (first) await this.recompute(first.entity, first.recordId);
    });
    this.notify();
  }

  /** Stop offering the undo of a discarded change. */
  async forgetDiscarded(id: number): Promise<void> {
    await this.db.transaction("rw", [this.db.records, this.db.discarded, ...this.attachments.tables], async () => {
      await this.db.discarded.delete(id);
      await this.attachments.sweep();
    });
  }

  /** The server refused a change before it was sent: the first unsent change of a record
   * whose file the server refused for good (a photo too large to take). It is shown, kept
   * and held back like any refused change, until its author takes it again or discards it. */
  async refuse(entity: string, recordId: string, error: ApiErrorBody): Promise<boolean> {
    let refused = false;
    await this.db.transaction("rw", this.db.outbox, async () => {
      const entries = await this.entriesOf(entity, recordId);
      const first = entries[0];
      if (!first || first.status === "rejected") return;
      await this.db.outbox.update(first.seq!, { status: "rejected", error });
      refused = true;
    });
    if (refused) this.notify();
    return refused;
  }

  /** The last discarded change's number: what a change discards is what comes after it. */
  async lastDiscardId(): Promise<number> {
    return Number((await this.db.discarded.orderBy(":id").lastKey()) ?? 0);
  }

  /** Changes discarded after `id`, oldest first. */
  discardedSince(id: number): Promise<DiscardedEntry[]> {
    return this.db.discarded.where(":id").above(id).toArray();
  }

  /** Unsent and refused changes, in the order they were made. */
  queued(): Promise<OutboxEntry[]> {
    return this.db.queued();
  }

  /** Whether the server has ever had this record (a pull brought it, or it took a change). */
  async onServer(entity: string, recordId: string): Promise<boolean> {
    return (await this.db.records.get(recordKey(entity, recordId)))?.serverVersion != null;
  }

  /** How many changes wait to be sent, and how many the server refused. */
  async counts(): Promise<{ waiting: number; rejected: number }> {
    const waiting = await this.db.outbox.where("status").equals("pending").count();
    const rejected = await this.db.outbox.where("status").equals("rejected").count();
    return { waiting, rejected };
  }

  /** When the first change waiting after a server fault may go again (null: none waits). */
  async nextRetryAt(): Promise<number | null> {
    let first: number | null = null;
    await this.db.outbox.where("status").equals("pending").each((e) => {
      if (e.retryAt !== undefined) first = Math.min(first ?? Infinity, e.retryAt);
    });
    return first;
  }

  /** Where the next pull starts, and whether it is pulling again from the beginning after
   * the server's history changed (a restored backup): then its copies are taken as they are. */
  async pullPosition(): Promise<{ cursor: string; fromStart: boolean }> {
    return {
      cursor: (await this.db.getMeta<string>("cursor")) ?? "",
      fromStart: (await this.db.getMeta<boolean>("pullFromStart")) === true,
    };
  }

  /** Pulled up to `cursor` (kept after the page's records: a crash re-pulls, never skips). */
  async pulledTo(cursor: string): Promise<void> {
    await this.db.setMeta("cursor", cursor);
  }

  /** The server no longer knows this device's cursor: pull everything again, as it is. */
  async pullFromStart(): Promise<void> {
    await this.db.transaction("rw", this.db.meta, async () => {
      await this.db.setMeta("pullFromStart", true);
      await this.db.setMeta("cursor", "");
    });
  }

  /** The pull from the beginning has reached the end. */
  async caughtUp(): Promise<void> {
    await this.db.setMeta("pullFromStart", false);
  }

  private async discardEntries(entries: OutboxEntry[]): Promise<number> {
    await this.db.outbox.bulkDelete(entries.map((e) => e.seq!));
    const row: DiscardedEntry = { entries, meetingId: entries[0]?.meetingId ?? null, discardedAt: this.now() };
    return this.db.discarded.add(row);
  }

  private async entriesOf(entity: string, recordId: string): Promise<OutboxEntry[]> {
    return (await this.db.outbox.where("recordId").equals(recordId).sortBy("seq")).filter((e) => e.entity === entity);
  }

  /** The meeting (and course) a change belongs to, for its counts and links. */
  private async placeOf(entity: string, recordId: string, fields: Fields, hint: string | null | undefined,
  ): Promise<{ meetingId: string | null; courseId: string | null }> {
    if (entity === "conflict") {
      const target = await this.db.records.get(recordKey(String(fields["entity"]), String(fields["record_id"])));
      if (target) return this.placeOf(target.entity, target.id, target.fields, hint);
      return { meetingId: hint ?? null, courseId: text(fields["course_id"]) };
    }
    const meetingId = entity === "meeting" ? recordId : hint ?? text(fields["meeting_id"]);
    let courseId = entity === "course" ? recordId : text(fields["course_id"]);
    if (!courseId && meetingId) {
      courseId = text((await this.db.records.get(recordKey("meeting", meetingId)))?.fields["course_id"]);
    }
    return { meetingId, courseId };
  }

  private async purge(scope: string): Promise<void> {
    const records = await this.db.records.where("scope").equals(scope).toArray();
    for (const record of records) {
      const unsent = await this.db.outbox.where("recordId").equals(record.id).count();
      if (unsent === 0) await this.db.records.delete(record.key);
    }
  }

  /** fields = the server's copy with this device's queued changes laid over it, in order. */
  private async recompute(entity: string, recordId: string): Promise<void> {
    const key = recordKey(entity, recordId);
    const known = await this.db.records.get(key);
    const queued = await this.entriesOf(entity, recordId);
    if (!known?.serverFields && queued.length === 0) {
      await this.db.records.delete(key);
      return;
    }
    let fields: Fields = { ...(known?.serverFields ?? {}) };
    let deleted = known?.serverDeleted ?? false;
    for (const e of queued) {
      fields = { ...fields, ...e.fields };
      if (e.op === "delete") deleted = true;
      if (e.op === "restore") deleted = false;
    }
    const record: LocalRecord = {
      key, entity, id: recordId, scope: known?.scope ?? null,
      parentId: parentFor(entity, fields), fields, deleted,
      serverFields: known?.serverFields ?? null, serverVersion: known?.serverVersion ?? null,
      serverDeleted: known?.serverDeleted ?? false,
    };
    await this.db.records.put(record);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

function parentFor(entity: string, fields: Fields): string | null {
  // A conflict is listed under the record it is about, so that record's screen shows it.
  if (entity === "conflict" && typeof fields["record_id"] === "string") return fields["record_id"];
  return parentOf(fields);
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/** The same value, as the server writes it back (a time may come back in another form). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "string" || typeof b !== "string") return JSON.stringify(a) === JSON.stringify(b);
  const [x, y] = [Date.parse(a), Date.parse(b)];
  return /^\d{4}-\d{2}-\d{2}T/.test(a) && Number.isFinite(x) && x === y;
}

function unknownError(): ApiErrorBody {
  return { code: "unknown", message: "", fields: {} };
}
