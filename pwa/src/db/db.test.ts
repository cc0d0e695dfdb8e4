import "fake-indexeddb/auto";

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
