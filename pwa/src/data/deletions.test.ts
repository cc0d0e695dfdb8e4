// Deleting at the table with undo (issue 12): notes, agreements and photos are deleted by one
// named change and brought back by a restore (offline, and after the deletion reached the
// server) without bringing back anything else; a deleted photo's bytes are never sent; a
// retake replaces a photo in one change; a move to another column is one change.
import "fake-indexeddb/auto";

import { describe, expect, it } from "vitest";

import { ApiClient } from "../api/client";
import { type OutboxEntry, recordKey, TrivselDB } from "../db/db";
import { PhotoQueue } from "../photos/queue";
import { PhotoSync } from "../photos/sync";
import { Clock } from "../sync/clock";
import { SyncEngine } from "../sync/engine";
import type { PushResult, WireMutation } from "../sync/protocol";
import { LocalStore } from "../sync/store";
import { problemsAt } from "./problems";
import { Queries } from "./queries";
import { validateChange } from "./validate";
import { type PreparedPhoto, Writes } from "./writes";

const COURSE = "00000000-0000-4000-8000-00000000c001";
const CHILD = "00000000-0000-4000-8000-00000000c0d1";
const MEETING = "00000000-0000-4000-8000-00000000e001";
const HASH_A = "a".repeat(64);
const HASH_B = "b".repeat(64);

/** A scripted server: applies every push, knows no photo, records what was uploaded. */
class Server {
  pushed: WireMutation[] = [];
  uploads: string[] = [];
  fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    const body = init?.body ? JSON.parse(String(init.body)) as Record<string, unknown> : {};
    if (url === "/api/auth/csrf") return json({ csrf_token: "t" });
    if (url === "/api/blobs/missing") return json({ missing: body["hashes"] });
    if (url === "/api/sync/push") {
      const mutations = body["mutations"] as WireMutation[];
      this.pushed.push(...mutations);
      return json({ results: mutations.map((m): PushResult => ({ id: m.id, status: "applied", version: 2 })) });
    }
    if (url.startsWith("/api/sync/pull")) return json({ changes: [], cursor: "c", more: false });
    throw new Error(`unexpected ${url}`);
  };
}

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });

async function setup() {
  const db = new TrivselDB(`d-${Math.random()}`);
  const store = new LocalStore(db, async () => new Clock("d", () => 1_795_000_000_000), { validate: validateChange });
  await db.setMeta("user", { id: "u1", email: "", name: "", role: "family_unit", institution_id: null });
  const pulled = (entity: string, id: string, fields: Record<string, unknown>, deleted = false) =>
    store.receive({ entity, id, version: 1, scope: `course:${COURSE}`, deleted, fields });
  await pulled("child", CHILD, { first_name: "Emma" });
  await pulled("course", COURSE, { child_id: CHILD, status: "active", leader_id: "u1" });
  await pulled("meeting", MEETING, { course_id: COURSE, kind: "start", starts_at: "2026-12-01T09:00:00+00:00",
    status: "planned", child_participation: null, child_perspective: "", next_meeting_at: null, underretning: false });
  const server = new Server();
  const api = new ApiClient(server.fetch);
  const engine = new SyncEngine(api, store, {
    clientId: async () => "d", autoSend: false, setTimer: () => 0, clearTimer: () => undefined,
    hooks: new PhotoSync(new PhotoQueue(db), store, api, async (hash) => { server.uploads.push(hash); }),
  });
  return { db, store, write: new Writes(store), pulled, server, engine };
}

const photo = (hash: string): PreparedPhoto => ({ hash, blob: new Blob([hash]), type: "image/webp" });
const live = async (db: TrivselDB, entity: string, id: string) => {
  const record = await db.records.get(recordKey(entity, id));
  return record !== undefined && !record.deleted;
};
const ops = (entries: OutboxEntry[]) => entries.map((e) => `${e.op} ${e.entity}`);

describe("moving a note to another column", () => {
  it("is one change naming its column and place, and nothing else", async () => {
    const { db, write, pulled } = await setup();
    await pulled("board_note", "n1", { meeting_id: MEETING, column: "worries", text: "Alene i frikvarteret", position: 1 });
    await pulled("board_note", "n2", { meeting_id: MEETING, column: "working", text: "Leger med Ida", position: 1 });
    await write.moveNote("n1", { index: 0, column: "working" });
    const queued = await db.queued();
    expect(queued.map((e) => e.fields)).toEqual([{ column: "working", position: 0 }]);
    expect(queued[0]!.baseVersion).toBe(1); // merged field by field with concurrent edits of the text
    expect((await db.records.get(recordKey("board_note", "n1")))?.fields).toMatchObject(
      { column: "working", text: "Alene i frikvarteret" });
  });
});

