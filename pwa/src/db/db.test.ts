import "fake-indexeddb/auto";

import Dexie from "dexie";
import { describe, expect, it } from "vitest";

import { PhotoQueue } from "../photos/queue";
import { TrivselDB } from "./db";

describe("TrivselDB outbox", () => {
  it("keeps queued changes across a reopen, in the order they were made", async () => {
    const name = `test-${Math.random()}`;
    const first = new TrivselDB(name);
    for (const [id, text] of [["m2", "b"], ["m1", "a"]] as const) {
      await first.outbox.add({
        id, entity: "board_note", recordId: "r1", op: "upsert", fields: { text },
        baseVersion: null, clock: "0000000000001:00000:x", status: "pending",
      });
    }
    first.close();
    const reopened = new TrivselDB(name);
    expect((await reopened.queued()).map((e) => e.id)).toEqual(["m2", "m1"]);
    reopened.close();
  });
});

describe("TrivselDB version 5", () => {
  it("gives changes queued before the upgrade their meeting, so counts and links find them", async () => {
    const name = `upgrade-${Math.random()}`;
    const old = new Dexie(name);
    old.version(4).stores({
      records: "key, entity, scope, parentId, [entity+parentId]",
      outbox: "++seq, &id, recordId, status",
      meta: "key",
      blobs: "hash, uploaded",
    });
    await old.table("records").put({ key: "board_note:n1", entity: "board_note", id: "n1", scope: null,
      parentId: "m1", fields: { meeting_id: "m1", text: "x" }, deleted: false, serverFields: null,
      serverVersion: null, serverDeleted: false });
    await old.table("outbox").add({ id: "q1", entity: "board_note", recordId: "n1", op: "upsert",
      fields: { text: "y" }, baseVersion: null, clock: "0000000000001:00000:x", status: "pending" });
    await old.table("outbox").add({ id: "q2", entity: "meeting", recordId: "m1", op: "upsert",
      fields: { status: "finished" }, baseVersion: null, clock: "0000000000001:00001:x", status: "rejected" });
    old.close();
    const upgraded = new TrivselDB(name);
    expect((await upgraded.queued()).map((e) => [e.id, e.meetingId])).toEqual([["q1", "m1"], ["q2", "m1"]]);
    expect(await upgraded.discarded.count()).toBe(0);
    upgraded.close();
  });
});

describe("TrivselDB version 6", () => {
  it("carries every photo over with its upload state: one not sent yet stays queued", async () => {
    const name = `upgrade6-${Math.random()}`;
    const old = new Dexie(name);
    old.version(5).stores({
      records: "key, entity, scope, parentId, [entity+parentId]",
      outbox: "++seq, &id, recordId, status, meetingId",
      meta: "key",
      blobs: "hash, uploaded",
      discarded: "++id, meetingId",
    });
    const [sent, unsent, spare] = ["a", "b", "c"].map((c) => c.repeat(64)) as [string, string, string];
    for (const [id, hash] of [["p1", sent], ["p2", unsent]] as const) {
      await old.table("records").put({ key: `board_photo:${id}`, entity: "board_photo", id, scope: null,
        parentId: "m1", fields: { meeting_id: "m1", content_hash: hash }, deleted: false, serverFields: null,
        serverVersion: null, serverDeleted: false });
    }
    await old.table("outbox").add({ id: "q1", entity: "board_photo", recordId: "p2", op: "upsert",
      fields: { meeting_id: "m1", content_hash: unsent }, baseVersion: null, clock: "0000000000001:00000:x",
      status: "pending", meetingId: "m1" });
    await old.table("blobs").bulkPut([
      { hash: sent, blob: new Blob(["sent"]), type: "image/webp", size: 4, uploaded: 1 },
      { hash: unsent, blob: new Blob(["unsent"]), type: "image/webp", size: 6, uploaded: 0 },
      { hash: spare, blob: new Blob(["kept for an undo"]), type: "image/jpeg", size: 16, uploaded: 0 },
    ]);
    old.close();
    const upgraded = new TrivselDB(name);
    const rows = await upgraded.blobs.toArray();
    expect(rows.map((r) => [r.hash, r.state, r.type, r.size, "uploaded" in r])).toEqual([
      [sent, "uploaded", "image/webp", 4, false],
      [unsent, "queued", "image/webp", 6, false],
      [spare, "queued", "image/jpeg", 16, false],
    ]);
    expect(await rows[1]!.blob.text()).toBe("unsent");
    // The queue sees the photo not sent yet as waiting (bytes no live record names are not).
    expect((await new PhotoQueue(upgraded).waiting()).map((p) => p.hash)).toEqual([unsent]);
    expect(await upgraded.outbox.count()).toBe(1);
    upgraded.close();
  });
});
