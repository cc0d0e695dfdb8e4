// A course as the process rules (domain/rules.ts) see it, read from the device's database.

import type { Fields, LocalRecord, TrivselDB } from "../db/db";
import type { CourseState, MeetingState } from "../domain/rules";
import { getRecord, recordsUnder } from "./records";

/** A meeting as the rules take it; its fields may be a change not checked yet (data/validate.ts),
 * so each is read for what it is. */
export function meetingState(record: Pick<LocalRecord, "id" | "fields" | "deleted">): MeetingState {
  const f: Fields = record.fields;
  return {
    ...f, id: record.id, kind: String(f["kind"] ?? ""), starts_at: String(f["starts_at"] ?? ""),
    status: String(f["status"] ?? "planned"),
    child_participation: typeof f["child_participation"] === "string" ? f["child_participation"] : null,
    child_perspective: String(f["child_perspective"] ?? ""),
    next_meeting_at: typeof f["next_meeting_at"] === "string" ? f["next_meeting_at"] : null,
    underretning: f["underretning"] === true, deleted: record.deleted,
  };
}

/** The course with all its meetings (deleted ones marked), or null when not on the device. */
export async function courseState(db: TrivselDB, courseId: string): Promise<CourseState | null> {
  const course = await getRecord(db, "course", courseId);
  if (!course) return null;
  const meetings = await recordsUnder(db, "meeting", courseId);
  return { status: course.fields.status ?? "active", meetings: meetings.map(meetingState) };
}
