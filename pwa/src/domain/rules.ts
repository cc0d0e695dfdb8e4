// The process rules of a course as one state machine: the mirror of server/courses/rules.py,
// checked on the tablet before a change is queued, so the user hears at once — and offline —
// what is missing. The two are kept equal by one table of cases that both sides' tests run
// (tests/rules/cases.json), including a case for every transition of the table below.
//
//      active ──finish the closing meeting──► closed
//        │ finish with an underretning
//        ▼
//      awaiting_counsellor ──hand over──► handed_over
//
// No dead ends: a closing meeting needs only the child's participation; any other meeting can
// be finished as the closing one (kind set in the same change) when no next date fits;
// a waiting course can always be handed over. machine.test.ts explores every reachable state.

export const MAX_MEETINGS = 5;
export const MAX_MONTHS = 6;
export const OPEN_STATUSES = ["active", "awaiting_counsellor"];
export const ENDED_STATUSES = ["closed", "handed_over"];
const PLACE_FIELDS = ["kind", "starts_at", "course_id", "id"];

export type CourseEvent = "add_meeting" | "move_meeting" | "delete_meeting" | "finish" | "finish_closing"
  | "underretning" | "hand_over";

/** (course status, event) → the status after it; an event missing for a status is refused. */
export const TRANSITIONS: Record<string, string> = {
  "active|add_meeting": "active",
  "active|move_meeting": "active",
  "active|delete_meeting": "active",
  "active|finish": "active",
  "active|finish_closing": "closed",
  "active|underretning": "awaiting_counsellor",
  "awaiting_counsellor|add_meeting": "awaiting_counsellor",
  "awaiting_counsellor|move_meeting": "awaiting_counsellor",
  "awaiting_counsellor|delete_meeting": "awaiting_counsellor",
  "awaiting_counsellor|finish": "awaiting_counsellor",
  // After an underretning the course waits for the child counsellor even after a closing meeting.
  "awaiting_counsellor|finish_closing": "awaiting_counsellor",
  "awaiting_counsellor|underretning": "awaiting_counsellor",
  "awaiting_counsellor|hand_over": "handed_over",
  "closed|delete_meeting": "closed",
  "handed_over|delete_meeting": "handed_over",
};
export const REFUSED_EVENTS: Record<CourseEvent, Refusal | null> = {
  add_meeting: { code: "course_closed", field: "course_id" },
  move_meeting: { code: "course_closed", field: "course_id" },
  delete_meeting: null,
  finish: { code: "course_ended", field: "status" },
  finish_closing: { code: "course_ended", field: "status" },
  underretning: { code: "course_ended", field: "status" },
  hand_over: { code: "not_awaiting_counsellor", field: "status" },
};

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

/** A change to one meeting of the course as the server sees it, or the hand-over. */
export type Attempt =
  | { create: Partial<MeetingState> & { id: string; kind: string; starts_at: string } }
  | { meeting: string; set: Partial<MeetingState> }
  | { meeting: string; delete: true }
  | { hand_over: true };

/** A rule that refuses the change: its code (as the server answers) and the field to fix. */
export interface Refusal {
  code: string;
  field: string;
}

export interface Outcome {
  /** Every rule the change breaks, in the order the server checks them (it names the first). */
  refusals: Refusal[];
  /** The course events the change is (finishing the closing meeting, say). */
  events: CourseEvent[];
  /** The course after the change (its status changes when a meeting is finished). */
  course: CourseState;
}

const DEFAULTS = {
  status: "planned", child_participation: null, child_perspective: "", next_meeting_at: null,
  underretning: false,
};

/** Add months as the server does: the same day of a later month, clamped to its last day. */
export function addMonths(iso: string, months: number): Date {
  const d = new Date(iso);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1,
    d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target;
}

