import { useState } from "preact/hooks";

import type { Services } from "../app/services";
import type { LocalRecord, OutboxEntry } from "../db/db";
import { da } from "../i18n/da";

interface Props {
  note: LocalRecord;
  services: Services;
  rejected: OutboxEntry[];
  conflicts: LocalRecord[];
  unsent: boolean;
  onMove: (step: -1 | 1) => void;
}

/** One note: its text, its unsent or refused state, conflicts about it, and its actions. */
export function NoteCard({ note, services, rejected, conflicts, unsent, onMove }: Props) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(String(note.fields["text"] ?? ""));
  const { store, engine } = services;

  async function change(op: "upsert" | "delete", fields: Record<string, unknown> = {}) {
    await store.change("board_note", note.id, op, fields);
    await engine.changed();
  }

  async function save(event: Event) {
    event.preventDefault();
    await change("upsert", { text: text.trim() });
    setEditing(false);
  }

  return (
    <li class="note">
      {editing ? (
        <form onSubmit={save}>
          <label for={`edit-${note.id}`} class="visually-hidden">{da.board.edit}</label>
          <textarea id={`edit-${note.id}`} value={text} onInput={(e) => setText(e.currentTarget.value)} />
          <button type="submit">{da.board.save}</button>
          <button type="button" class="secondary" onClick={() => setEditing(false)}>{da.board.cancel}</button>
        </form>
      ) : (
        <p class="note-text">{String(note.fields["text"] ?? "")}</p>
      )}
      {unsent && <p class="note-unsent">{da.board.notSent}</p>}
      {rejected.map((entry) => (
        <div key={entry.id} class="note-problem" role="alert">
          <p>{da.board.rejected(reason(entry))}</p>
          <button type="button" onClick={() => void store.discard(entry.seq!).then(() => engine.changed())}>
            {da.board.discard}
          </button>
        </div>
      ))}
      {conflicts.map((c) => (
        <div key={c.id} class="note-problem" role="alert">
          <p>{da.board.conflict(String(c.fields["value"]), String(c.fields["winning_value"]))}</p>
          <button type="button" onClick={() => void restore(services, note, c)}>{da.board.restore}</button>
          <button type="button" class="secondary" onClick={() => void resolve(services, c)}>{da.board.dismiss}</button>
        </div>
      ))}
      {!editing && (
        <div class="note-actions">
          <button type="button" class="secondary" onClick={() => { setText(String(note.fields["text"] ?? "")); setEditing(true); }}>
            {da.board.edit}
          </button>
          <button type="button" class="secondary" onClick={() => void change("delete")}>{da.board.remove}</button>
          <button type="button" class="secondary" aria-label={da.board.moveUp} onClick={() => onMove(-1)}>▲</button>
          <button type="button" class="secondary" aria-label={da.board.moveDown} onClick={() => onMove(1)}>▼</button>
        </div>
      )}
    </li>
  );
}

function reason(entry: OutboxEntry): string {
  return da.rejections[entry.error?.code ?? ""] ?? da.errors.unknown;
}

async function restore(services: Services, note: LocalRecord, conflict: LocalRecord) {
  const field = String(conflict.fields["field"]);
  const op = conflict.fields["kind"] === "deleted" ? "restore" : "upsert";
  // The value comes back and the conflict closes together, or neither does.
  await services.store.changeAll([
    { entity: "board_note", recordId: note.id, op, fields: { [field]: conflict.fields["value"] } },
    { entity: "conflict", recordId: conflict.id, op: "upsert", fields: { resolved: true } },
  ]);
  await services.engine.changed();
}

async function resolve(services: Services, conflict: LocalRecord) {
  await services.store.change("conflict", conflict.id, "upsert", { resolved: true });
  await services.engine.changed();
}
