// Opening a course: an office task done online over the REST API (the child and leader lists
// come from the server). Every record is checked against the server's rules first, so a form
// is refused field by field before anything is sent, and a retry after a dropped connection
// sends the same ids again, so nothing is created twice. CPR numbers go last, each with a PUT
// of its own (server/children/routes.py): never a field of a record, so never in a pull or the
// tablet's store; they live only in the form's state until sent.

import { ApiError, type ApiClient } from "../api/client";
import { checkFields, checkValue, localDay, ruleOf } from "../contract/check";
import type { Entity } from "../contract/contract.gen";
import { cprDigits } from "../domain/cpr";
import { da } from "../i18n/da";
import { describeFieldProblem } from "../i18n/problems";

export interface GuardianInput { name: string; relation: string; email: string; custody: boolean; cpr: string }

export interface CourseForm {
  childId: string | "new";
  first: string;
  last: string;
  cpr: string; // the new child's CPR number, optional
  birthDate: string; // the new child's, yyyy-mm-dd (required: the course's age-based steps need it)
  institution: string;
  guardians: GuardianInput[];
  concern: string;
  reason: string;
  leader: string;
  startAt: string; // datetime-local
  place: string;
}

/** Ids made once per form: a retry sends the same ones (the server then says "taken"). */
export interface FormIds { child: string; guardians: string[]; course: string; meeting: string }

interface Request {
  entity: Entity;
  path: string;
  body: Record<string, unknown>;
  inputs: Record<string, string>; // field → the form input that holds it
}

export function newIds(guardians: number): FormIds {
  return { child: crypto.randomUUID(), guardians: Array.from({ length: guardians }, () => crypto.randomUUID()),
    course: crypto.randomUUID(), meeting: crypto.randomUUID() };
}

function requests(form: CourseForm, ids: FormIds): Request[] {
  const isNew = form.childId === "new";
  const child = isNew ? ids.child : form.childId;
  const list: Request[] = [];
  if (isNew) {
    list.push({ entity: "child", path: "/api/children", inputs: { first_name: "nc-first", last_name: "nc-last", institution_id: "nc-inst", birth_date: "nc-birth" },
      body: { id: child, first_name: form.first.trim(), last_name: form.last.trim(), institution_id: form.institution,
        birth_date: form.birthDate || null } });
    form.guardians.forEach((g, i) => {
      if (!g.name.trim()) return;
      list.push({ entity: "guardian", path: "/api/guardians",
        inputs: { name: `nc-g${i}-name`, relation: `nc-g${i}-rel`, email: `nc-g${i}-email` },
        body: { id: ids.guardians[i], child_id: child, name: g.name.trim(), relation: g.relation.trim(),
          email: g.email.trim() || null, has_custody: g.custody } });
    });
  }
  list.push({ entity: "course", path: "/api/courses", inputs: { reason: "nc-reason", leader_id: "nc-leader", start_date: "nc-start" },
    body: { id: ids.course, child_id: child, leader_id: form.leader, concern_level: form.concern, reason: form.reason,
      start_date: form.startAt.slice(0, 10) } });
  const startsAt = form.startAt ? new Date(form.startAt) : null;
  list.push({ entity: "meeting", path: "/api/meetings", inputs: { starts_at: "nc-start", place: "nc-place" },
    body: { id: ids.meeting, course_id: ids.course, kind: "start", place: form.place,
      starts_at: startsAt && !Number.isNaN(startsAt.getTime()) ? startsAt.toISOString() : "" } });
  return list;
}

/** The CPR numbers typed for the new child and guardians: input id → path of its PUT. */
function cprRequests(form: CourseForm, ids: FormIds): Array<{ input: string; path: string; value: string }> {
  if (form.childId !== "new") return [];
  const list = [{ input: "nc-cpr", path: `/api/children/${ids.child}/cpr`, value: form.cpr.trim() }];
  form.guardians.forEach((g, i) => {
    if (g.name.trim()) list.push({ input: `nc-g${i}-cpr`, path: `/api/guardians/${ids.guardians[i]}/cpr`, value: g.cpr.trim() });
  });
  return list.filter((r) => r.value !== "");
}

/** What the server would refuse, by form input; empty when the form may be sent. */
export function checkForm(form: CourseForm, ids: FormIds, today = new Date()): Record<string, string> {
  const problems: Record<string, string> = {};
  if (form.childId === "new") {
    // A course goes to the custody holders (consent, agenda, report): the server refuses a
    // course for a child without one (no_custody_holder); said here first, by the field.
    if (!form.guardians.some((g) => g.name.trim() && g.custody)) problems["nc-g0-name"] = da.newCourse.noCustodyHolder;
    // The server's rule (the contract: required, today or earlier, at most so many years
    // back), in the words of this form.
    const rule = ruleOf("child", "birth_date");
    if (!form.birthDate) problems["nc-birth"] = da.newCourse.birthDateMissing;
    else if (rule && checkValue(rule, form.birthDate, today)?.rule === "range") {
      problems["nc-birth"] = form.birthDate > localDay(today)
        ? da.newCourse.birthDateFuture : da.newCourse.birthDateTooOld(rule["x-past-years"] ?? 0);
    }
  }
  for (const r of cprRequests(form, ids)) {
    if (cprDigits(r.value) === null) problems[r.input] = da.newCourse.cprInvalid;
  }
  for (const r of requests(form, ids)) {
    const { id: _id, ...fields } = r.body;
    for (const [field, problem] of Object.entries(checkFields(r.entity, fields, "create"))) {
      const input = r.inputs[field] ?? "*";
      problems[input] ??= describeFieldProblem(problem);
    }
  }
  return problems;
}

/** Send the records in order; returns the start meeting's id. */
export async function openCourse(api: ApiClient, form: CourseForm, ids: FormIds): Promise<string> {
  for (const r of requests(form, ids)) {
    try {
      await api.post(r.path, r.body);
    } catch (err) {
      // Sent before, its answer lost: the record is there already.
      if (!(err instanceof ApiError && err.code === "id_taken")) throw err;
    }
  }
  for (const r of cprRequests(form, ids)) await api.put(r.path, { cpr: cprDigits(r.value) });
  return ids.meeting;
}
