// Local-first writes and what arrives from the server, in the device's database.
//
// Every change is written to `records` (what the user sees, at once) and to the outbox in one
// transaction, so a crash can never keep one without the other.

import { type Fields, type LocalRecord, type Op, type OutboxEntry, parentOf, recordKey, TrivselDB } from "../db/db";
import type { Clock } from "./clock";
import { isPurge, type PushResult, type WireChange } from "./protocol";

export interface Change {
  entity: string;
  recordId: string;
  op: Op;
  fields?: Fields;
}

export class LocalStore {
  constructor(
    readonly db: TrivselDB,
    private readonly clock: () => Promise<Clock>,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {}

  /** Make a change on this device: shown at once, queued for the server. */
  async change(entity: string, recordId: string, op: Op, fields: Fields = {}): Promise<string> {
    const [id] = await this.changeAll([{ entity, recordId, op, fields }]);
    return id!;
  }

  /** Several changes that belong together (finishing a meeting and creating the next):
   * all of them are kept, or — if the app is closed at that very moment — none. */
  async changeAll(changes: Change[]): Promise<string[]> {
    const clock = await this.clock();
    const ids = changes.map(() => this.newId());
    await this.db.transaction("rw", this.db.records, this.db.outbox, this.db.meta, async () => {
      for (const [i, c] of changes.entries()) {
        const existing = await this.db.records.get(recordKey(c.entity, c.recordId));
        const stamp = clock.tick();
        await this.db.setMeta("clock", stamp);
        await this.db.outbox.add({
          id: ids[i]!, entity: c.entity, recordId: c.recordId, op: c.op, fields: c.fields ?? {},
          clock: stamp, status: "pending", baseVersion: existing?.serverVersion ?? null,
        });
        await this.recompute(c.entity, c.recordId);
      }
    });
    return ids;
  }

  /** Store a record (or a purge) from a pull; this device's unsent changes stay on top. */
  async receive(change: WireChange): Promise<void> {
    await this.db.transaction("rw", this.db.records, this.db.outbox, async () => {
      if (isPurge(change)) {
        await this.purge(change.id);
        return;
      }
      const key = recordKey(change.entity, change.id);
      const known = await this.db.records.get(key);
      if (known?.serverVersion != null && known.serverVersion > change.version) return;
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
    await this.db.transaction("rw", this.db.records, this.db.outbox, async () => {
      const rejected =
        result.status === "rejected" ||
        (result.status === "duplicate" && result.first_status === "rejected");
      if (rejected && result.error?.code === "server_error") return; // stays queued, retried
      if (rejected) {
        await this.db.outbox.update(entry.seq!, { status: "rejected", ...(result.error ? { error: result.error } : {}) });
        return;
      }
      await this.db.outbox.delete(entry.seq!);
      // Until the next pull brings the server's copy, the server holds what was sent.
      const key = recordKey(entry.entity, entry.recordId);
      const known = await this.db.records.get(key);
      if (known) {
        await this.db.records.update(key, {
          serverFields: { ...(known.serverFields ?? {}), ...entry.fields },
          serverDeleted: entry.op === "delete" ? true : entry.op === "restore" ? false : known.serverDeleted,
          serverVersion: Math.max(known.serverVersion ?? 0, result.version ?? 0),
        });
      }
      await this.recompute(entry.entity, entry.recordId);
    });
  }

  /** The user gives up a rejected change: it leaves the outbox and the screen. */
  async discard(seq: number): Promise<void> {
    await this.db.transaction("rw", this.db.records, this.db.outbox, async () => {
      const entry = await this.db.outbox.get(seq);
      if (!entry) return;
      await this.db.outbox.delete(seq);
      await this.recompute(entry.entity, entry.recordId);
    });
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
    const queued = (await this.db.outbox.where("recordId").equals(recordId).sortBy("seq")).filter(
      (e) => e.entity === entity,
    );
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
}

function parentFor(entity: string, fields: Fields): string | null {
  // A conflict is listed under the record it is about, so that record's screen shows it.
  if (entity === "conflict" && typeof fields["record_id"] === "string") return fields["record_id"];
  return parentOf(fields);
}
