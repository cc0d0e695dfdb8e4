// The tablet's one write path: named changes, checked against the server's rules before they
// are queued, refusals that keep the user's text, and discards that can be undone.
import "fake-indexeddb/auto";

import { describe, expect, it } from "vitest";

import { recordKey, TrivselDB } from "../db/db";
import { Clock } from "../sync/clock";
import { ChangeRefused, LocalStore } from "../sync/store";
import { problemsAt } from "./problems";
import { summarize } from "./summary";
import { validateChange } from "./validate";
import { Writes } from "./writes";

const COURSE = "00000000-0000-4000-8000-00000000c001";
const CHILD = "00000000-0000-4000-8000-00000000c0d1";
const MEETING = "00000000-0000-4000-8000-00000000e001";

async function setup(role = "family_unit") {
  const db = new TrivselDB(`w-${Math.random()}`);
  const store = new LocalStore(db, async () => new Clock("d", () => 1_795_000_000_000), { validate: validateChange });
  await db.setMeta("user", { id: "u1", email: "", name: "", role, institution_id: null });
  const pulled = (entity: string, id: string, fields: Record<string, unknown>, scope = `course:${COURSE}`) =>
    store.receive({ entity, id, version: 1, scope, deleted: false, fields });
  await pulled("child", CHILD, { first_name: "Emma" }, `child:${CHILD}`);
  await pulled("course", COURSE, { child_id: CHILD, status: "active", leader_id: "u1" });
  await pulled("meeting", MEETING, { course_id: COURSE, kind: "start", starts_at: "2026-12-01T09:00:00+00:00",
    status: "planned", child_participation: null, child_perspective: "", next_meeting_at: null, underretning: false });
  return { db, store, write: new Writes(store) };
}

async function refusal(promise: Promise<unknown>): Promise<ChangeRefused> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ChangeRefused) return err;
    throw err;
  }
  throw new Error("the change was not refused");
}

