// The course's worries paired with goals, and each goal's own 0-10 scale across the
// meetings (issue 25), read from the device's own records so it is there offline. Shaped as
// the scaling question's view (story.ts), so the same chart draws a goal's scale.

import type { TrivselDB } from "../db/db";
import { alive, ofKind, recordsUnder, type Stored } from "./records";
import type { Series } from "./story";

export interface GoalView {
  pair: Stored<"goal_pair">;
  worry: Stored<"board_note">;
  goal: Stored<"board_note">;
  /** The answers for this goal at every meeting of the course. */
  scores: Stored<"goal_score">[];
}

export interface GoalsView {
  /** The course's live meetings, in order. */
  meetings: Stored<"meeting">[];
  /** Pairs whose two notes are both still on the board, in the board's order of the worries. */
  goals: GoalView[];
  /** The course's notes that may be paired: "Det der bekymrer" and "Det vi vil se ske". */
  worries: Stored<"board_note">[];
  wishes: Stored<"board_note">[];
}

const byStart = (a: Stored<"meeting">, b: Stored<"meeting">) =>
  a.fields.starts_at.localeCompare(b.fields.starts_at) || a.id.localeCompare(b.id);

// One Dexie call per step (see story.ts: live queries track only directly awaited reads).
export async function goals(db: TrivselDB, courseId: string): Promise<GoalsView> {
  const meetings = alive(await recordsUnder(db, "meeting", courseId)).sort(byStart);
  const pairs = alive(await recordsUnder(db, "goal_pair", courseId));
  const parts = alive(await db.records.where("[entity+parentId]").anyOf(
    meetings.flatMap((m) => [["board_note", m.id], ["goal_score", m.id]])).toArray());
  const notes = ofKind(parts, "board_note");
  const byId = new Map(notes.map((n) => [n.id, n]));
  const scores = ofKind(parts, "goal_score");
  const made: GoalView[] = [];
  for (const pair of pairs) {
    const worry = byId.get(pair.fields.worry_note_id);
    const goal = byId.get(pair.fields.goal_note_id);
    if (worry && goal) made.push({ pair, worry, goal, scores: scores.filter((s) => s.fields.goal_pair_id === pair.id) });
  }
  // In the board's order of the worries (meeting, then place in the column): the same on
  // every tablet, however the pairs arrived.
  const at = new Map(meetings.map((m, i) => [m.id, i]));
  const place = (g: GoalView) => [at.get(g.worry.fields.meeting_id) ?? 0, g.worry.fields.position ?? 0];
  made.sort((a, b) => {
    const [ma, pa] = place(a);
    const [mb, pb] = place(b);
    return ma! - mb! || pa! - pb! || a.pair.id.localeCompare(b.pair.id);
  });
  return {
    meetings,
    goals: made,
    worries: notes.filter((n) => n.fields.column === "worries"),
    wishes: notes.filter((n) => n.fields.column === "next_steps"),
  };
}

/** One line per person with their answer for one goal at each meeting (as seriesOf). */
export function goalSeries(meetings: Stored<"meeting">[], scores: Stored<"goal_score">[]): Series[] {
  const index = new Map(meetings.map((m, i) => [m.id, i]));
  const lines = new Map<string, Series>();
  for (const s of scores) {
    const at = index.get(s.fields.meeting_id);
    if (at === undefined) continue;
    const { role, name } = s.fields;
    const key = `${role}|${name}`;
    const line = lines.get(key) ?? { key, name, role, values: meetings.map(() => null) };
    line.values[at] = s.fields.value;
    lines.set(key, line);
  }
  return [...lines.values()];
}
