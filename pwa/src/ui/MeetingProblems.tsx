import { useLive } from "../app/live";
import type { Services } from "../app/services";
import type { LocalRecord, OutboxEntry } from "../db/db";
import { da } from "../i18n/da";

interface Problems {
  rejected: OutboxEntry[];
  conflicts: LocalRecord[];
}

/**
 * Refused changes and lost values for the meeting and its parts (notes show their own):
 * each stays on screen, with the reason, until the user fixes, restores or discards it.
 */
export function MeetingProblems({ services, meetingId }: { services: Services; meetingId: string }) {
  const { store, engine } = services;
  const problems = useLive(() => findProblems(services, meetingId), [services, meetingId],
    { rejected: [], conflicts: [] } as Problems);
  if (problems.rejected.length + problems.conflicts.length === 0) return null;
  const what = (entity: unknown) => da.problems.entities[String(entity)] ?? String(entity);

  async function restore(conflict: LocalRecord) {
    const f = conflict.fields;
    // A value lost to a delete comes back with its record (op "restore", PROTOCOL.md); the
    // value and the closing of the conflict are kept together.
    await store.changeAll([
      { entity: String(f["entity"]), recordId: String(f["record_id"]),
        op: f["kind"] === "deleted" ? "restore" : "upsert", fields: { [String(f["field"])]: f["value"] } },
      { entity: "conflict", recordId: conflict.id, op: "upsert", fields: { resolved: true } },
    ]);
    await engine.changed();
  }

  async function dismiss(conflict: LocalRecord) {
    await store.change("conflict", conflict.id, "upsert", { resolved: true });
    await engine.changed();
  }

  return (
    <section class="problems">
      {problems.rejected.map((e) => (
        <div key={e.id} class="note-problem" role="alert">
          <p>{da.problems.rejected(what(e.entity), da.rejections[e.error?.code ?? ""] ?? e.error?.message ?? da.errors.unknown)}</p>
          <button type="button" onClick={() => void store.discard(e.seq!).then(() => engine.changed())}>
            {da.board.discard}
          </button>
        </div>
      ))}
      {problems.conflicts.map((c) => (
        <div key={c.id} class="note-problem" role="alert">
          <p>{da.problems.conflict(what(c.fields["entity"]), String(c.fields["value"]), String(c.fields["winning_value"]))}</p>
          <button type="button" onClick={() => void restore(c)}>{da.problems.restore}</button>
          <button type="button" class="secondary" onClick={() => void dismiss(c)}>{da.board.dismiss}</button>
        </div>
      ))}
    </section>
  );
}

async function findProblems({ db }: Services, meetingId: string): Promise<Problems> {
  const parts = (await db.records.where("parentId").equals(meetingId).toArray())
    .filter((r) => r.entity !== "board_note");
  const ids = new Set([meetingId, ...parts.map((r) => r.id)]);
  const rejected = (await db.outbox.where("status").equals("rejected").toArray())
    .filter((e) => ids.has(e.recordId) && e.entity !== "conflict");
  const conflicts = (await db.records.where("entity").equals("conflict").toArray())
    .filter((c) => !c.fields["resolved"] && ids.has(String(c.fields["record_id"]))
      && c.fields["entity"] !== "board_note");
  return { rejected, conflicts };
}
