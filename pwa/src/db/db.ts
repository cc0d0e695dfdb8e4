// The device's own database (IndexedDB through Dexie). The outbox holds every change made
// at the table until the server has it; nothing leaves the outbox except by a server answer
// or by the user discarding it.

import Dexie, { type Table } from "dexie";

export interface OutboxEntry {
  id: string; // the mutation id (a UUID made on this device)
  entity: string;
  recordId: string;
  op: "upsert" | "delete" | "restore";
  fields: Record<string, unknown>;
  createdAt: number;
  status: "pending" | "rejected";
  error?: { code: string; message: string; fields: Record<string, string[]> };
}

export interface MetaEntry {
  key: string;
  value: unknown;
}

export class TrivselDB extends Dexie {
  outbox!: Table<OutboxEntry, string>;
  meta!: Table<MetaEntry, string>;

  constructor(name = "trivsel") {
    super(name);
    this.version(1).stores({
      outbox: "id, createdAt, status",
      meta: "key",
    });
  }

  /** Pending and rejected changes, oldest first (the order they must reach the server). */
  async queued(): Promise<OutboxEntry[]> {
    return this.outbox.orderBy("createdAt").toArray();
  }
}
