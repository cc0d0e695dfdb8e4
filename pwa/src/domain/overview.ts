// What needs attention in a course, computed on the tablet from its own data (so the start
// page works offline): the seeds' limits, missing consents, reports not yet published.

import { addMonths, MAX_MEETINGS, MAX_MONTHS } from "./rules";

const DAY = 24 * 60 * 60 * 1000;

export interface CourseLimits {
  meetings: number; // meetings of the course (not deleted)
  windowEnd: Date | null; // 6 months after the first meeting
  fourthOrLater: boolean; // warn from the fourth meeting: the fifth must be the closing one
  lessThanAMonthLeft: boolean;
}

export function courseLimits(meetingStarts: string[], now: Date): CourseLimits {
  const sorted = [...meetingStarts].sort();
  const windowEnd = sorted.length ? addMonths(sorted[0]!, MAX_MONTHS) : null;
  const left = windowEnd ? windowEnd.getTime() - now.getTime() : Infinity;
  return {
    meetings: sorted.length,
    windowEnd,
    fourthOrLater: sorted.length >= MAX_MEETINGS - 1,
    lessThanAMonthLeft: left > 0 && left < 30 * DAY,
  };
}

export interface GuardianFacts { id: string; name: string; hasCustody: boolean }
export interface ConsentFacts { guardianId: string; status: string }

/** Custody holders without a granted consent (their latest answer is not "granted"). */
export function missingConsents(guardians: GuardianFacts[], consents: ConsentFacts[]): GuardianFacts[] {
  const granted = new Set(consents.filter((c) => c.status === "granted").map((c) => c.guardianId));
  return guardians.filter((g) => g.hasCustody && !granted.has(g.id));
}

/** A task is overdue the day after its due date. */
export function isOverdue(dueDate: string | null | undefined, now: Date): boolean {
  if (!dueDate) return false;
  const today = now.toISOString().slice(0, 10);
  return dueDate < today;
}

/** Tasks in the order the start page lists them (issue 23): by due date, so the overdue come
 * first; tasks without a date last; the same day in the order they were made (stable). */
export function byDue<T>(tasks: T[], due: (task: T) => string | null | undefined): T[] {
  return [...tasks].sort((a, b) => (due(a) ?? "9999").localeCompare(due(b) ?? "9999"));
}
