// The rule a goal pair follows (issue 25): the mirror of server/goals/rules.py, kept equal by
// the shared cases (tests/rules/cases.json, "goal_pairs"; goals.cases.test.ts). The tablet
// offers to pair only what this allows, so a pair made offline is not refused later.

import type { Refusal } from "./rules";

/** The board column each note of a pair must stand in. */
export const PAIR_COLUMNS = { worry_note_id: "worries", goal_note_id: "next_steps" } as const;

export type PairField = keyof typeof PAIR_COLUMNS;

/** What the rule needs of a note. */
export interface NoteState {
  courseId: string;
  column: string;
  deleted: boolean;
}

/** The first thing wrong with pairing `notes` (undefined: no such note) on `courseId`. */
export function pairRefusal(courseId: string, notes: Partial<Record<PairField, NoteState | undefined>>): Refusal | null {
  for (const [field, column] of Object.entries(PAIR_COLUMNS) as Array<[PairField, string]>) {
    if (!(field in notes)) continue;
    const note = notes[field];
    if (!note || note.deleted || note.courseId !== courseId) return { code: "goal_note_elsewhere", field };
    if (note.column !== column) return { code: "goal_note_wrong_column", field };
  }
  return null;
}
