// Each meeting starts from the last, on the tablet and offline: participants carried over
// (not yet present), the last meeting's agreements reviewed and carried on, its "Det vi vil
// se ske" shown, the scaling question answered — all with ids two tablets make alike.
import "fake-indexeddb/auto";

import { liveQuery } from "dexie";
import { describe, expect, it } from "vitest";

import { recordKey, TrivselDB } from "../db/db";
import { finishTiming } from "../domain/finishing";
import { carriedParticipantId, nextMeetingId, scalingAnswerId } from "../domain/ids";
import { Clock } from "../sync/clock";
import { ChangeRefused, LocalStore } from "../sync/store";
import { seriesOf, scaling, sinceLast } from "./story";
import { validateChange } from "./validate";
import { Writes } from "./writes";

const COURSE = "00000000-0000-4000-8000-00000000c001";
const CHILD = "00000000-0000-4000-8000-00000000c0d1";
const START = "00000000-0000-4000-8000-00000000e001";
const MOTHER = "00000000-0000-4000-8000-0000000000a1";
const TEACHER = "00000000-0000-4000-8000-0000000000a2";
const PROMISE = "00000000-0000-4000-8000-0000000000b1";
const heldAt = "2026-12-01T09:58:00.000Z";

async function tablet(db = new TrivselDB(`story-${Math.random()}`)) {
  const store = new LocalStore(db, async () => new Clock("d", () => 1_795_000_000_000), { validate: validateChange });
  await db.setMeta("user", { id: "u1", email: "", name: "", role: "family_unit", institution_id: null });
  const pulled = (entity: string, id: string, fields: Record<string, unknown>, scope = `course:${COURSE}`) =>
    store.receive({ entity, id, version: 1, scope, deleted: false, fields });
  await pulled("child", CHILD, { first_name: "Emma" }, `child:${CHILD}`);
  await pulled("course", COURSE, { child_id: CHILD, status: "active", leader_id: "u1" });
  await pulled("meeting", START, { course_id: COURSE, kind: "start", starts_at: "2026-12-01T09:00:00+00:00",
    status: "planned", child_participation: "whole", child_perspective: "", next_meeting_at: null,
    underretning: false, place: "Solsikken" });
  await pulled("participant", MOTHER, { meeting_id: START, name: "Mette Jensen", role: "guardian", present: true,
    user_id: null, guardian_id: null });
  await pulled("participant", TEACHER, { meeting_id: START, name: "Peter Pædagog", role: "educator", present: true,
    user_id: null, guardian_id: null });
  await pulled("agreement", PROMISE, { meeting_id: START, what: "Mor ringer til PPR", owner: "guardians",
    due_date: null, done: false, outcome: null, carried_from_id: null });
  await pulled("board_note", "00000000-0000-4000-8000-0000000000c1", { meeting_id: START, column: "next_steps",
    text: "Emma leger med en ven", position: 1 });
  return { db, store, write: new Writes(store) };
}

describe("the next meeting starts from the last", () => {
  it("is made with the participants carried over, not yet present, under ids every tablet makes alike", async () => {
    const { db, write } = await tablet();
    await write.finishMeeting(START, { next: { at: "2026-12-29T09:00:00.000Z", closing: false }, heldAt });
    const next = await db.records.get(recordKey("meeting", nextMeetingId(START)));
    expect(next?.fields).toMatchObject({ kind: "follow_up", starts_at: "2026-12-29T09:00:00.000Z", place: "Solsikken" });
    const people = await db.records.where("[entity+parentId]").equals(["participant", next!.id]).toArray();
    expect(people.map((p) => [p.id, p.fields["name"], p.fields["present"]]).sort()).toEqual([
      [carriedParticipantId(next!.id, MOTHER), "Mette Jensen", false],
      [carriedParticipantId(next!.id, TEACHER), "Peter Pædagog", false]].sort());
    // A second tablet finishing the same meeting offline makes the very same records.
    const other = await tablet();
    await other.write.finishMeeting(START, { next: { at: "2026-12-30T09:00:00.000Z", closing: false }, heldAt });
    const ids = async (d: TrivselDB) => (await d.queued()).map((e) => `${e.entity}:${e.recordId}`).sort();
    expect(await ids(other.db)).toEqual(await ids(db));
  });

  it("shows the last board's wishes and agreements, counts who came over, and reviews offline", async () => {
    const { db, write } = await tablet();
    await write.finishMeeting(START, { next: { at: "2026-12-29T09:00:00.000Z", closing: false }, heldAt });
    const next = nextMeetingId(START);
    const since = await sinceLast(db, next);
    expect(since.previous?.id).toBe(START);
    expect(since.lastBoard.map((n) => n.fields["text"])).toEqual(["Emma leger med en ven"]);
    expect(since.agreements.map((a) => a.id)).toEqual([PROMISE]);
    expect(since.carriedPeople).toBe(2);
    await write.carryOnAgreement(PROMISE, next);
    let after = await sinceLast(db, next);
    const carried = after.carried.get(PROMISE);
    expect(carried?.fields).toMatchObject({ what: "Mor ringer til PPR", carried_from_id: PROMISE, meeting_id: next });
    expect((await db.records.get(recordKey("agreement", PROMISE)))?.fields["outcome"]).toBe("carried_on");
    // Changing one's mind takes the carried-on agreement back.
    await write.reviewAgreement(PROMISE, "done", next);
    after = await sinceLast(db, next);
    expect(after.carried.size).toBe(0);
    expect((await db.records.get(recordKey("agreement", PROMISE)))?.fields).toMatchObject({ outcome: "done", done: true });
  });

  it("ends the course when asked: the meeting becomes the closing one and planned later meetings are cancelled", async () => {
    const { db, store, write } = await tablet();
    await write.finishMeeting(START, { next: { at: "2026-12-29T09:00:00.000Z", closing: false }, heldAt });
    const second = nextMeetingId(START);
    const later = "00000000-0000-4000-8000-00000000e009"; // planned elsewhere, never held
    await store.receive({ entity: "meeting", id: later, version: 1, scope: `course:${COURSE}`, deleted: false,
      fields: { course_id: COURSE, kind: "follow_up", starts_at: "2027-02-20T09:00:00+00:00", status: "planned",
        child_participation: null, child_perspective: "", next_meeting_at: null, underretning: false } });
    await write.finishMeeting(second, { next: null, heldAt }, { child_participation: "whole" });
    expect((await db.records.get(recordKey("meeting", second)))?.fields).toMatchObject(
      { kind: "closing", status: "finished", held_at: heldAt });
    expect((await db.records.get(recordKey("meeting", later)))?.deleted).toBe(true);
    expect((await db.queued()).slice(-2).map((e) => [e.recordId, e.op])).toEqual([[later, "delete"], [second, "upsert"]]);
  });
});

