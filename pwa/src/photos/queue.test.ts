// The photo queue's states: the table of what may follow what (nextState), walked whole,
// and the queue's table over a real (fake-indexeddb) database.
import "fake-indexeddb/auto";

import { describe, expect, it } from "vitest";

import { type PhotoState, TrivselDB } from "../db/db";
import { type PhotoEvent, nextState, PhotoQueue } from "./queue";

const STATES: PhotoState[] = ["queued", "uploading", "uploaded", "toDelete", "failed"];
const EVENTS: PhotoEvent[] = ["start", "done", "refused", "transient", "lost", "unused", "interrupted"];
const GONE = null;

// Every state and event, and what follows: one row per state, in EVENTS' order.
const TABLE: Record<PhotoState, Array<PhotoState | null>> = {
  //          start        done        refused     transient   lost        unused      interrupted
  queued: ["uploading", "uploaded", "queued", "queued", "queued", GONE, "queued"],
  uploading: ["uploading", "uploaded", "failed", "queued", "uploading", "toDelete", "queued"],
  uploaded: ["uploaded", "uploaded", "uploaded", "uploaded", "queued", GONE, "uploaded"],
  toDelete: ["toDelete", GONE, GONE, GONE, GONE, GONE, GONE],
  failed: ["failed", "failed", "failed", "failed", "failed", GONE, "failed"],
};

describe("the photo queue's states", () => {
  it("follows the table for every state and event", () => {
    for (const state of STATES) {
      expect(EVENTS.map((event) => nextState(state, event)), state).toEqual(TABLE[state]);
    }
  });

  it("reaches every state from a new photo, and the server's refusal is final", () => {
    const seen = new Set<PhotoState | null>(["queued"]);
    const todo: PhotoState[] = ["queued"];
    for (let s = todo.pop(); s !== undefined; s = todo.pop()) {
      for (const event of EVENTS) {
        const next = nextState(s, event);
        if (!seen.has(next)) {
          seen.add(next);
          if (next !== null) todo.push(next);
        }
      }
    }
    expect([...seen].sort()).toEqual([...STATES, null].sort());
    // A refused photo is never uploaded again: only letting it go leaves "failed".
    expect(EVENTS.filter((e) => nextState("failed", e) !== "failed")).toEqual(["unused"]);
    // Bytes the server has are never sent again unless it says it lost them.
    expect(EVENTS.filter((e) => nextState("uploaded", e) === "queued")).toEqual(["lost"]);
  });
});

const HASH = "f".repeat(64);

async function queueWithPhoto(live: boolean) {
  const db = new TrivselDB(`q-${Math.random()}`);
  const queue = new PhotoQueue(db);
  await db.records.put({ key: "board_photo:p1", entity: "board_photo", id: "p1", scope: null, parentId: "m1",
    fields: { meeting_id: "m1", content_hash: HASH }, deleted: !live, serverFields: null, serverVersion: null,
    serverDeleted: false });
  await queue.keep([{ hash: HASH, blob: new Blob(["x"]), type: "image/webp", size: 1, state: "queued" }]);
  return { db, queue };
}

describe("PhotoQueue", () => {
  it("keeps a refused photo's reason, and lets it go only once nothing names it", async () => {
    const { db, queue } = await queueWithPhoto(true);
    await queue.move(HASH, "start");
    const reason = { code: "too_large", message: "Too large.", fields: {} };
    expect(await queue.move(HASH, "refused", reason)).toBe("failed");
    expect(await queue.get(HASH)).toMatchObject({ state: "failed", reason });
    expect(await queue.waiting()).toEqual([]); // shown as refused, not as waiting
    expect(await queue.sweep()).toEqual([]);
    await db.records.update("board_photo:p1", { deleted: true });
    expect(await queue.sweep()).toEqual([HASH]);
    expect(await queue.get(HASH)).toBeUndefined();
  });

  it("holds bytes let go of during their upload until it ends; taken back, they stay", async () => {
    const { db, queue } = await queueWithPhoto(true);
    await queue.move(HASH, "start");
    await db.records.update("board_photo:p1", { deleted: true });
    await queue.sweep();
    expect((await queue.get(HASH))?.state).toBe("toDelete");
    const bytes = (await queue.get(HASH))!;
    await queue.keep([bytes]); // "Fortryd" while the upload runs
    expect((await queue.get(HASH))?.state).toBe("uploading");
    await db.records.update("board_photo:p1", { deleted: true });
    await queue.sweep();
    await queue.move(HASH, "done"); // the upload ends: nothing names the bytes now
    expect(await queue.get(HASH)).toBeUndefined();
  });

  it("queues an upload the app stopped in again on start, and drops bytes only it held", async () => {
    const { db, queue } = await queueWithPhoto(true);
    await queue.move(HASH, "start");
    const other = "e".repeat(64);
    await db.blobs.put({ hash: other, blob: new Blob(["y"]), type: "image/webp", size: 1, state: "toDelete" });
    await queue.recover();
    expect((await queue.get(HASH))?.state).toBe("queued");
    expect(await queue.get(other)).toBeUndefined();
    expect((await queue.waiting()).map((p) => p.hash)).toEqual([HASH]);
  });

  it("brings bytes back from an undo as they were, except an upload cut short", async () => {
    const db = new TrivselDB(`q-${Math.random()}`);
    const queue = new PhotoQueue(db);
    const bytes = { blob: new Blob(["z"]), type: "image/webp", size: 1 };
    await queue.keep([{ ...bytes, hash: "1".repeat(64), state: "uploaded" },
      { ...bytes, hash: "2".repeat(64), state: "uploading" }]);
    expect((await db.blobs.toArray()).map((r) => r.state)).toEqual(["uploaded", "queued"]);
  });
});
