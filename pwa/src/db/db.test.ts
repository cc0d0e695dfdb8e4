import "fake-indexeddb/auto";

import { describe, expect, it } from "vitest";

import { TrivselDB } from "./db";

describe("TrivselDB outbox", () => {
  it("keeps queued changes across a reopen, oldest first", async () => {
    const name = `test-${Math.random()}`;
    const first = new TrivselDB(name);
    await first.outbox.bulkAdd([
      { id: "m2", entity: "board_note", recordId: "r1", op: "upsert", fields: { text: "b" },
        createdAt: 2, status: "pending" },
      { id: "m1", entity: "board_note", recordId: "r1", op: "upsert", fields: { text: "a" },
        createdAt: 1, status: "pending" },
    ]);
    first.close();
    const reopened = new TrivselDB(name);
    expect((await reopened.queued()).map((e) => e.id)).toEqual(["m1", "m2"]);
    reopened.close();
  });
});
