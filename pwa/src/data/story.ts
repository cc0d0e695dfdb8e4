// What a meeting shows of the meetings before it (the course as one story), read from the
// device's own records, so it is there offline: the last meeting's "Det vi vil se ske" and
// agreements (for the review), who was carried over, the scaling answers across the course.

import { type LocalRecord, recordKey, type TrivselDB } from "../db/db";

export interface SinceLast {
  /** The meeting before this one in the course (undefined for the first). */
  previous: LocalRecord | undefined;
  /** Its notes in "Det vi vil se ske", in board order. */
  lastBoard: LocalRecord[];
  /** Its agreements, to be reviewed here. */
  agreements: LocalRecord[];
  /** This meeting's agreements that carry one of those on, by the one they carry on. */
  carried: Map<string, LocalRecord>;
  /** How many of this meeting's participants came over from the last meeting. */
  carriedPeople: number;
}

export interface ScalingView {
  /** The course's live meetings, in order. */
  meetings: LocalRecord[];
  /** Every live answer to the scaling question in the course. */
  answers: LocalRecord[];
  childName: string;
}

const byStart = (a: LocalRecord, b: LocalRecord) =>
  String(a.fields["starts_at"]).localeCompare(String(b.fields["starts_at"])) || a.id.localeCompare(b.id);
const byPosition = (a: LocalRecord, b: LocalRecord) =>
  Number(a.fields["position"] ?? 0) - Number(b.fields["position"] ?? 0);

async function live(db: TrivselDB, entity: string, parentId: string): Promise<LocalRecord[]> {
  return (await db.records.where("[entity+parentId]").equals([entity, parentId]).toArray()).filter((r) => !r.deleted);
}

async function courseMeetings(db: TrivselDB, courseId: string): Promise<LocalRecord[]> {
  return (await live(db, "meeting", courseId)).sort(byStart);
}

export async function sinceLast(db: TrivselDB, meetingId: string): Promise<SinceLast> {
  const meeting = await db.records.get(recordKey("meeting", meetingId));
  const meetings = meeting ? await courseMeetings(db, String(meeting.fields["course_id"])) : [];
  const previous = meetings[meetings.findIndex((m) => m.id === meetingId) - 1];
  const empty = { previous, lastBoard: [], agreements: [], carried: new Map(), carriedPeople: 0 };
  if (!previous) return empty;
  const mine = await live(db, "agreement", meetingId);
  const carried = new Map(mine.filter((a) => a.fields["carried_from_id"])
    .map((a) => [String(a.fields["carried_from_id"]), a] as const));
  const before = new Set((await live(db, "participant", previous.id))
    .map((p) => `${String(p.fields["role"])}|${String(p.fields["name"])}`));
  const people = await live(db, "participant", meetingId);
  return {
    previous,
    lastBoard: (await live(db, "board_note", previous.id)).filter((n) => n.fields["column"] === "next_steps").sort(byPosition),
    agreements: await live(db, "agreement", previous.id),
    carried,
    carriedPeople: people.filter((p) => before.has(`${String(p.fields["role"])}|${String(p.fields["name"])}`)).length,
  };
}

export async function scaling(db: TrivselDB, courseId: string): Promise<ScalingView> {
  const meetings = await courseMeetings(db, courseId);
  const answers: LocalRecord[] = [];
  for (const m of meetings) answers.push(...await live(db, "scaling_answer", m.id));
  const course = await db.records.get(recordKey("course", courseId));
  const child = course ? await db.records.get(recordKey("child", String(course.fields["child_id"]))) : undefined;
  return { meetings, answers, childName: String(child?.fields["first_name"] ?? "") };
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
    const at = index.get(String(a.fields["meeting_id"]));
    if (at === undefined) continue;
    const role = String(a.fields["role"]);
    const name = String(a.fields["name"]);
    const key = `${role}|${name}`;
    const line = lines.get(key) ?? { key, name, role, values: view.meetings.map(() => null) };
    line.values[at] = Number(a.fields["value"]);
    lines.set(key, line);
  }
  return [...lines.values()];
}
