// No dead end, on the tablet's copy of the rules: from a new course, and from the states
// issue 12 found stuck, every state reachable with what the meeting screen offers
// (domain/finishing.ts decides what it offers) has a way to the course's end.
// tests/server/test_course_machine.py explores server/courses/rules.py the same way.
import { describe, expect, it } from "vitest";

import { finishPlan } from "./finishing";
import { addMonths, attempt, type Attempt, type CourseState, ENDED_STATUSES, inOrder, type MeetingState } from "./rules";

const T0 = "2026-12-01T09:00:00.000Z";
const DAY = 86_400_000;
const plus = (iso: string, days: number) => new Date(new Date(iso).getTime() + days * DAY).toISOString();
const meeting = (id: string, kind: string, startsAt: string, more: Partial<MeetingState> = {}): MeetingState => ({
  id, kind, starts_at: startsAt, status: "planned", child_participation: null, child_perspective: "",
  next_meeting_at: null, underretning: false, ...more });

type Step = Attempt[];

/** What the screens offer, as the attempts writes.ts makes of each choice. */
function actions(course: CourseState): Array<[string, Step]> {
  const out: Array<[string, Step]> = [];
  if (course.status === "awaiting_counsellor") out.push(["hand over", [{ hand_over: true }]]);
  if (ENDED_STATUSES.includes(course.status)) return out;
  const live = inOrder(course.meetings);
  const done = { status: "finished", child_participation: "whole" };
  for (const m of live.filter((x) => x.status !== "finished")) {
    const plan = finishPlan(course, m.id);
    const ending: Step = [...plan.later.map((id): Attempt => ({ meeting: id, delete: true })),
      { meeting: m.id, set: { ...done, kind: "closing" } }];
    if (plan.closing || plan.mayEnd) out.push([`end the course at ${m.id}`, ending]);
    if (plan.closing || plan.mustEnd) continue;
    const next = (at: string, tick: boolean, underretning = false): Step => [
      { meeting: m.id, set: { ...done, next_meeting_at: at, underretning } },
      { create: { id: `after-${m.id}`, kind: tick || plan.nextMustClose ? "closing" : "follow_up", starts_at: at } }];
    const soon = plus(m.starts_at, 30);
    out.push([`finish ${m.id}, next in 30 days`, next(soon, false)]);
    out.push([`finish ${m.id}, next is closing`, next(soon, true)]);
    out.push([`finish ${m.id} with underretning`, next(soon, false, true)]);
    if (plan.latestNext) out.push([`finish ${m.id}, next at the window's end`, next(plan.latestNext.toISOString(), false)]);
  }
  const last = live.at(-1);
  if (last && live.every((x) => x.status === "finished") && last.kind !== "closing") {
    const plan = finishPlan(course, last.id);
    for (const at of [plus(last.starts_at, 14), plan.latestNext!.toISOString()]) {
      out.push([`plan the next meeting at ${at}`, [{ create: { id: `planned-${last.id}`,
        kind: plan.nextMustClose ? "closing" : "follow_up", starts_at: at } }]]);
    }
  }
  return out;
}

function run(course: CourseState, step: Step): CourseState | null {
  let now = course;
  for (const change of step) {
    const outcome = attempt(now, change);
    if (outcome.refusals.length) return null;
    now = outcome.course;
  }
  return now;
}

const key = (c: CourseState) => JSON.stringify([c.status, inOrder(c.meetings)]);

/** The number of states reached, and the shortest path to a dead end (empty: none). */
function explore(start: CourseState): { states: number; stuck: string[] } {
  const seen = new Map<string, { state: CourseState; path: string[]; next: string[] }>();
  seen.set(key(start), { state: start, path: [], next: [] });
  const queue = [start];
  while (queue.length) {
    const state = queue.shift()!;
    const here = seen.get(key(state))!;
    for (const [label, step] of actions(state)) {
      const after = run(state, step);
      if (!after) continue;
      here.next.push(key(after));
      if (!seen.has(key(after))) {
        seen.set(key(after), { state: after, path: [...here.path, label], next: [] });
        queue.push(after);
      }
    }
  }
  const ends = new Set([...seen].filter(([, v]) => ENDED_STATUSES.includes(v.state.status)).map(([k]) => k));
  for (let grew = true; grew;) {
    grew = false;
    for (const [k, v] of seen) {
      if (!ends.has(k) && v.next.some((n) => ends.has(n))) {
        ends.add(k);
        grew = true;
      }
    }
  }
  const stuck = [...seen].filter(([k]) => !ends.has(k)).map(([, v]) => v.path).sort((a, b) => a.length - b.length);
  return { states: seen.size, stuck: stuck[0] ?? [] };
}

describe("the course's state machine", () => {
  it("has a way to its end from every state a new course can reach", () => {
    const { states, stuck } = explore({ status: "active", meetings: [meeting("m1", "start", T0)] });
    expect(stuck).toEqual([]);
    expect(states).toBeGreaterThan(100);
  });

  it("has a way out of the states issue 12 found stuck", () => {
    const done = [1, 2, 3, 4].map((n) => meeting(`m${n}`, n === 1 ? "start" : "follow_up", plus(T0, 30 * (n - 1)),
      { status: "finished", child_participation: "whole", next_meeting_at: plus(T0, 30 * n) }));
    const windowEnd = addMonths(T0, 6).toISOString();
    const stuckBefore: CourseState[] = [
      { status: "active", meetings: [...done, meeting("m5", "follow_up", plus(T0, 120))] },
      { status: "active", meetings: [{ ...done[0]!, next_meeting_at: windowEnd }, meeting("m2", "follow_up", windowEnd)] },
      { status: "awaiting_counsellor", meetings: [{ ...done[0]!, underretning: true }] },
      { status: "active", meetings: done.slice(0, 2) },
    ];
    for (const state of stuckBefore) expect(explore(state).stuck).toEqual([]);
  });

  it("would find the dead end if the screen did not offer to end the course", () => {
    const legacy: CourseState = { status: "active", meetings: [
      ...[1, 2, 3, 4].map((n) => meeting(`m${n}`, n === 1 ? "start" : "follow_up", plus(T0, 30 * (n - 1)),
        { status: "finished", child_participation: "whole", next_meeting_at: plus(T0, 30 * n) })),
      meeting("m5", "follow_up", plus(T0, 120))] };
    const withoutEnding = legacy.meetings.map((m) => ({ ...m }));
    const nothing = run({ ...legacy, meetings: withoutEnding }, [{ meeting: "m5", set: {
      status: "finished", child_participation: "whole", next_meeting_at: plus(T0, 140) } }]);
    expect(nothing).toBeNull();
    expect(finishPlan(legacy, "m5")).toMatchObject({ number: 5, mayEnd: true, mustEnd: true });
  });
});
