// What the store checks before it queues a change: the server's rules for one record (the
// generated contract), the records it names, the fields fixed at creation, the writer's role,
// and — for meetings — the process rules of the course (domain/rules.ts). Whatever the server
// would refuse for these reasons is refused here, at once, field by field.

import type { User } from "../api/auth";
import { checkFields, type FieldProblems, isEntity } from "../contract/check";
import { CONTRACT, type MeetingRecord } from "../contract/contract.gen";
import type { EntityRules, FieldRule } from "../contract/types";
import { recordKey, type TrivselDB } from "../db/db";
import { attempt, type Attempt, type MeetingState } from "../domain/rules";
import type { Prepared } from "../sync/store";
import { courseState, meetingState } from "./courseState";

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
  const state = await courseState(db, courseId);
  if (!state) return []; // the course is not on this device: the server will say
  const tried: Attempt = change.mode === "create"
    // Its fields passed the contract's checks (validateChange only asks when nothing failed).
    ? { create: { ...meetingState({ id: change.recordId, fields: change.fields as Partial<MeetingRecord>, deleted: false }) } }
    : change.op === "delete" ? { meeting: change.recordId, delete: true }
    : { meeting: change.recordId, set: change.fields as Partial<MeetingState> };
  return attempt(state, tried).refusals;
}