/** Live meetings in the server's order: by time, then by id. */
export function inOrder(meetings: MeetingState[]): MeetingState[] {
  return meetings.filter((m) => !m.deleted)
    .sort((a, b) => time(a.starts_at) - time(b.starts_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The last moment a meeting of the course may take place: 6 months after the first. */
export function windowEnd(meetings: MeetingState[]): Date | null {
  const live = inOrder(meetings);
  return live[0] ? addMonths(live[0].starts_at, MAX_MONTHS) : null;
}

/** Try a change on the course: what refuses it, and the course afterwards. */
export function attempt(course: CourseState, change: Attempt): Outcome {
  if ("hand_over" in change) {
    const target = TRANSITIONS[`${course.status}|hand_over`];
    return target ? { refusals: [], events: ["hand_over"], course: { ...course, status: target } }
      : { refusals: [REFUSED_EVENTS.hand_over!], events: ["hand_over"], course };
  }
  const before = "create" in change ? undefined : course.meetings.find((m) => m.id === change.meeting);
  if (!("create" in change) && !before) return { refusals: [{ code: "not_found", field: "id" }], events: [], course };
  const after: MeetingState = "create" in change
    ? { ...DEFAULTS, ...change.create }
    : "delete" in change ? { ...before!, deleted: true } : { ...before!, ...change.set };
  const changed = "create" in change
    ? new Set([...Object.keys(change.create), "course_id", "id"])
    : "delete" in change ? new Set(["deleted_at"]) : changedFields(before!, change.set);
  const meetings = [...course.meetings.filter((m) => m.id !== after.id), after];
  const outcome = check(course.status, meetings, after.id, changed, before?.status === "finished");
  return { ...outcome, course: outcome.refusals.length ? course : { status: outcome.status, meetings } };
}

/** The rules for a change of one meeting, given the course's meetings after it. */
export function check(status: string, meetings: MeetingState[], meetingId: string, changed: Set<string>,
  wasFinished: boolean): { refusals: Refusal[]; events: CourseEvent[]; status: string } {
  const live = inOrder(meetings);
  const meeting = meetings.find((m) => m.id === meetingId)!;
  const events = eventsOf(meeting, changed, wasFinished);
  const refusals: Refusal[] = [];
  let next = status;
  for (const event of events) {
    const target = TRANSITIONS[`${next}|${event}`];
    if (!target) {
      refusals.push(REFUSED_EVENTS[event]!);
      break;
    }
    next = target;
  }
  if (wasFinished && meeting.status !== "finished" && !meeting.deleted) {
    refusals.push({ code: "meeting_finished", field: "status" });
  }
  if (!meeting.deleted && PLACE_FIELDS.some((f) => changed.has(f))) refusals.push(...placeInCourse(live));
  if (events.some((e) => e === "finish" || e === "finish_closing" || e === "underretning")) {
    refusals.push(...finishing(meeting, live));
  }
  return { refusals, events, status: refusals.length ? status : next };
}

function eventsOf(meeting: MeetingState, changed: Set<string>, wasFinished: boolean): CourseEvent[] {
  if (meeting.deleted) return changed.has("deleted_at") ? ["delete_meeting"] : [];
  const events: CourseEvent[] = [];
  if (changed.has("id")) events.push("add_meeting");
  else if (PLACE_FIELDS.some((f) => changed.has(f))) events.push("move_meeting");
  if (meeting.status === "finished" && !wasFinished) {
    events.push(meeting.underretning ? "underretning" : meeting.kind === "closing" ? "finish_closing" : "finish");
  }
  return events;
}

function placeInCourse(live: MeetingState[]): Refusal[] {
  const refusals: Refusal[] = [];
  if (live.length > MAX_MEETINGS) refusals.push({ code: "too_many_meetings", field: "course_id" });
  if (live[0] && live[0].kind !== "start") refusals.push({ code: "first_meeting_not_start", field: "kind" });
  if (live.filter((m) => m.kind === "start").length > 1) {
    refusals.push({ code: "second_start_meeting", field: "kind" });
  }
  const end = windowEnd(live);
  if (end && live.some((m) => time(m.starts_at) > end.getTime())) {
    refusals.push({ code: "outside_course_window", field: "starts_at" });
  }
  if (live.length >= MAX_MEETINGS && live[MAX_MEETINGS - 1]!.kind !== "closing") {
    refusals.push({ code: "fifth_meeting_must_close", field: "kind" });
  }
  if (live.slice(0, -1).some((m) => m.kind === "closing")) refusals.push({ code: "closing_not_last", field: "kind" });
  return refusals;
}

function finishing(meeting: MeetingState, live: MeetingState[]): Refusal[] {
  const refusals: Refusal[] = [];
  if (!meeting.child_participation) {
    refusals.push({ code: "child_participation_missing", field: "child_participation" });
  } else if (meeting.child_participation !== "whole" && !meeting.child_perspective.trim()) {
    refusals.push({ code: "child_perspective_missing", field: "child_perspective" });
  }
  if (meeting.kind === "closing") return refusals; // a course can always end
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

function changedFields(before: MeetingState, set: Partial<MeetingState>): Set<string> {
  const same = (name: string, a: unknown, b: unknown) =>
    ["starts_at", "next_meeting_at"].includes(name) && typeof a === "string" && typeof b === "string"
      ? time(a) === time(b) : a === b;
  return new Set(Object.entries(set).filter(([name, value]) => !same(name, before[name], value)).map(([n]) => n));
}

function time(iso: string): number {
  return new Date(iso).getTime();
}
