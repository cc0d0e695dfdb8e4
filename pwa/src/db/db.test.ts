import "fake-indexeddb/auto";

import Dexie from "dexie";
import { describe, expect, it } from "vitest";

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
