import { useRef, useState } from "preact/hooks";

import type { Services } from "../app/services";
import type { Problem } from "../data/problems";
import type { Stored } from "../data/records";
import type { Column } from "../data/writes";
import { da } from "../i18n/da";
import { ActionError } from "./ActionError";
import type { DropTarget } from "./dragNote";
import { MoveNote } from "./MoveNote";
import { ProblemList } from "./Problems";
import { TextField } from "./TextField";
import { holdsFocus, offerUndo } from "./undo";
import { useKept } from "./useKept";
import { useWrite } from "./useWrite";

/** The drafts of notes being edited on a meeting's board start so (keys hold ids only). */
export const noteEditPrefix = (meetingId: string) => `note-edit:${meetingId}:`;
export const noteEditKey = (meetingId: string, noteId: string) => `${noteEditPrefix(meetingId)}${noteId}`;

interface Props {
  note: Stored<"board_note">;
  services: Services;
  problems: Problem[] | undefined;
  unsent: boolean;
  index: number; // its place in its column
  count: number; // notes in its column
  columns: Column[];
  onMove: (to: DropTarget) => Promise<boolean>;
  onDragStart: (event: PointerEvent) => void;
  dragging: boolean;
  dropBefore: boolean; // a dragged note would land just above this one
  draftKey: string; // where the text being edited is kept (noteEditKey)
  hasDraft: boolean; // an edit was left unsaved (a reload, a crash): its editor opens again
}

/** One note: its text, its unsent or refused state, conflicts about it, and its actions. */
export function NoteCard(p: Props) {
  const { note, services, problems, unsent } = p;
  const [opened, setOpened] = useState(false);
  const editing = opened || p.hasDraft;
  const action = useWrite();
  const card = useRef<HTMLLIElement>(null);
  const { write } = services;
  const refused = problems?.some((p) => p.kind === "refused");
  const textId = `text-${note.id}`;

  async function remove() {
    const hadFocus = holdsFocus(card.current);
    let undo: Awaited<ReturnType<typeof write.deleteNote>> | null = null;
    const kept = await action.run(async () => { undo = await write.deleteNote(note.id); });
    if (kept && undo) {
      const taken = undo;
      offerUndo({ message: da.undo.noteDeleted, undone: da.undo.noteBack, takeFocus: hadFocus,
        focusAfter: `#item-${CSS.escape(note.id)}`, undo: () => write.undo(taken) });
    }
  }

  const classes = ["note", p.dragging && "dragging", p.dropBefore && "drop-before"].filter(Boolean).join(" ");
  return (
    <li class={classes} id={`item-${note.id}`} data-note={note.id} ref={card} tabIndex={-1}>
      {editing ? (
        <NoteEditor note={note} services={services} draftKey={p.draftKey} onDone={() => setOpened(false)} />
      ) : (
        <div class="note-body">
          <p class="note-text" id={textId}>{note.fields.text}</p>
          {/* For a finger, pen or mouse; the keyboard and screen readers use "Flyt til …". */}
          <span class="drag-handle" aria-hidden="true" title={da.table.dragHandle}
            onPointerDown={(e) => p.onDragStart(e)}>⠿</span>
        </div>
      )}
      {unsent && !refused && <p class="note-unsent">{da.board.notSent}</p>}
      <ProblemList services={services} problems={problems} />
      <ActionError state={action} />
      {!editing && (
        <div class="note-actions">
          <button type="button" class="secondary" aria-describedby={textId}
            onClick={() => setOpened(true)}>
            {da.board.edit}
          </button>
          <MoveNote noteId={note.id} text={note.fields.text} describedBy={textId} column={note.fields.column}
            index={p.index} count={p.count} columns={p.columns} onMove={p.onMove} />
          <button type="button" class="secondary" aria-describedby={textId} onClick={() => void remove()}>
            {da.board.remove}
          </button>
        </div>
      )}
    </li>
  );
}

/** A note's text being edited: kept as a draft until saved or cancelled, so a reload, a
 * crashed tab or going offline loses nothing (issue 23); "Gemt" says when it is kept. */
function NoteEditor({ note, services, draftKey, onDone }: {
  note: Stored<"board_note">; services: Services; draftKey: string; onDone: () => void;
}) {
  // null: nothing typed yet, the note's own text is shown.
  const draft = useKept<string | null>(services.drafts, draftKey, null);
  const text = draft.value ?? note.fields.text;
  const { errors, run, clear } = useWrite();

  async function save(event: Event) {
    event.preventDefault();
    // A refused note is fixed by editing it: the fix goes to the server as a new change.
    if (await run(() => services.write.editNote(note.id, text.trim()))) {
      draft.clear();
      onDone();
    }
  }

  function cancel() {
    draft.clear(); // given up: the draft goes with the editor
    onDone();
  }

  return (
    <form class="note-edit" onSubmit={save}>
      <TextField id={`edit-${note.id}`} label={da.board.edit} hideLabel multiline grow rows={3} entity="board_note"
        field="text" value={text} kept={draft.kept} error={errors["text"] ?? errors["*"]}
        onInput={(value) => { draft.set(value); clear(); }} />
      <div class="note-actions">
        <button type="submit">{da.board.save}</button>
        <button type="button" class="secondary" onClick={cancel}>{da.board.cancel}</button>
      </div>
    </form>
  );
}