describe("deleting with undo", () => {
  it("restores a deleted note offline, before the deletion was sent: its text as it was", async () => {
    const { db, write, pulled } = await setup();
    await pulled("board_note", "n1", { meeting_id: MEETING, column: "worries", text: "Ked af det", position: 1 });
    const undo = await write.deleteNote("n1");
    expect(await live(db, "board_note", "n1")).toBe(false);
    await write.undo(undo);
    expect(await live(db, "board_note", "n1")).toBe(true);
    expect((await db.records.get(recordKey("board_note", "n1")))?.fields["text"]).toBe("Ked af det");
    expect(ops(await db.queued())).toEqual(["delete board_note", "restore board_note"]);
  });

  it("restores a note after its deletion reached the server, with a restore change", async () => {
    const { db, write, pulled, engine, server } = await setup();
    await pulled("board_note", "n1", { meeting_id: MEETING, column: "worries", text: "Ked af det", position: 1 });
    const undo = await write.deleteNote("n1");
    await engine.syncNow();
    expect((await db.records.get(recordKey("board_note", "n1")))?.serverDeleted).toBe(true);
    await write.undo(undo);
    expect(await live(db, "board_note", "n1")).toBe(true);
    await engine.syncNow();
    expect(server.pushed.map((m) => `${m.op} ${m.record_id}`)).toEqual(["delete n1", "restore n1"]);
    expect(server.pushed[1]!.fields).toEqual({}); // the record as it was on the server, nothing more
    expect((await db.records.get(recordKey("board_note", "n1")))?.serverDeleted).toBe(false);
  });

  it("brings back only what the undone action deleted", async () => {
    const { db, write, pulled } = await setup();
    for (const id of ["n1", "n2"]) {
      await pulled("board_note", id, { meeting_id: MEETING, column: "worries", text: id, position: 1 });
    }
    await pulled("board_note", "n3", { meeting_id: MEETING, column: "worries", text: "n3", position: 3 }, true);
    const first = await write.deleteNote("n1");
    await write.deleteNote("n2");
    expect(await write.deleteNote("n3")).toMatchObject({ restore: [], discards: [] }); // deleted elsewhere already
    await write.undo(first);
    expect([await live(db, "board_note", "n1"), await live(db, "board_note", "n2"), await live(db, "board_note", "n3")])
      .toEqual([true, false, false]);
  });

  it("undiscards a note the server refused to create, refusal and all", async () => {
    const { db, store, write } = await setup();
    const id = await write.addNote(MEETING, "working", "Leger med Ida");
    const [entry] = await db.queued();
    await store.settle(entry!, { id: entry!.id, status: "rejected", error: { code: "not_found", message: "", fields: {} } });
    const undo = await write.deleteNote(id);
    expect(await db.records.get(recordKey("board_note", id))).toBeUndefined();
    expect(undo.discards).toHaveLength(1);
    await write.undo(undo);
    expect(await live(db, "board_note", id)).toBe(true);
    expect((await problemsAt(db, MEETING)).byRecord.get(id)?.map((p) => p.kind)).toEqual(["refused"]);
  });

  it("edits and deletes an agreement, and restores it", async () => {
    const { db, write } = await setup();
    const id = await write.addAgreement(MEETING, { what: "Mor ringer", owner: "guardians", due_date: null });
    await write.editAgreement(id, { what: "Mor ringer til PPR", due_date: "2027-01-15" });
    expect((await db.records.get(recordKey("agreement", id)))?.fields).toMatchObject(
      { what: "Mor ringer til PPR", owner: "guardians", due_date: "2027-01-15" });
    const undo = await write.deleteAgreement(id);
    expect(await live(db, "agreement", id)).toBe(false);
    await write.undo(undo);
    expect((await db.records.get(recordKey("agreement", id)))?.fields["what"]).toBe("Mor ringer til PPR");
  });
});

describe("ticking off a task", () => {
  it("is undone by opening it again", async () => {
    const { db, write, pulled } = await setup();
    await pulled("task", "t1", { course_id: COURSE, meeting_id: MEETING, title: "Følg op", assignee_role: "family_unit",
      due_date: null, done_at: null });
    await write.completeTask("t1");
    expect((await db.records.get(recordKey("task", "t1")))?.fields["done_at"]).toEqual(expect.any(String));
    await write.reopenTask("t1");
    expect((await db.records.get(recordKey("task", "t1")))?.fields["done_at"]).toBeNull();
    expect((await db.queued()).map((e) => e.fields)).toEqual([{ done_at: expect.any(String) }, { done_at: null }]);
  });
});

