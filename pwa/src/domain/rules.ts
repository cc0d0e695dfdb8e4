// The process rules the server enforces (server/courses/rules.py), checked on the tablet
// before "Afslut mødet", so the user hears at once — and offline — what is missing.

import { da } from "../i18n/da";

export const MAX_MEETINGS = 5;
export const MAX_MONTHS = 6;

export interface MeetingFacts {
  kind: string;
  startsAt: string;
  childParticipation: string | null;
  childPerspective: string;
  nextMeetingAt: string | null;
  firstMeetingAt: string; // the course's first meeting
  number: number; // this meeting's place in the course, 1-based
}

/** Add months as the server does: the same day of a later month, clamped to its last day. */
export function addMonths(iso: string, months: number): Date {
  const d = new Date(iso);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1,
    d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target;
}

/** What stops the meeting from being finished, in plain Danish; empty when nothing does. */
export function finishProblems(m: MeetingFacts): string[] {
  const problems: string[] = [];
  if (!m.childParticipation) problems.push(da.rules.participationMissing);
  else if (m.childParticipation !== "whole" && !m.childPerspective.trim()) {
    problems.push(da.rules.perspectiveMissing);
  }
  if (m.kind === "closing") return problems;
  if (m.number >= MAX_MEETINGS) {
    problems.push(da.rules.fifthMustClose);
    return problems;
  }
  if (!m.nextMeetingAt) {
    problems.push(da.rules.nextMissing);
    return problems;
  }
  const end = addMonths(m.firstMeetingAt, MAX_MONTHS);
  const next = new Date(m.nextMeetingAt);
  if (next <= new Date(m.startsAt)) problems.push(da.rules.nextBefore);
  else if (next > end) problems.push(da.rules.nextOutside(end.toLocaleDateString("da-DK")));
  return problems;
}
