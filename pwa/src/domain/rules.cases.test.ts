// The shared cases of the process rules (tests/rules/cases.json): the server runs the same
// table (tests/server/test_rule_cases.py), so rules.ts and rules.py cannot drift apart.
import { describe, expect, it } from "vitest";

import table from "../../../tests/rules/cases.json";
import { attempt, type Attempt, type CourseState, type MeetingState, REFUSED_EVENTS, TRANSITIONS } from "./rules";

interface Case {
  name: string;
  course: { status: string; meetings: Array<Partial<MeetingState> & { id: string }> };
  attempt: Attempt;
  refused?: { code: string; field: string };
  accepted?: { course_status: string };
}

const DEFAULTS = { status: "planned", child_participation: null, child_perspective: "",
  next_meeting_at: null, underretning: false, kind: "", starts_at: "" };
const cases = table.cases as unknown as Case[];

function run(c: Case) {
  const course: CourseState = { status: c.course.status,
    meetings: c.course.meetings.map((m) => ({ ...DEFAULTS, ...m })) };
  return attempt(course, c.attempt);
}

describe("the process rules' shared cases", () => {
  it("has cases", () => expect(cases.length).toBeGreaterThan(40));
  for (const c of cases) {
    it(c.name, () => {
      const outcome = run(c);
      if (c.refused) {
        expect(outcome.refusals[0]).toEqual(c.refused);
      } else {
        expect(outcome.refusals).toEqual([]);
        expect(outcome.course.status).toBe(c.accepted?.course_status);
      }
    });
  }

  it("takes every transition of the machine in an accepted case, and refuses every refused event in one", () => {
    const taken = new Set<string>();
    for (const c of cases.filter((x) => x.accepted)) {
      let status = c.course.status;
      for (const event of run(c).events) {
        taken.add(`${status}|${event}`);
        status = TRANSITIONS[`${status}|${event}`]!;
      }
    }
    expect(Object.keys(TRANSITIONS).filter((t) => !taken.has(t))).toEqual([]);
    const refused = new Set(cases.flatMap((c) => (c.refused ? [c.refused.code] : [])));
    expect(Object.values(REFUSED_EVENTS).filter((r) => r && !refused.has(r.code))).toEqual([]);
  });
});
