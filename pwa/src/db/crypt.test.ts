import "fake-indexeddb/auto";

import Dexie from "dexie";
import { describe, expect, it } from "vitest";

import { PhotoQueue } from "../photos/queue";
import { holdBytes, LockedError, SEALED, sealRows, type Vault } from "./crypt";
import { type LocalRecord, TrivselDB } from "./db";

const SECRET = "Emma græder hver morgen ved afleveringen";

function note(id: string, text = SECRET): LocalRecord {
  return { key: `board_note:${id}`, entity: "board_note", id, scope: "c1", parentId: "m1",
    fields: { meeting_id: "m1", column: "worries", text }, deleted: false, serverFields: null,
    serverVersion: null, serverDeleted: false };
}

function sealedDb(): { db: TrivselDB; vault: Vault; name: string } {
  const name = `crypt-${Math.random()}`;
  const vault: Vault = { key: crypto.getRandomValues(new Uint8Array(32)) };
  return { db: new TrivselDB(name, vault), vault, name };
}

/** The rows as IndexedDB holds them (no middleware). */
async function raw(name: string, table: string): Promise<Record<string, unknown>[]> {
  const plain = new Dexie(name);
  await plain.open();
  const rows = (await plain.table(table).toArray()) as Record<string, unknown>[];
  plain.close();
  return rows;
}

const text = (rows: unknown[]) => new TextDecoder().decode(new TextEncoder().encode(JSON.stringify(rows)));

describe("sealed tables", () => {
  it("keep only the indexed fields in the clear, and read back whole by every path", async () => {
    const { db, name } = sealedDb();
    await db.records.bulkPut([note("n1"), note("n2", "andet")]);
    await db.outbox.add({ id: "q1", entity: "board_note", recordId: "n1", op: "upsert", fields: { text: SECRET },
      baseVersion: null, clock: "0000000000001:00000:x", status: "pending", meetingId: "m1" });
    await db.setMeta("user", { name: "Frida" });

    const [stored] = (await raw(name, "records")).filter((r) => r["key"] === "board_note:n1");
    expect(Object.keys(stored!).sort()).toEqual([SEALED, "entity", "key", "parentId", "scope"].sort());
    expect(text(await raw(name, "records"))).not.toContain("græder");
    expect(text(await raw(name, "outbox"))).not.toContain("græder");
    expect(text(await raw(name, "meta"))).not.toContain("Frida");

    expect((await db.records.get("board_note:n1"))?.fields["text"]).toBe(SECRET);
    expect((await db.records.where("[entity+parentId]").equals(["board_note", "m1"]).toArray()).length).toBe(2);
    const seen: string[] = [];
    await db.records.where("entity").equals("board_note").each((r) => seen.push(String(r.fields["text"])));
    expect(seen.sort()).toEqual(["andet", SECRET].sort());
    expect(await db.records.filter((r) => r.fields["text"] === "andet").count()).toBe(1);
    await db.records.update("board_note:n2", { deleted: true });
    await db.records.where("key").equals("board_note:n1").modify((r) => { r.fields = { ...r.fields, text: "ny" }; });
    expect((await db.records.get("board_note:n1"))?.fields["text"]).toBe("ny");
    expect((await db.records.get("board_note:n2"))?.deleted).toBe(true);
    const [queued] = await db.queued();
    expect(queued?.seq).toBeTypeOf("number"); // the auto-increment key, from the stored row
    expect(queued?.fields["text"]).toBe(SECRET);
    expect(await db.getMeta("user")).toEqual({ name: "Frida" });
    db.close();
  });

  it("seal a photo's bytes, and its state changes keep them", async () => {
    const { db, name } = sealedDb();
    const bytes = new TextEncoder().encode(`RIFF-board-${SECRET}`);
    const blob = new Blob([bytes], { type: "image/webp" });
    await holdBytes(blob);
    const queue = new PhotoQueue(db);
    await db.transaction("rw", db.blobs, () => queue.keep([{ hash: "h1", blob, type: "image/webp", size: blob.size,
      state: "queued" }]));
    await queue.move("h1", "start");
    const [row] = await raw(name, "blobs");
    expect(Object.keys(row!).sort()).toEqual([SEALED, "hash", "state"].sort());
    expect(row!["state"]).toBe("uploading");
    expect(new TextDecoder().decode(row![SEALED] as Uint8Array)).not.toContain("græder");
    const back = await db.blobs.get("h1");
    expect(back?.blob.type).toBe("image/webp");
    expect(new Uint8Array(await back!.blob.arrayBuffer())).toEqual(bytes);
    db.close();
  });

  it("refuse reads and writes while the device is locked, and open nothing with another key", async () => {
    const { db, vault, name } = sealedDb();
    await db.records.put(note("n1"));
    vault.key = null;
    await expect(db.records.get("board_note:n1")).rejects.toBeInstanceOf(LockedError);
    await expect(db.records.put(note("n2"))).rejects.toBeInstanceOf(LockedError);
    expect(await db.records.count()).toBe(1); // counting reads no value
    db.close();
    const other = new TrivselDB(name, { key: crypto.getRandomValues(new Uint8Array(32)) });
    await expect(other.records.get("board_note:n1")).rejects.toThrow();
    other.close();
  });

  it("seal rows stored in the clear before encryption came, and lose none", async () => {
    const name = `legacy-${Math.random()}`;
    const before = new TrivselDB(name);
    await before.records.put(note("n1"));
    await before.outbox.add({ id: "q1", entity: "board_note", recordId: "n1", op: "upsert", fields: { text: SECRET },
      baseVersion: null, clock: "0000000000001:00000:x", status: "pending" });
    await before.blobs.put({ hash: "h1", blob: new Blob([SECRET], { type: "image/webp" }), type: "image/webp",
      size: 10, state: "queued" });
    before.close();
    const db = new TrivselDB(name, { key: crypto.getRandomValues(new Uint8Array(32)) });
    expect((await db.records.get("board_note:n1"))?.fields["text"]).toBe(SECRET); // readable before sealing
    await sealRows(db);
    for (const table of ["records", "outbox", "blobs"]) {
      const rows = await raw(name, table);
      expect(rows.length).toBe(1);
      expect(rows.every((r) => SEALED in r)).toBe(true);
    }
    expect((await db.queued())[0]?.fields["text"]).toBe(SECRET);
    expect(await (await db.blobs.get("h1"))!.blob.text()).toBe(SECRET);
    db.close();
  });
});

// What an index holds lies on disk in the clear: only ids, hashes, states and times may be
// indexed. A new index on anything else (a note's text, a name) fails here first.
const CLEAR = /^(key|id|seq|hash|state|status|entity|scope|parentId|recordId|meetingId|courseId|[a-z]+Id|[a-z]*At|createdAt|updatedAt)$/;

describe("the schema", () => {
  it("indexes nothing but ids, hashes, states and times", () => {
    const db = new TrivselDB(`schema-${Math.random()}`);
    for (const table of db.tables) {
      for (const index of [table.schema.primKey, ...table.schema.indexes]) {
        const paths = Array.isArray(index.keyPath) ? index.keyPath : [index.keyPath ?? ""];
        for (const path of paths) expect(`${table.name}.${path}`).toMatch(new RegExp(`\\.${CLEAR.source.slice(1)}`));
      }
    }
  });
});