describe("the write path", () => {
  it("refuses a 5,000-character note at once, naming the limit, and queues nothing", async () => {
    const { db, write } = await setup();
    const refused = await refusal(write.addNote(MEETING, "worries", "x".repeat(5000)));
    expect(refused.problems).toEqual({ text: { rule: "tooLong", limit: 2000, actual: 5000 } });
    expect(await db.outbox.count()).toBe(0);
    expect(await db.records.where("entity").equals("board_note").count()).toBe(0);
    await write.addNote(MEETING, "worries", "x".repeat(1512));
    expect(await db.outbox.count()).toBe(1);
  });

  it("refuses a note for a meeting that is not on the device, and a note moved to another meeting", async () => {
    const { store, write } = await setup();
    const elsewhere = "00000000-0000-4000-8000-0000000000ff";
    expect((await refusal(write.addNote(elsewhere, "worries", "x"))).problems)
      .toEqual({ meeting_id: { rule: "missingRef", entity: "meeting" } });
    const id = await write.addNote(MEETING, "worries", "x");
    await store.settle((await store.db.queued())[0]!, { id: null, status: "applied", version: 1 });
    const moved = await refusal(store.apply([
      { entity: "board_note", recordId: id, op: "upsert", fields: { meeting_id: elsewhere } }]));
    expect(moved.problems).toEqual({ meeting_id: { rule: "fixed" } });
  });

  it("checks the process rules before a meeting is finished, and finishes it with the next meeting", async () => {
    const { db, write } = await setup();
    const heldAt = "2026-12-01T09:58:00.000Z";
    const early = await refusal(write.finishMeeting(MEETING, { next: { at: null, closing: false }, heldAt }));
    expect(early.problems).toEqual({
      child_participation: { rule: "process", code: "child_participation_missing" },
      next_meeting_at: { rule: "process", code: "next_meeting_missing" },
    });
    const late = await refusal(write.finishMeeting(MEETING, { next: { at: "2027-06-09T09:00:00.000Z", closing: false }, heldAt },
      { child_participation: "part", child_perspective: "Emma tegnede" }));
    expect(late.problems).toEqual({ next_meeting_at: { rule: "process", code: "next_meeting_outside_window" } });
    expect(await db.outbox.count()).toBe(0);
    await write.finishMeeting(MEETING, { next: { at: "2027-01-12T09:00:00.000Z", closing: false }, heldAt },
      { child_participation: "part", child_perspective: "Emma tegnede" });
    const queued = await db.queued();
    expect(queued.map((e) => [e.entity, e.fields["status"] ?? e.fields["kind"]])).toEqual([
      ["meeting", "finished"], ["meeting", "follow_up"]]);
    expect(queued[0]!.fields["held_at"]).toBe(heldAt);
    expect(queued.every((e) => e.meetingId === MEETING || e.fields["kind"] === "follow_up")).toBe(true);
  });

  it("refuses what the user's role may not do", async () => {
    const { write } = await setup("educator");
    expect((await refusal(write.publishReport(MEETING))).problems).toEqual({ "*": { rule: "role", role: "educator" } });
  });

  it("keeps a refused note, lets it be discarded with undo, and copies its text", async () => {
    const { db, store, write } = await setup();
    const id = await write.addNote(MEETING, "worries", "Emma er ked af det");
    const [entry] = await db.queued();
    await store.settle(entry!, { id: entry!.id, status: "rejected", error: { code: "forbidden", message: "", fields: {} } });
    expect((await db.records.get(recordKey("board_note", id)))?.fields["text"]).toBe("Emma er ked af det");
    const [problem] = (await problemsAt(db, MEETING)).all;
    expect(problem).toMatchObject({ kind: "refused", text: "Emma er ked af det" });
    expect(await summarize(db)).toMatchObject({ refused: 1, unsent: 0 });
    const discardId = await write.discard(entry!.seq!);
    expect(await db.records.get(recordKey("board_note", id))).toBeUndefined();
    expect(await summarize(db)).toMatchObject({ refused: 0, unsent: 0 });
    expect((await problemsAt(db, MEETING)).loose).toMatchObject([{ kind: "discarded", text: "Emma er ked af det" }]);
    await write.undoDiscard(discardId!);
    expect((await db.records.get(recordKey("board_note", id)))?.fields["text"]).toBe("Emma er ked af det");
    expect((await problemsAt(db, MEETING)).all.map((p) => p.kind)).toEqual(["refused"]);
  });

  it("deleting a note the server never took is a discard, kept for undo", async () => {
    const { db, store, write } = await setup();
    const id = await write.addNote(MEETING, "working", "Leger med Ida");
    const [entry] = await db.queued();
    await store.settle(entry!, { id: entry!.id, status: "rejected", error: { code: "not_found", message: "", fields: {} } });
    await write.deleteNote(id);
    expect(await db.outbox.count()).toBe(0); // nothing to delete on the server
    expect((await problemsAt(db, MEETING)).loose.map((p) => p.kind)).toEqual(["discarded"]);
  });

  it("moves a note between and within columns with one change each", async () => {
    const { db, write } = await setup();
    const a = await write.addNote(MEETING, "worries", "a");
    const b = await write.addNote(MEETING, "worries", "b");
    const c = await write.addNote(MEETING, "working", "c");
    await write.moveNote(b, { index: 0 });
    await write.moveNote(a, { index: 0, column: "working" });
    const notes = await db.records.where("entity").equals("board_note").toArray();
    const order = (column: string) => notes.filter((n) => n.fields["column"] === column)
      .sort((x, y) => Number(x.fields["position"]) - Number(y.fields["position"])).map((n) => n.id);
    expect(order("worries")).toEqual([b]);
    expect(order("working")).toEqual([a, c]);
  });

  it("takes two quick taps in order: each move starts where the one before left the note", async () => {
    const { db, write } = await setup();
    const ids = [];
    for (const text of ["1", "2", "3"]) ids.push(await write.addNote(MEETING, "next_steps", text));
    await Promise.all([write.moveNoteBy(ids[2]!, -1), write.moveNoteBy(ids[2]!, -1)]); // not awaited in between
    const notes = (await db.records.where("entity").equals("board_note").toArray())
      .sort((x, y) => Number(x.fields["position"]) - Number(y.fields["position"]));
    expect(notes.map((n) => n.fields["text"])).toEqual(["3", "1", "2"]);
  });

  it("restores a lost value and closes its conflict together", async () => {
    const { db, store, write } = await setup();
    const note = "00000000-0000-4000-8000-0000000000a1";
    await store.receive({ entity: "board_note", id: note, version: 2, scope: `course:${COURSE}`, deleted: false,
      fields: { meeting_id: MEETING, column: "worries", text: "theirs" } });
    await store.receive({ entity: "conflict", id: "k1", version: 1, scope: "user:u1", deleted: false,
      fields: { entity: "board_note", record_id: note, field: "text", value: "mine", winning_value: "theirs",
        kind: "field", resolved: false } });
    expect((await problemsAt(db, MEETING)).byRecord.get(note)).toMatchObject([{ kind: "conflict", mine: "mine" }]);
    await write.restoreConflict("k1");
    expect((await db.records.get(recordKey("board_note", note)))?.fields["text"]).toBe("mine");
    expect((await db.queued()).map((e) => e.entity)).toEqual(["board_note", "conflict"]);
    expect((await problemsAt(db, MEETING)).all).toEqual([]);
  });
});
