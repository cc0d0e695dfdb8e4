// What finishing a meeting can mean in its course, for the meeting screen (and the
// exploration of every reachable course state in machine.test.ts, which proves that these
// choices always leave a way to the course's end).

import { type CourseState, inOrder, MAX_MEETINGS, windowEnd } from "./rules";

const DAY = 24 * 60 * 60 * 1000;

export interface FinishPlan {
  /** The meeting's place in the course (1–5). */
  number: number;
  /** It is the closing meeting already. */
  closing: boolean;
  /** It may be finished as the closing meeting, ending the course (not the start meeting). */
  mayEnd: boolean;
  /** That is the only way to finish it: it is the fifth, or no later date fits in the six months. */
  mustEnd: boolean;
  /** The next meeting would be the fifth: it is made as the closing meeting. */
  nextMustClose: boolean;
  /** The last moment the next meeting may take place (six months after the first meeting). */
  latestNext: Date | null;
  /** Later meetings not held yet: cancelled (deleted) when this meeting ends the course. */
  later: string[];
}

export function finishPlan(course: CourseState, meetingId: string): FinishPlan {
  const live = inOrder(course.meetings);
  const index = live.findIndex((m) => m.id === meetingId);
  const meeting = live[index];
  const number = index + 1;
  const latestNext = windowEnd(live);
  const closing = meeting?.kind === "closing";
  const noDateFits = Boolean(meeting && latestNext && latestNext.getTime() <= new Date(meeting.starts_at).getTime());
  const mayEnd = !closing && meeting?.kind !== "start";
  return {
    number, closing, mayEnd,
    mustEnd: mayEnd && (number >= MAX_MEETINGS || noDateFits),
    nextMustClose: number + 1 >= MAX_MEETINGS,
    latestNext,
    later: live.slice(index + 1).filter((m) => m.status !== "finished").map((m) => m.id),
  };
}

// Finishing a meeting on a day other than its own is said before it happens: meetings 2–4
// were once finished on 23 November for dates in January–March, without a word. The rule:
// on the meeting's own day (local time), or up to a week after it, nothing is asked (a
// meeting moved by some hours, minutes written up the next days); on an earlier day, or
// more than a week after, the user is asked first.
/** Days after the meeting's day within which finishing it asks nothing. */
export const LATE_DAYS = 7;

export type Timing = { kind: "on_time" } | { kind: "early" | "late"; days: number };

/** Whether finishing the meeting now needs a question first, and how many days off it is. */
export function finishTiming(startsAt: string, now: Date): Timing {
  const days = calendarDays(now, new Date(startsAt)); // > 0: the meeting's day is still to come
  if (days > 0) return { kind: "early", days };
  if (-days > LATE_DAYS) return { kind: "late", days: -days };
  return { kind: "on_time" };
}

/** Whole days from one moment's local date to another's. */
function calendarDays(from: Date, to: Date): number {
  const day = (d: Date) => Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
  return Math.round((day(to) - day(from)) / DAY);
}
