import { useLive } from "../app/live";
import type { Services } from "../app/services";
import type { PlaceProblems } from "../data/problems";
import type { Stored } from "../data/records";
import type { Column as ColumnName } from "../data/writes";
import { da } from "../i18n/da";
import { ActionError } from "./ActionError";
import { type DropTarget, useNoteDrag } from "./dragNote";
import { NoteCard, noteEditKey, noteEditPrefix } from "./NoteCard";
import { TextField } from "./TextField";
import { offerUndo } from "./undo";
import { useKept } from "./useKept";
import { useWrite } from "./useWrite";
import { ParentsSee } from "./ParentsSee";

export const COLUMNS: ColumnName[] = ["worries", "working", "next_steps"];

interface BoardData {
  notes: Stored<"board_note">[];
  unsent: Set<string>;
}

const title = (column: string) => da.board.columns[column] ?? column;

/** The notes of one column, in their order. */
function inColumn(notes: Stored<"board_note">[], column: ColumnName): Stored<"board_note">[] {
  return notes.filter((n) => n.fields.column === column)
    .sort((a, b) => (a.fields.position ?? 0) - (b.fields.position ?? 0));
}

/** The board's three columns: notes are added, edited, moved (dragged, or "Flyt til …") and
 * deleted (with undo) here, with or without net. */
export function Board({ services, meetingId, problems }: {
  services: Services; meetingId: string; problems: PlaceProblems;
}) {
  const { read } = services;
  const data = useLive(async () => ({
    notes: await read.children("board_note", meetingId), unsent: await read.unsentIds([meetingId]),
  }), [read, meetingId], { notes: [], unsent: new Set() } as BoardData);
  // Notes being edited when the tab went (a reload, a crash): their editors open again, with
  // what was typed (NoteCard.tsx). One query for the board, not one per note.
  const prefix = noteEditPrefix(meetingId);
  const edited = useLive(() => services.drafts.keysUnder(prefix), [services.drafts, prefix], new Set<string>());
  const moving = useWrite();

  /** One named change, and "Fortryd" that puts the note back where it was. */
  async function move(noteId: string, to: DropTarget): Promise<boolean> {
    const note = data.notes.find((n) => n.id === noteId);
    if (!note) return false;
    const column = note.fields.column;
    const from = { column, index: inColumn(data.notes, column).findIndex((n) => n.id === noteId) };
    const others = inColumn(data.notes, to.column).filter((n) => n.id !== noteId).length;
    const index = Math.min(to.index, others);
    if (from.column === to.column && from.index === index) return false;
    const kept = await moving.run(() => services.write.moveNote(noteId, { column: to.column, index }));
    if (kept) {
      offerUndo({ message: da.undo.noteMoved(title(to.column)), undone: da.undo.noteMovedBack,
        undo: () => services.write.moveNote(noteId, from) });
    }
    return kept;
  }

  const drag = useNoteDrag((noteId, to) => void move(noteId, to));
  return (
    <section aria-labelledby="board-heading">
      <h2 id="board-heading">{da.board.heading}</h2>
      <ParentsSee part="board" />
      <ActionError state={moving} />
      <div class={`board${drag.dragging ? " board-dragging" : ""}`}>
        {COLUMNS.map((column) => (
          <Column key={column} column={column} services={services} meetingId={meetingId} data={data}
            problems={problems} drag={drag} onMove={move} edited={edited} />
        ))}
      </div>
    </section>
  );
}

function Column({ column, services, meetingId, data, problems, drag, onMove, edited }: {
  column: ColumnName; services: Services; meetingId: string; data: BoardData; problems: PlaceProblems;
  drag: ReturnType<typeof useNoteDrag>; onMove: (noteId: string, to: DropTarget) => Promise<boolean>;
  edited: Set<string>;
}) {
  const text = useKept(services.drafts, `note:${meetingId}:${column}`, "");
  const { errors, run, clear } = useWrite();
  const notes = inColumn(data.notes, column);
  const target = drag.target?.column === column ? drag.target : null;
  const others = notes.filter((n) => n.id !== drag.dragging);

  async function add(event: Event) {
    event.preventDefault();
    // Read what the field holds now: a quick typist can press Enter before a re-render.
    const field = (event.currentTarget as HTMLFormElement).querySelector("textarea");
    const value = (field?.value ?? text.value).trim();
    if (!value) return;
    // Refused (e.g. too long): nothing is queued and the text stays in the field to fix.
    if (await run(() => services.write.addNote(meetingId, column, value))) text.clear();
  }

  /** Enter adds the note (quick capture at the table); Shift+Enter starts a new line. */
  function enter(event: KeyboardEvent) {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    (event.currentTarget as HTMLFormElement).requestSubmit();
  }

  return (
    <div class={`column column-${column}${target ? " drop-target" : ""}`} data-column={column}>
      <h3>{title(column)}</h3>
      <ul class={target && target.index >= others.length ? "drop-end" : undefined}>
        {notes.map((note, index) => (
          <NoteCard key={note.id} note={note} services={services} index={index} count={notes.length}
            columns={COLUMNS} onMove={(to) => onMove(note.id, to)}
            onDragStart={(event) => drag.start(note.id, event)} dragging={drag.dragging === note.id}
            dropBefore={!!target && drag.dragging !== note.id && others.indexOf(note) === target.index}
            problems={problems.byRecord.get(note.id)} unsent={data.unsent.has(note.id)}
            draftKey={noteEditKey(meetingId, note.id)} hasDraft={edited.has(noteEditKey(meetingId, note.id))} />
        ))}
      </ul>
      <form class="note-new" onSubmit={add} onKeyDown={enter}>
        <TextField id={`new-${column}`} label={da.board.newNote(title(column))} hideLabel multiline grow rows={2}
          placeholder={da.table.notePlaceholder} entity="board_note" field="text" value={text.value} kept={text.kept}
          error={errors["text"] ?? errors["*"]} onInput={(value) => { text.set(value); clear(); }} />
        <button type="submit">{da.board.add}</button>
      </form>
    </div>
  );
}