describe("the order of the board photos", () => {
  it("is the order they were taken in, whatever their ids, before and after the server has some", async () => {
    const { db, store, pulled } = await setup();
    const ids = ["00000000-0000-4000-8000-0000000000f9", "00000000-0000-4000-8000-0000000000f1"];
    const write = new Writes(store, () => ids.shift()!); // the second id sorts first
    const first = await write.addPhoto(MEETING, photo(HASH_A));
    const second = await write.addPhoto(MEETING, photo(HASH_B));
    const order = async () => (await new Queries(db).photos(MEETING)).map((p) => p.id);
    expect(await order()).toEqual([first, second]);
    // One that reached the server from another tablet comes before those only here.
    const elsewhere = "00000000-0000-4000-8000-0000000000fa";
    await pulled("board_photo", elsewhere, { meeting_id: MEETING, content_hash: "c".repeat(64),
      content_type: "image/webp", size: 1, caption: "", received_at: "2026-12-01T09:05:00+00:00" });
    expect(await order()).toEqual([elsewhere, first, second]);
  });
});

describe("deleting and retaking photos", () => {
  it("never sends the bytes of a photo deleted before it was sent, and forgets them", async () => {
    const { db, write, engine, server } = await setup();
    const id = await write.addPhoto(MEETING, photo(HASH_A));
    const undo = await write.deletePhoto(id);
    expect(await db.blobs.count()).toBe(0);
    expect(undo.blobs.map((b) => b.hash)).toEqual([HASH_A]);
    await engine.syncNow();
    expect(server.uploads).toEqual([]);
    // Nor its record: the server would refuse a record without its bytes (and never needs it).
    expect(server.pushed).toEqual([]);
    expect(await db.outbox.count()).toBe(0);
  });

  it("undoing a deletion brings the bytes back, and they are sent", async () => {
    const { db, write, engine, server } = await setup();
    const id = await write.addPhoto(MEETING, photo(HASH_A));
    await write.undo(await write.deletePhoto(id));
    expect((await db.blobs.get(HASH_A))?.state).toBe("queued");
    await engine.syncNow();
    expect(server.uploads).toEqual([HASH_A]);
    expect(await live(db, "board_photo", id)).toBe(true);
  });

  it("keeps bytes another photo record still uses", async () => {
    const { db, write } = await setup();
    const one = await write.addPhoto(MEETING, photo(HASH_A));
    await write.addPhoto(MEETING, photo(HASH_A));
    await write.deletePhoto(one);
    expect(await db.blobs.get(HASH_A)).toBeDefined();
  });

  it("forgets the bytes of a sent photo once it is deleted; undo puts them back", async () => {
    const { db, write, engine } = await setup();
    const id = await write.addPhoto(MEETING, photo(HASH_A));
    await engine.syncNow();
    expect((await db.blobs.get(HASH_A))?.state).toBe("uploaded");
    const undo = await write.deletePhoto(id);
    expect(await db.blobs.count()).toBe(0);
    await write.undo(undo);
    expect((await db.blobs.get(HASH_A))?.state).toBe("uploaded"); // the server has them: not sent again
  });

  it("replaces a photo in one change, and undoing the retake brings the old one back", async () => {
    const { db, write, engine, server } = await setup();
    const old = await write.addPhoto(MEETING, photo(HASH_A));
    await engine.syncNow();
    const { id, undo } = await write.retakePhoto(old, photo(HASH_B));
    expect([await live(db, "board_photo", old), await live(db, "board_photo", id)]).toEqual([false, true]);
    expect((await db.blobs.toCollection().primaryKeys()).sort()).toEqual([HASH_B]);
    await write.undo(undo);
    expect([await live(db, "board_photo", old), await live(db, "board_photo", id)]).toEqual([true, false]);
    await engine.syncNow();
    expect(server.uploads).toEqual([HASH_A]); // the retaken photo's bytes were never sent
    expect((await db.blobs.toCollection().primaryKeys()).sort()).toEqual([HASH_A]);
  });

  it("a retake that breaks a rule changes nothing", async () => {
    const { db, write } = await setup();
    const old = await write.addPhoto(MEETING, photo(HASH_A));
    const bad: PreparedPhoto = { hash: "not a hash", blob: new Blob(["x"]), type: "image/webp" };
    await expect(write.retakePhoto(old, bad)).rejects.toThrow();
    expect(await live(db, "board_photo", old)).toBe(true);
    expect(await db.blobs.toCollection().primaryKeys()).toEqual([HASH_A]);
  });
});
