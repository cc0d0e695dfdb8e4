// A course as the process rules (domain/rules.ts) see it, read from the device's database.

import { type Fields, type LocalRecord, recordKey, type TrivselDB } from "../db/db";
import type { CourseState, MeetingState } from "../domain/rules";

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
  const course = await db.records.get(recordKey("course", courseId));
  if (!course) return null;
  const meetings = await db.records.where("[entity+parentId]").equals(["meeting", courseId]).toArray();
  return { status: String(course.fields["status"] ?? "active"), meetings: meetings.map(meetingState) };
}
