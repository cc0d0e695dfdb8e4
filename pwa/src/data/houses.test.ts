// The child's three houses on the tablet (issue 25 §3): one record per meeting, whichever
// tablet writes it (its id derived from the meeting), refused field by field by the server's
// own limits, and a drawing's photo kept apart from the board's photos.
import "fake-indexeddb/auto";

import { describe, expect, it } from "vitest";

import { TrivselDB } from "../db/db";
import { housesId } from "../domain/ids";
import { Clock } from "../sync/clock";
import { ChangeRefused, LocalStore } from "../sync/store";
import { Queries } from "./queries";
import { validateChange } from "./validate";
import { type PreparedPhoto, Writes } from "./writes";

const COURSE = "00000000-0000-4000-8000-00000000c001";
const CHILD = "00000000-0000-4000-8000-00000000c0d1";
const MEETING = "00000000-0000-4000-8000-00000000e001";
const photo = (hash: string): PreparedPhoto => ({ hash, blob: new Blob([hash]), type: "image/webp" });

async function tablet() {
  const db = new TrivselDB(`houses-${Math.random()}`);
  const store = new LocalStore(db, async () => new Clock("d", () => 1_795_000_000_000), { validate: validateChange });
  await db.setMeta("user", { id: "u1", email: "", name: "", role: "educator", institution_id: null });
  const pulled = (entity: string, id: string, fields: Record<string, unknown>) =>
    store.receive({ entity, id, version: 1, scope: `course:${COURSE}`, deleted: false, fields });
  await pulled("child", CHILD, { first_name: "Emma" });
  await pulled("course", COURSE, { child_id: CHILD, status: "active", leader_id: "u1" });
  await pulled("meeting", MEETING, { course_id: COURSE, kind: "start", starts_at: "2026-12-01T09:00:00+00:00",
    status: "planned", child_participation: null, child_perspective: "", next_meeting_at: null, underretning: false });
  return { db, write: new Writes(store), read: new Queries(db) };
}

describe("the child's three houses", () => {
  it("are one record per meeting, filled part by part, not shared until chosen", async () => {
    const { db, write, read } = await tablet();
    await write.saveHouses(MEETING, { worries: "Når far råber" });
    await write.saveHouses(MEETING, { dream: "En hest" });
    const houses = await read.houses(MEETING);
    expect(houses?.id).toBe(housesId(MEETING));
    expect(houses?.fields).toMatchObject({ worries: "Når far råber", dream: "En hest" });
    expect(houses?.fields.shared_with_parents ?? false).toBe(false);
    expect(await db.records.where("entity").equals("houses").count()).toBe(1);
    await write.saveHouses(MEETING, { shared_with_parents: true });
    expect((await read.houses(MEETING))?.fields.shared_with_parents).toBe(true);
  });

  it("refuse too long a text in one house before anything is queued", async () => {
    const { write, read } = await tablet();
    const refusal = await write.saveHouses(MEETING, { good: "x".repeat(5001) }).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(ChangeRefused);
    expect(Object.keys((refusal as ChangeRefused).problems)).toEqual(["good"]);
    expect(await read.houses(MEETING)).toBeUndefined();
  });

  it("keep a drawing's photo in its house, never on the board", async () => {
    const { write, read } = await tablet();
    const board = await write.addPhoto(MEETING, photo("a".repeat(64)));
    const drawing = await write.addPhoto(MEETING, photo("b".repeat(64)), "dream");
    expect((await read.photos(MEETING)).map((p) => p.id)).toEqual([board]);
    expect((await read.photos(MEETING, "dream")).map((p) => p.id)).toEqual([drawing]);
    expect(await read.photos(MEETING, "worries")).toEqual([]);
    // A retake stays in its house.
    const { id } = await write.retakePhoto(drawing, photo("c".repeat(64)));
    expect((await read.photos(MEETING, "dream")).map((p) => p.id)).toEqual([id]);
  });
});