describe("the scaling question", () => {
  it("keeps one answer per person and meeting, refuses answers outside 0–10, and charts the course", async () => {
    const { db, write } = await tablet();
    const mother = { participantId: MOTHER, name: "Mette Jensen", role: "guardian" as const };
    await write.setScaling(START, mother, 3);
    await write.setScaling(START, mother, 4);
    await write.setScaling(START, { participantId: null, name: "Emma", role: "child" }, 2);
    for (const bad of [11, -1, 2.5]) {
      await expect(write.setScaling(START, mother, bad)).rejects.toBeInstanceOf(ChangeRefused);
    }
    const view = await scaling(db, COURSE);
    expect(view.answers.map((a) => a.id).sort()).toEqual(
      [scalingAnswerId(START, MOTHER), scalingAnswerId(START, "child")].sort());
    expect(seriesOf(view).map((s) => [s.name, s.values])).toEqual([["Mette Jensen", [4]], ["Emma", [2]]]);
    await write.setScaling(START, mother, null);
    expect(seriesOf(await scaling(db, COURSE)).map((s) => s.name)).toEqual(["Emma"]);
  });
});

describe("finishing on another day than the meeting's own", () => {
  const at = (y: number, m: number, d: number, h = 12, min = 0) => new Date(y, m - 1, d, h, min);
  const starts = at(2027, 1, 12, 16).toISOString();
  it("is asked about on an earlier day, or more than a week after, never on its own day", () => {
    expect(finishTiming(starts, at(2027, 1, 12, 15, 58))).toEqual({ kind: "on_time" });
    expect(finishTiming(starts, at(2027, 1, 12, 0, 5))).toEqual({ kind: "on_time" }); // hours early, same day
    expect(finishTiming(starts, at(2027, 1, 11, 23, 59))).toEqual({ kind: "early", days: 1 });
    expect(finishTiming(starts, at(2026, 11, 23, 10))).toEqual({ kind: "early", days: 50 });
    expect(finishTiming(starts, at(2027, 1, 19, 23, 0))).toEqual({ kind: "on_time" });
    expect(finishTiming(starts, at(2027, 1, 20, 8, 0))).toEqual({ kind: "late", days: 8 });
  });
});

describe("live on screen", () => {
  it("shows a review, a carried-on agreement and a scaling answer at once (live queries see them)", async () => {
    const { db, write } = await tablet();
    await write.finishMeeting(START, { next: { at: "2026-12-29T09:00:00.000Z", closing: false }, heldAt });
    const next = nextMeetingId(START);
    const reviews: unknown[] = [];
    const charts: unknown[] = [];
    const a = liveQuery(() => sinceLast(db, next)).subscribe({
      next: (v) => reviews.push([v.agreements.map((x) => x.fields["outcome"]), v.carried.size]) });
    const b = liveQuery(() => scaling(db, COURSE)).subscribe({ next: (v) => charts.push(v.answers.length) });
    const settle = () => new Promise((r) => setTimeout(r, 150));
    await settle();
    await write.setPresent(carriedParticipantId(next, MOTHER), true);
    await write.reviewAgreement(PROMISE, "done", next);
    await settle();
    await write.carryOnAgreement(PROMISE, next);
    await settle();
    await write.setScaling(next, { participantId: carriedParticipantId(next, MOTHER), name: "Mette Jensen", role: "guardian" }, 5);
    await settle();
    a.unsubscribe();
    b.unsubscribe();
    expect(reviews.at(-1)).toEqual([["carried_on"], 1]);
    expect(reviews).toContainEqual([["done"], 0]);
    expect(charts.at(-1)).toBe(1);
  });
});
