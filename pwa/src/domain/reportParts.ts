// What a published report shows the parents, part by part: the keys of the snapshot that
// server/reports/compose.py's compose() makes, each with the part of the meeting screen that
// holds it (null: not something written at the table). The screen marks those parts
// "Forældrene ser dette" and the publish dialog lists one line per part from this table, so
// neither can say more or less than the report: tests/server/test_report_parts.py fails when
// these keys and compose()'s differ.

export type ScreenPart = "header" | "attendance" | "board" | "photos" | "agreements" | "review" | "scaling"
  | "participation" | "minutes" | "next" | "houses";

export const REPORT_PARTS = {
  meeting: "header",
  course_id: null, // the parents' link back to the course, not content
  child: "header",
  participants: "attendance",
  child_participation: "participation",
  child_perspective: "participation",
  columns: "board",
  photos: "photos",
  agreements: "agreements",
  review: "review",
  scaling: "scaling",
  minutes: "minutes",
  next_meeting: "next",
  sender: null, // the leader and whom to call, from the course, as on the day of publishing
  houses: "houses", // only when shared with the parents (ui/Houses.tsx says which)
} as const satisfies Record<string, ScreenPart | null>;

export type ReportPart = keyof typeof REPORT_PARTS;

/** Whether a publish shows this part of the meeting screen to the parents. */
export function shownToParents(part: ScreenPart): boolean {
  return Object.values(REPORT_PARTS).includes(part);
}

/** What a meeting's report would hold now, one entry per report part (see reportContents). */
export interface ReportFacts {
  child: string;
  meeting: { kind: string; startsAt: string; place: string; number: number };
  present: string[];
  participation: string | null;
  perspective: string;
  notes: Record<string, string[]>;
  photos: string[]; // content hashes, in the report's order
  agreements: string[];
  review: string[]; // the last meeting's agreements and their outcomes, looked back on
  scaling: number; // answers to the scaling question at this meeting
  minutes: string;
  next: string | null;
  leader: string;
  houses: string | null; // the child's three houses when shared with the parents, else null
}

/** The same facts as one string: a change to any of them changes it (the published check). */
export function factsKey(facts: ReportFacts): string {
  return JSON.stringify(facts);
}
