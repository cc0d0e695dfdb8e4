// What a meeting shows of the meetings before it (the course as one story), read from the
// device's own records, so it is there offline: the last meeting's "Det vi vil se ske" and
// agreements (for the review), who was carried over, the scaling answers across the course.

import type { RecordKind } from "../contract/contract.gen";
import type { TrivselDB } from "../db/db";
import { alive, getRecord, ofKind, recordsUnder, type Stored } from "./records";

export interface SinceLast {
  /** The meeting before this one in the course (undefined for the first). */
  previous: Stored<"meeting"> | undefined;
  /** Its notes in "Det vi vil se ske", in board order. */
  lastBoard: Stored<"board_note">[];
  /** Its agreements, to be reviewed here. */
  agreements: Stored<"agreement">[];
  /** This meeting's agreements that carry one of those on, by the one they carry on. */
  carried: Map<string, Stored<"agreement">>;
  /** How many of this meeting's participants came over from the last meeting. */
  carriedPeople: number;
}

export interface ScalingView {
  /** The course's live meetings, in order. */
  meetings: Stored<"meeting">[];
  /** Every live answer to the scaling question in the course. */
  answers: Stored<"scaling_answer">[];
  childName: string;
}

const byStart = (a: Stored<"meeting">, b: Stored<"meeting">) =>
  a.fields.starts_at.localeCompare(b.fields.starts_at) || a.id.localeCompare(b.id);
const byPosition = (a: Stored<"board_note">, b: Stored<"board_note">) =>
  (a.fields.position ?? 0) - (b.fields.position ?? 0);

// Live queries (data/queries.ts → useLive) track what they read only while their Dexie
// promises are awaited directly: each query here is one Dexie call, the parts of several
// meetings fetched at once (anyOf), never a chain of nested async helpers (data/records.ts
// returns Dexie's own promises).

export async function sinceLast(db: TrivselDB, meetingId: string): Promise<SinceLast> {
  const meeting = await getRecord(db, "meeting", meetingId);
  const courseId = meeting?.fields.course_id ?? "";
  const meetings = alive(await recordsUnder(db, "meeting", courseId)).sort(byStart);
  const previous = meetings[meetings.findIndex((m) => m.id === meetingId) - 1];
  if (!previous) return { previous, lastBoard: [], agreements: [], carried: new Map(), carriedPeople: 0 };
  const parts = alive(await db.records.where("[entity+parentId]").anyOf([
    ["agreement", previous.id], ["agreement", meetingId], ["participant", previous.id],
    ["participant", meetingId], ["board_note", previous.id]]).toArray());
  const of = <K extends RecordKind>(entity: K, parent: string) =>
    ofKind(parts, entity).filter((r) => r.parentId === parent);
  const carried = new Map(of("agreement", meetingId).flatMap((a) =>
    a.fields.carried_from_id ? [[a.fields.carried_from_id, a] as const] : []));
  const person = (p: Stored<"participant">) => `${p.fields.role}|${p.fields.name}`;
  const before = new Set(of("participant", previous.id).map(person));
  return {
    previous,
    lastBoard: of("board_note", previous.id).filter((n) => n.fields.column === "next_steps").sort(byPosition),
    agreements: of("agreement", previous.id),
    carried,
    carriedPeople: of("participant", meetingId).filter((p) => before.has(person(p))).length,
  };
}

export async function scaling(db: TrivselDB, courseId: string): Promise<ScalingView> {
  const course = await getRecord(db, "course", courseId);
  const child = await getRecord(db, "child", course?.fields.child_id ?? "");
  const meetings = alive(await recordsUnder(db, "meeting", courseId)).sort(byStart);
  const answers = ofKind(alive(await db.records.where("[entity+parentId]")
    .anyOf(meetings.map((m) => ["scaling_answer", m.id])).toArray()), "scaling_answer");
  return { meetings, answers, childName: child?.fields.first_name ?? "" };
}

/** One line per person (role and name), with their answer at each meeting of the course. */
export interface Series {
  key: string;
  name: string;
  role: string;
  values: Array<number | null>; // by meeting, in order
}

export function seriesOf(view: ScalingView): Series[] {
  const index = new Map(view.meetings.map((m, i) => [m.id, i]));
  const lines = new Map<string, Series>();
  for (const a of view.answers) {
    const at = index.get(a.fields.meeting_id);
    if (at === undefined) continue;
    const { role, name } = a.fields;
    const key = `${role}|${name}`;
    const line = lines.get(key) ?? { key, name, role, values: view.meetings.map(() => null) };
    line.values[at] = a.fields.value;
    lines.set(key, line);
  }
  return [...lines.values()];
}
