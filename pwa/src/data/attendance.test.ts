// Attendance at the table (issue 23): the start meeting comes with the people expected
// (server/meetings/attendance.py); adding one of them by name ticks them rather than listing
// them twice, and who was only expected (never came) is not carried to the next meeting.
import "fake-indexeddb/auto";

import { describe, expect, it } from "vitest";

import { TrivselDB } from "../db/db";
import { carriedParticipantId, nextMeetingId } from "../domain/ids";
import { Clock } from "../sync/clock";
import { LocalStore } from "../sync/store";
import { validateChange } from "./validate";
import { Writes } from "./writes";

const COURSE = "00000000-0000-4000-8000-00000000c001";
const CHILD = "00000000-0000-4000-8000-00000000c0d1";
const START = "00000000-0000-4000-8000-00000000e001";
const MOTHER = "00000000-0000-4000-8000-0000000000a1";
const FATHER = "00000000-0000-4000-8000-0000000000a2";

async function tablet() {
  const db = new TrivselDB(`attendance-${Math.random()}`);
  const store = new LocalStore(db, async () => new Clock("d", () => 1_795_000_000_000), { validate: validateChange });
  await db.setMeta("user", { id: "u1", email: "", name: "", role: "family_unit", institution_id: null });
  const pulled = (entity: string, id: string, fields: Record<string, unknown>, scope = `course:${COURSE}`) =>
    store.receive({ entity, id, version: 1, scope, deleted: false, fields });
  await pulled("child", CHILD, { first_name: "Emma" }, `child:${CHILD}`);
  await pulled("course", COURSE, { child_id: CHILD, status: "active", leader_id: "u1" });
  await pulled("meeting", START, { course_id: COURSE, kind: "start", starts_at: "2026-12-01T09:00:00+00:00",
    status: "planned", child_participation: "whole", child_perspective: "", next_meeting_at: null,
    underretning: false, place: "Solsikken" });
  // Filled in from the course: each names the guardian record it stands for.
  for (const [id, name] of [[MOTHER, "Mette Jensen"], [FATHER, "Jens Jensen"]] as const) {
    await pulled("guardian", id.replace(/a(\d)$/, "f$1"), { child_id: CHILD, name, has_custody: true }, `child:${CHILD}`);
    await pulled("participant", id, { meeting_id: START, name, role: "guardian", present: false,
      user_id: null, guardian_id: id.replace(/a(\d)$/, "f$1") });
  }
  return { db, write: new Writes(store) };
}

const people = async (db: TrivselDB, meetingId: string) =>
  (await db.records.where("[entity+parentId]").equals(["participant", meetingId]).toArray())
    .map((p) => [p.id, p.fields["name"], p.fields["present"]]);

describe("attendance", () => {
  it("ticks a listed person added again by name instead of listing them twice", async () => {
    const { db, write } = await tablet();
    expect(await write.addParticipant(START, { name: " mette jensen ", role: "guardian" })).toBe(MOTHER);
    expect((await people(db, START)).sort()).toEqual([[MOTHER, "Mette Jensen", true], [FATHER, "Jens Jensen", false]]);
  });

  it("carries on who came and who was added, not who was only expected", async () => {
    const { db, write } = await tablet();
    await write.setPresent(MOTHER, true);
    const added = await write.addParticipant(START, { name: "Peter Pædagog", role: "educator" });
    await write.setPresent(added, false); // added by hand, then unticked: still carried, as before
    await write.finishMeeting(START, { next: { at: "2026-12-29T09:00:00.000Z", closing: false },
      heldAt: "2026-12-01T09:58:00.000Z" });
    const next = nextMeetingId(START);
    expect((await people(db, next)).sort()).toEqual([
      [carriedParticipantId(next, MOTHER), "Mette Jensen", false],
      [carriedParticipantId(next, added), "Peter Pædagog", false]].sort());
    // The mother, carried in, stays on the list at the next meeting even if she misses this one.
    await write.finishMeeting(next, { next: { at: "2027-01-26T09:00:00.000Z", closing: false },
      heldAt: "2026-12-29T09:58:00.000Z" }, { child_participation: "whole" });
    const third = nextMeetingId(next);
    expect((await people(db, third)).map((p) => p[1]).sort()).toEqual(["Mette Jensen", "Peter Pædagog"]);
  });
});
