// A course as the process rules (domain/rules.ts) see it, read from the device's database.

import type { MeetingRecord } from "../contract/contract.gen";
import type { TrivselDB } from "../db/db";
import type { CourseState, MeetingState } from "../domain/rules";
import { getRecord, recordsUnder } from "./records";

/** A meeting as the rules take it: a stored one, or a new one being checked (data/validate.ts),
 * which may lack what the server fills in. */
export function meetingState(record: { id: string; deleted: boolean; fields: Partial<MeetingRecord> }): MeetingState {
  const f = record.fields;
  return {
    ...f, id: record.id, kind: f.kind ?? "", starts_at: f.starts_at ?? "", status: f.status ?? "planned",
    child_participation: f.child_participation ?? null, child_perspective: f.child_perspective ?? "",
    next_meeting_at: f.next_meeting_at ?? null, underretning: f.underretning === true, deleted: record.deleted,
  };
}

/** The course with all its meetings (deleted ones marked), or null when not on the device. */
export async function courseState(db: TrivselDB, courseId: string): Promise<CourseState | null> {
  const course = await getRecord(db, "course", courseId);
  if (!course) return null;
  const meetings = await recordsUnder(db, "meeting", courseId);
  return { status: course.fields.status ?? "active", meetings: meetings.map(meetingState) };
}
