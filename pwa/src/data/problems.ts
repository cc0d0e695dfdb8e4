// What went wrong with this device's changes, in one place: refused by the server, failing
// on the server, lost to a concurrent edit (a conflict), or discarded by the user (undo
// kept until sign-out). Every screen that shows a problem reads it from here.

import { isEntity } from "../contract/check";
import { CONTRACT } from "../contract/contract.gen";
import type { FieldRule } from "../contract/types";
import { type ApiErrorBody, type Fields, type LocalRecord, type OutboxEntry, recordKey, type TrivselDB } from "../db/db";
import { da } from "../i18n/da";
import { recordsOf } from "./records";

/** After this many server faults in a row, a change is shown as failing (it is still retried). */
export const FAILING_AFTER = 3;

interface About {
  key: string; // unique among the problems, for lists
  entity: string;
  recordId: string;
  meetingId: string | null;
}

export type Problem = About & (
  | { kind: "refused"; seq: number; reason: string; text: string; later: number }
  | { kind: "failing"; seq: number; attempts: number }
  | { kind: "conflict"; conflictId: string; mine: string; theirs: string; deleted: boolean }
  | { kind: "discarded"; discardId: number; text: string }
);

export interface PlaceProblems {
  all: Problem[];
  /** Problems of records the screen shows, by record id: shown with the record. */
  byRecord: Map<string, Problem[]>;
  /** The others (a deleted record, a discarded change, a publication): shown at the top. */
  loose: Problem[];
}

/** Kinds of record that a meeting screen shows one by one, with their problems beside them. */
const SHOWN = new Set(["board_note", "agreement", "participant", "board_photo", "meeting", "minutes",
  "houses"]);

/** Refused and failing changes, grouped by record: the first refusal stands for its record. */
export function outboxProblems(entries: OutboxEntry[]): Problem[] {
  const problems: Problem[] = [];
  const groups = new Map<string, OutboxEntry[]>();
  for (const e of [...entries].sort((a, b) => a.seq! - b.seq!)) {
    const k = recordKey(e.entity, e.recordId);
    groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  for (const group of groups.values()) {
    const at = group.findIndex((e) => e.status === "rejected");
    const refused = group[at];
    if (refused) {
      const behind = group.slice(at);
      problems.push({ kind: "refused", key: `r${refused.seq}`, ...about(refused), seq: refused.seq!,
        reason: reasonOf(refused.error), text: textOf(refused.entity, merged(behind)), later: behind.length - 1 });
    }
    for (const e of group.slice(0, at < 0 ? group.length : at)) {
      if ((e.attempts ?? 0) >= FAILING_AFTER) {
        problems.push({ kind: "failing", key: `f${e.seq}`, ...about(e), seq: e.seq!, attempts: e.attempts! });
      }
    }
  }
  return problems;
}

/** Everything that went wrong at one place: a meeting, or (null) the start page. */
export async function problemsAt(db: TrivselDB, meetingId: string | null): Promise<PlaceProblems> {
  const entries = (await db.outbox.toArray()).filter((e) => (e.meetingId ?? null) === meetingId);
  const all = outboxProblems(entries);
  for (const c of await recordsOf(db, "conflict")) {
    // Only the server makes conflicts: a pulled one carries every field.
    const { resolved, entity = "", record_id: recordId = "", value, winning_value: winning, kind } = c.fields;
    if (resolved || c.deleted) continue;
    const target = await db.records.get(recordKey(entity, recordId));
    const at = target ? placeOf(target) : null;
    if (at !== meetingId) continue;
    all.push({ kind: "conflict", key: `c${c.id}`, entity, recordId, meetingId, conflictId: c.id,
      mine: shown(value), theirs: shown(winning), deleted: kind === "deleted" });
  }
  for (const row of await db.discarded.toArray()) {
    const first = row.entries[0];
    if (!first || row.meetingId !== meetingId) continue;
    all.push({ kind: "discarded", key: `d${row.id}`, ...about(first), discardId: row.id!,
      text: textOf(first.entity, merged(row.entries)) });
  }
  const byRecord = new Map<string, Problem[]>();
  const loose: Problem[] = [];
  for (const p of all) {
    const record = await db.records.get(recordKey(p.entity, p.recordId));
    if (p.kind !== "discarded" && meetingId && SHOWN.has(p.entity) && record && !record.deleted) {
      byRecord.set(p.recordId, [...(byRecord.get(p.recordId) ?? []), p]);
    } else {
      loose.push(p);
    }
  }
  return { all, byRecord, loose };
}

/** The meeting a record belongs to (null: none, e.g. a course's task). */
export function placeOf(record: LocalRecord): string | null {
  if (record.entity === "meeting") return record.id;
  const meetingId = record.fields["meeting_id"];
  return typeof meetingId === "string" ? meetingId : null;
}

/** The server's reason, in Danish (its own message is English, for developers). */
export function reasonOf(error: ApiErrorBody | undefined): string {
  const code = error?.code ?? "";
  const known = da.rejections[code];
  if (code !== "invalid" || !error) return known ?? da.errors.unknown;
  const fields = Object.keys(error.fields);
  return fields.length ? `${known ?? ""} (${fields.join(", ")})` : known ?? da.errors.unknown;
}

/** The words a change carries (a note's text, an agreement's what), for copying. */
export function textOf(entity: string, fields: Fields): string {
  if (!isEntity(entity)) return "";
  const rules: Readonly<Record<string, FieldRule>> = CONTRACT[entity].fields;
  return Object.entries(fields)
    .filter(([name, value]) => typeof value === "string" && value.trim() && isFreeText(rules[name]))
    .map(([, value]) => String(value))
    .join("\n\n");
}

function isFreeText(rule: FieldRule | undefined): boolean {
  return !!rule && rule.type === "string" && !rule.enum && !rule.format && !rule.pattern && !rule.ref
    && (rule.maxLength ?? Infinity) > 40;
}

function merged(entries: OutboxEntry[]): Fields {
  return Object.assign({}, ...entries.map((e) => e.fields));
}

function about(e: OutboxEntry): Omit<About, "key"> {
  return { entity: e.entity, recordId: e.recordId, meetingId: e.meetingId ?? null };
}

/** A lost value as words: text is shown, a ticked box or a number is not worth quoting. */
function shown(value: unknown): string {
  return typeof value === "string" ? value : "";
}
