// The process rules the server enforces (server/courses/rules.py: check_meeting), checked
// on the tablet before a change is queued, so the user hears at once — and offline — what
// is missing. The two are kept equal by one table of cases that both sides' tests run
// (tests/rules/cases.json).

export const MAX_MEETINGS = 5;
export const MAX_MONTHS = 6;
const OPEN_STATUSES = ["active", "awaiting_counsellor"];

export interface MeetingState {
  id: string;
  kind: string;
  starts_at: string;
  status: string;
  child_participation: string | null;
  child_perspective: string;
  next_meeting_at: string | null;
  underretning: boolean;
  deleted?: boolean;
  [field: string]: unknown;
}

export interface CourseState {
  status: string;
  meetings: MeetingState[];
}

/** A change to one meeting of the course, as the server sees it. */
export type Attempt =
  | { create: Partial<MeetingState> & { id: string; kind: string; starts_at: string } }
  | { meeting: string; set: Partial<MeetingState> }
  | { meeting: string; delete: true };

/** A rule that refuses the change: its code (as the server answers) and the field to fix. */
export interface Refusal {
  code: string;
  field: string;
}

export interface Outcome {
  /** Every rule the change breaks, in the order the server checks them (it names the first). */
  refusals: Refusal[];
  /** The course after the change (its status changes when a meeting is finished). */
  course: CourseState;
}

const DEFAULTS = {
  status: "planned", child_participation: null, child_perspective: "", next_meeting_at: null,
  underretning: false,
};
const PLACE_FIELDS = ["kind", "starts_at", "course_id", "id"];

/** Add months as the server does: the same day of a later month, clamped to its last day. */
export function addMonths(iso: string, months: number): Date {
  const d = new Date(iso);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1,
    d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target;
}

/** The last moment a meeting of the course may take place: 6 months after the first. */
export function windowEnd(meetings: MeetingState[]): Date | null {
  const live = inOrder(meetings);
  return live[0] ? addMonths(live[0].starts_at, MAX_MONTHS) : null;
}

/** Try a change on the course: what refuses it, and the course afterwards. */
export function attempt(course: CourseState, change: Attempt): Outcome {
  const before = "create" in change ? undefined : course.meetings.find((m) => m.id === change.meeting);
  if (!("create" in change) && !before) return { refusals: [{ code: "not_found", field: "id" }], course };
  const after: MeetingState = "create" in change
    ? { ...DEFAULTS, ...change.create }
    : "delete" in change ? { ...before!, deleted: true } : { ...before!, ...change.set };
  const changed = "create" in change
    ? new Set([...Object.keys(change.create), "course_id", "id"])
    : "delete" in change ? new Set(["deleted_at"]) : changedFields(before!, change.set);
  const meetings = [...course.meetings.filter((m) => m.id !== after.id), after];
  const live = inOrder(meetings);
  const refusals: Refusal[] = [];
  if (!after.deleted) refusals.push(...placeInCourse(course.status, live, changed));
  const wasFinished = before?.status === "finished";
  let status = course.status;
  if (after.status === "finished" && !wasFinished) {
    refusals.push(...finishing(after, live));
    if (after.underretning && status === "active") status = "awaiting_counsellor";
    else if (after.kind === "closing" && status === "active") status = "closed";
  } else if (wasFinished && after.status !== "finished") {
    refusals.push({ code: "meeting_finished", field: "status" });
  }
  return { refusals, course: refusals.length ? course : { status, meetings } };
}

function placeInCourse(status: string, live: MeetingState[], changed: Set<string>): Refusal[] {
  if (!PLACE_FIELDS.some((f) => changed.has(f))) return [];
  const refusals: Refusal[] = [];
  if (!OPEN_STATUSES.includes(status)) refusals.push({ code: "course_closed", field: "course_id" });
  if (live.length > MAX_MEETINGS) refusals.push({ code: "too_many_meetings", field: "course_id" });
  if (live[0]?.kind !== "start") refusals.push({ code: "first_meeting_not_start", field: "kind" });
  if (live.filter((m) => m.kind === "start").length > 1) {
    refusals.push({ code: "second_start_meeting", field: "kind" });
  }
  const end = windowEnd(live);
  if (end && live.some((m) => time(m.starts_at) > end.getTime())) {
    refusals.push({ code: "outside_course_window", field: "starts_at" });
  }
  return refusals;
}

function finishing(meeting: MeetingState, live: MeetingState[]): Refusal[] {
  const refusals: Refusal[] = [];
  if (!meeting.child_participation) {
    refusals.push({ code: "child_participation_missing", field: "child_participation" });
  } else if (meeting.child_participation !== "whole" && !meeting.child_perspective.trim()) {
    refusals.push({ code: "child_perspective_missing", field: "child_perspective" });
  }
  if (meeting.kind === "closing") return refusals;
  if (live.length >= MAX_MEETINGS && live.at(-1)?.id === meeting.id) {
    return [...refusals, { code: "last_meeting_must_close", field: "kind" }];
  }
  if (!meeting.next_meeting_at) return [...refusals, { code: "next_meeting_missing", field: "next_meeting_at" }];
  const end = windowEnd(live);
  if (time(meeting.next_meeting_at) <= time(meeting.starts_at)) {
    refusals.push({ code: "next_meeting_before", field: "next_meeting_at" });
  } else if (end && time(meeting.next_meeting_at) > end.getTime()) {
    refusals.push({ code: "next_meeting_outside_window", field: "next_meeting_at" });
  }
  return refusals;
}

/** Live meetings in the server's order: by time, then by id. */
function inOrder(meetings: MeetingState[]): MeetingState[] {
  return meetings.filter((m) => !m.deleted)
    .sort((a, b) => time(a.starts_at) - time(b.starts_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function changedFields(before: MeetingState, set: Partial<MeetingState>): Set<string> {
  const same = (name: string, a: unknown, b: unknown) =>
    ["starts_at", "next_meeting_at"].includes(name) && typeof a === "string" && typeof b === "string"
      ? time(a) === time(b) : a === b;
  return new Set(Object.entries(set).filter(([name, value]) => !same(name, before[name], value)).map(([n]) => n));
}

function time(iso: string): number {
  return new Date(iso).getTime();
}
