// The goal pair's shared cases (tests/rules/cases.json, "goal_pairs"): the server runs the
// same table (tests/server/test_goal_cases.py), so goals.ts and server/goals/rules.py agree.
import { describe, expect, it } from "vitest";

import table from "../../../tests/rules/cases.json";
import { type NoteState, type PairField, pairRefusal } from "./goals";

interface Case {
  name: string;
  notes: Record<string, { column: string; course?: string; deleted?: boolean }>;
  pair: Record<PairField, string>;
  refused?: { code: string; field: string };
  accepted?: boolean;
}

const cases = (table as unknown as { goal_pairs: { cases: Case[] } }).goal_pairs.cases;

describe("the goal pair's shared cases", () => {
  it("has cases", () => expect(cases.length).toBeGreaterThan(5));
  for (const c of cases) {
    it(c.name, () => {
      const notes = new Map<string, NoteState>(Object.entries(c.notes).map(([name, n]) =>
        [name, { courseId: n.course ?? "mine", column: n.column, deleted: n.deleted ?? false }]));
      const named = Object.fromEntries(Object.entries(c.pair).map(([field, name]) => [field, notes.get(name)]));
      expect(pairRefusal("mine", named)).toEqual(c.refused ?? null);
    });
  }
});
