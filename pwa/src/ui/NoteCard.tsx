import { useState } from "preact/hooks";

import type { Services } from "../app/services";
import type { Problem } from "../data/problems";
import type { LocalRecord } from "../db/db";
import { da } from "../i18n/da";
import { ActionError } from "./ActionError";
import { ProblemList } from "./Problems";
import { TextField } from "./TextField";
import { useWrite } from "./useWrite";

interface Props {
  note: LocalRecord;
  services: Services;
  problems: Problem[] | undefined;
  unsent: boolean;
  onMove: (step: -1 | 1) => Promise<void>;
}

/** One note: its text, its unsent or refused state, conflicts about it, and its actions. */
export function NoteCard({ note, services, problems, unsent, onMove }: Props) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(String(note.fields["text"] ?? ""));
  const { errors, run, clear } = useWrite();
  const action = useWrite();
  const { write } = services;
  const refused = problems?.some((p) => p.kind === "refused");

  async function save(event: Event) {
    event.preventDefault();
    // A refused note is fixed by editing it: the fix goes to the server as a new change.
    if (await run(() => write.editNote(note.id, text.trim()))) setEditing(false);
  }

  return (
    <li class="note" id={`item-${note.id}`}>
      {editing ? (
        <form onSubmit={save}>
          <TextField id={`edit-${note.id}`} label={da.board.edit} hideLabel multiline entity="board_note" field="text"
            value={text} error={errors["text"] ?? errors["*"]} onInput={(value) => { setText(value); clear(); }} />
          <button type="submit">{da.board.save}</button>
          <button type="button" class="secondary" onClick={() => setEditing(false)}>{da.board.cancel}</button>
        </form>
      ) : (
        <p class="note-text">{String(note.fields["text"] ?? "")}</p>
      )}
      {unsent && !refused && <p class="note-unsent">{da.board.notSent}</p>}
      <ProblemList services={services} problems={problems} />
      <ActionError state={action} />
      {!editing && (
        <div class="note-actions">
          <button type="button" class="secondary" onClick={() => { setText(String(note.fields["text"] ?? "")); setEditing(true); }}>
            {da.board.edit}
          </button>
          <button type="button" class="secondary" onClick={() => void action.run(() => write.deleteNote(note.id))}>{da.board.remove}</button>
          <button type="button" class="secondary" aria-label={da.board.moveUp} onClick={() => void action.run(() => onMove(-1))}>▲</button>
          <button type="button" class="secondary" aria-label={da.board.moveDown} onClick={() => void action.run(() => onMove(1))}>▼</button>
        </div>
      )}
    </li>
  );
}
