// The shared cases of the process rules (tests/rules/cases.json): the server runs the same
// table (tests/server/test_rule_cases.py), so rules.ts and rules.py cannot drift apart.
import { describe, expect, it } from "vitest";

import table from "../../../tests/rules/cases.json";
import { attempt, type Attempt, type CourseState, type MeetingState } from "./rules";

interface Case {
  name: string;
  course: { status: string; meetings: Array<Partial<MeetingState> & { id: string }> };
  attempt: Attempt;
  refused?: { code: string; field: string };
  accepted?: { course_status: string };
}

const DEFAULTS = { status: "planned", child_participation: null, child_perspective: "",
  next_meeting_at: null, underretning: false, kind: "", starts_at: "" };

describe("the process rules' shared cases", () => {
  const cases = table.cases as unknown as Case[];
  it("has cases", () => expect(cases.length).toBeGreaterThan(20));
  for (const c of cases) {
    it(c.name, () => {
      const course: CourseState = { status: c.course.status,
        meetings: c.course.meetings.map((m) => ({ ...DEFAULTS, ...m })) };
      const outcome = attempt(course, c.attempt);
      if (c.refused) {
        expect(outcome.refusals[0]).toEqual(c.refused);
      } else {
        expect(outcome.refusals).toEqual([]);
        expect(outcome.course.status).toBe(c.accepted?.course_status);
      }
    });
  }
});
