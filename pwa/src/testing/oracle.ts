// What must hold when every tablet has come back online and synced: each tablet shows what
// the server holds; every change made at a table is on the server, or kept as a conflict for
// its author, or a refusal its author still sees (unless the author discarded or fixed it);
// nothing is there twice. Failures are returned as sentences, to be read in a failing run.

import { outboxProblems, problemsAt } from "../data/problems";
import { summarize } from "../data/summary";
import { type Fields, type OutboxEntry, recordKey } from "../db/db";
import type { WireRecord } from "../sync/protocol";
import type { Tablet } from "./world";

/** A change a tablet queued, as the store queued it (a fix carries the refused fields too). */
export interface Made {
  tablet: string;
  entry: OutboxEntry;
}

export const TEXT_FIELDS = ["text", "what", "child_perspective"];

export async function checkConverged(tablet: Tablet, server: Map<string, WireRecord>): Promise<string[]> {
  const wrong: string[] = [];
  const queued = new Set((await tablet.db.outbox.toArray()).map((e) => recordKey(e.entity, e.recordId)));
  const local = new Map((await tablet.db.records.toArray()).map((r) => [r.key, r]));
  for (const [key, record] of server) {
    const mine = local.get(key);
    if (!mine) {
      wrong.push(`${tablet.name} lacks ${key}`);
      continue;
    }
    if (mine.serverVersion !== record.version || !same(mine.serverFields, record.fields) || mine.serverDeleted !== record.deleted) {
      wrong.push(`${tablet.name} holds an old copy of ${key} (v${mine.serverVersion}, server v${record.version})`);
    }
    if (!queued.has(key) && (!same(mine.fields, record.fields) || mine.deleted !== record.deleted)) {
      wrong.push(`${tablet.name} shows ${key} differently from the server with nothing unsent`);
    }
  }
  for (const key of local.keys()) {
    if (!server.has(key) && !queued.has(key)) wrong.push(`${tablet.name} shows ${key}, which the server does not have`);
  }
  const summary = await summarize(tablet.db);
  if (summary.unsent !== 0) wrong.push(`${tablet.name} still has ${summary.unsent} unsent after syncing`);
  const refusals = outboxProblems(await tablet.db.outbox.toArray()).filter((p) => p.kind === "refused");
  if (summary.refused !== refusals.length) wrong.push(`${tablet.name} counts ${summary.refused} refused, shows ${refusals.length}`);
  for (const p of refusals) {
    const shown = (await problemsAt(tablet.db, p.meetingId)).all.some((q) => q.key === p.key);
    if (!shown) wrong.push(`${tablet.name}: the refusal of ${p.entity} ${p.recordId} is not shown where it was made`);
  }
  return wrong;
}

/** Every text a tablet queued is accounted for. */
export async function checkNothingLost(made: Made[], tablets: Tablet[], server: Map<string, WireRecord>): Promise<string[]> {
  const wrong: string[] = [];
  const byName = new Map(tablets.map((t) => [t.name, t]));
  const results = new Map(tablets.flatMap((t) => t.net.heard.map((h) => [h.mutation.id, h.result] as const)));
  const conflicts = [...server.values()].filter((r) => r.entity === "conflict");
  for (const [i, { tablet, entry }] of made.entries()) {
    const t = byName.get(tablet)!;
    const later = made.slice(i + 1).some((m) => m.tablet === tablet && m.entry.recordId === entry.recordId);
    for (const field of TEXT_FIELDS) {
      const value = entry.fields[field];
      if (typeof value !== "string") continue;
      const result = results.get(entry.id);
      const first = result?.status === "duplicate" ? result.first_status : result?.status;
      const what = `${tablet}'s ${entry.entity}.${field} «${value.slice(0, 30)}»`;
      if (first === "applied" || first === "merged") {
        const lost = result?.conflicts?.some((c) => c.field === field && c.value === value);
        const kept = conflicts.some((c) => c.fields["record_id"] === entry.recordId && c.fields["field"] === field
          && c.fields["value"] === value);
        if (lost && !kept) wrong.push(`${what} lost to a concurrent edit, and no conflict keeps it`);
        continue;
      }
      // Refused, or never answered: still shown to its author, or knowingly replaced by them.
      const stillShown = (await t.db.outbox.toArray()).some((e) => e.recordId === entry.recordId && e.fields[field] === value);
      const discarded = (await t.db.discarded.toArray()).some((d) => d.entries.some((e) => e.id === entry.id));
      if (!stillShown && !discarded && !later) wrong.push(`${what} (${first ?? "never answered"}) is gone`);
    }
  }
  return wrong;
}

/** No text is on two records: a change was never applied twice as two records. */
export function checkNoDuplicates(records: Iterable<{ entity: string; id: string; fields: Fields; deleted: boolean }>,
  where: string): string[] {
  const seen = new Map<string, string>();
  const wrong: string[] = [];
  for (const r of records) {
    if (r.deleted || r.entity === "conflict") continue;
    for (const field of TEXT_FIELDS) {
      const value = r.fields[field];
      if (typeof value !== "string" || !value) continue;
      const key = `${r.entity}.${field}=${value}`;
      const other = seen.get(key);
      if (other && other !== r.id) wrong.push(`${where}: «${value.slice(0, 30)}» is on two records`);
      seen.set(key, r.id);
    }
  }
  return wrong;
}

function same(a: Fields | null | undefined, b: Fields): boolean {
  return JSON.stringify(sorted(a ?? {})) === JSON.stringify(sorted(b));
}

function sorted(fields: Fields): Fields {
  return Object.fromEntries(Object.entries(fields).sort(([x], [y]) => x.localeCompare(y)));
}
