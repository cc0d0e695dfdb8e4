// What the store checks before it queues a change: the server's rules for one record (the
// generated contract), the records it names, the fields fixed at creation, the writer's role,
// and — for meetings — the process rules of the course (domain/rules.ts). Whatever the server
// would refuse for these reasons is refused here, at once, field by field.

import type { User } from "../api/auth";
import { checkFields, type FieldProblems, isEntity } from "../contract/check";
import { CONTRACT } from "../contract/contract.gen";
import type { EntityRules, FieldRule } from "../contract/types";
import { type Fields, type LocalRecord, recordKey, type TrivselDB } from "../db/db";
import { attempt, type Attempt, type CourseState, type MeetingState } from "../domain/rules";
import type { Prepared } from "../sync/store";

export async function validateChange(change: Prepared, db: TrivselDB): Promise<FieldProblems> {
  const { entity, fields, mode, current } = change;
  if (!isEntity(entity)) return { "*": { rule: "unknown" } };
  const rules: EntityRules = CONTRACT[entity];
  const user = await db.getMeta<User>("user");
  if (user && rules.writers && !rules.writers.includes(user.role)) return { "*": { rule: "role", role: user.role } };
  const problems: FieldProblems = change.op === "delete" ? {} : checkFields(entity, fields, mode);
  const before = current?.serverFields ?? current?.fields ?? {};
  for (const name of rules.fixed) {
    if (mode === "update" && name in fields && name in before && fields[name] !== before[name]) {
      problems[name] = { rule: "fixed" };
    }
  }
  const fieldRules: Readonly<Record<string, FieldRule>> = rules.fields;
  for (const [name, value] of Object.entries(fields)) {
    const target = fieldRules[name]?.ref;
    if (!target || typeof value !== "string" || problems[name] || value === before[name]) continue;
    const named = await db.records.get(recordKey(target, value));
    if (!named || named.deleted) problems[name] = { rule: "missingRef", entity: target };
  }
  if (entity === "meeting" && Object.keys(problems).length === 0) {
    for (const refusal of await meetingRefusals(change, db)) {
      problems[refusal.field] ??= { rule: "process", code: refusal.code };
    }
  }
  return problems;
}

/** The process rules, on the course as this device knows it. */
async function meetingRefusals(change: Prepared, db: TrivselDB) {
  const courseId = String(change.fields["course_id"] ?? change.current?.fields["course_id"] ?? "");
  const course = await db.records.get(recordKey("course", courseId));
  if (!course) return []; // the course is not on this device: the server will say
  const meetings = await db.records.where("[entity+parentId]").equals(["meeting", courseId]).toArray();
  const state: CourseState = { status: String(course.fields["status"] ?? "active"), meetings: meetings.map(meetingState) };
  const tried: Attempt = change.mode === "create"
    ? { create: { ...meetingState({ id: change.recordId, fields: change.fields, deleted: false }) } }
    : change.op === "delete" ? { meeting: change.recordId, delete: true }
    : { meeting: change.recordId, set: change.fields as Partial<MeetingState> };
  return attempt(state, tried).refusals;
}

function meetingState(record: Pick<LocalRecord, "id" | "fields" | "deleted">): MeetingState {
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
