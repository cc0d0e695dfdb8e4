// Issue 12's dead end on the tablet's write path: meeting 4 finished without the "next is the
// closing meeting" tick made meeting 5 a follow-up, and meeting 5 then could not be finished
// in any way the screen offered (the tick, a date, neither). Now the fifth is always made as
// the closing meeting, and a fifth follow-up made before is finished as the closing one.
import "fake-indexeddb/auto";

import { describe, expect, it } from "vitest";

import { recordKey, TrivselDB } from "../db/db";
import { Clock } from "../sync/clock";
import { ChangeRefused, LocalStore } from "../sync/store";
import { validateChange } from "./validate";
import { Writes } from "./writes";

const COURSE = "00000000-0000-4000-8000-00000000c001";
const CHILD = "00000000-0000-4000-8000-00000000c0d1";
const ids = [1, 2, 3, 4, 5].map((n) => `00000000-0000-4000-8000-00000000e00${n}`);
const at = (days: number) => new Date(Date.UTC(2026, 11, 1, 9) + days * 86_400_000).toISOString();
const heldAt = at(90);

async function course(meetings: number) {
  const db = new TrivselDB(`five-${Math.random()}`);
  const store = new LocalStore(db, async () => new Clock("d", () => 1_795_000_000_000), { validate: validateChange });
  await db.setMeta("user", { id: "u1", email: "", name: "", role: "family_unit", institution_id: null });
  const pulled = (entity: string, id: string, fields: Record<string, unknown>, scope = `course:${COURSE}`) =>
    store.receive({ entity, id, version: 1, scope, deleted: false, fields });
  await pulled("child", CHILD, { first_name: "Emma" }, `child:${CHILD}`);
  await pulled("course", COURSE, { child_id: CHILD, status: "active", leader_id: "u1" });
  for (const [n, id] of ids.slice(0, meetings).entries()) {
    await pulled("meeting", id, { course_id: COURSE, kind: n === 0 ? "start" : "follow_up", starts_at: at(30 * n),
      status: n < 3 ? "finished" : "planned", child_participation: "whole", child_perspective: "",
      next_meeting_at: n < 3 ? at(30 * (n + 1)) : null, underretning: false });
  }
  return { db, store, write: new Writes(store) };
}

async function refused(promise: Promise<unknown>): Promise<ChangeRefused | null> {
  try {
    await promise;
    return null;
  } catch (err) {
    if (err instanceof ChangeRefused) return err;
    throw err;
  }
}

describe("meeting 5 of 5", () => {
  it("is always made as the closing meeting when meeting 4 is finished, tick or not", async () => {
    const { db, write } = await course(4);
    expect(await refused(write.finishMeeting(ids[3]!, { next: { at: at(120), closing: false }, heldAt }))).toBeNull();
    const fifth = (await db.records.where("entity").equals("meeting").toArray()).find((m) => !ids.includes(m.id));
    expect(fifth?.fields["kind"]).toBe("closing");
  });

  it("made as a follow-up before the fix: refused with the tick, a date and neither, finished as the closing one", async () => {
    const { db, store, write } = await course(4);
    await db.records.update(recordKey("meeting", ids[3]!), { "fields.status": "finished" });
    await store.receive({ entity: "meeting", id: ids[4]!, version: 1, scope: `course:${COURSE}`, deleted: false,
      fields: { course_id: COURSE, kind: "follow_up", starts_at: at(120), status: "planned", child_participation: "whole",
        child_perspective: "", next_meeting_at: null, underretning: false } });
    for (const next of [{ at: null, closing: true }, { at: at(140), closing: false }, { at: null, closing: false }]) {
      const refusal = await refused(write.finishMeeting(ids[4]!, { next, heldAt }));
      expect(refusal?.problems["kind"]).toEqual({ rule: "process", code: "last_meeting_must_close" });
    }
    expect(await refused(write.finishMeeting(ids[4]!, { next: null, heldAt }))).toBeNull();
    const fifth = await db.records.get(recordKey("meeting", ids[4]!));
    expect(fifth?.fields).toMatchObject({ kind: "closing", status: "finished", held_at: heldAt });
    expect((await db.records.get(recordKey("course", COURSE)))?.fields["status"]).toBe("active"); // until the server says
  });
});
