import { useEffect, useRef, useState } from "preact/hooks";

import type { Column } from "../data/writes";
import { da } from "../i18n/da";
import type { DropTarget } from "./dragNote";
import { focusWhenThere } from "./undo";

const END = Number.MAX_SAFE_INTEGER; // the end of a column (the write path clamps it)

/**
 * "Flyt til …": moving a note without dragging (keyboard, switch, screen reader). A modal
 * dialog names the other columns and the places up and down; the focus follows the note to
 * its new place.
 */
export function MoveNote({ noteId, text, describedBy, column, index, count, columns, onMove }: {
  noteId: string; text: string; describedBy: string; column: Column; index: number; count: number; columns: Column[];
  onMove: (to: DropTarget) => Promise<boolean>;
}) {
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = dialog.current;
    if (open && el && !el.open) el.showModal();
    if (!open && el?.open) el.close();
  }, [open]);

  async function choose(to: DropTarget) {
    setOpen(false);
    // In another column the note is a new element: wait for it there, then give it the focus.
    if (await onMove(to)) focusWhenThere(`.column-${to.column} #item-${CSS.escape(noteId)} .note-move`);
  }

  const choices: Array<[string, DropTarget]> = [
    ...columns.filter((c) => c !== column).map((c): [string, DropTarget] =>
      [da.table.moveTo(da.board.columns[c] ?? c), { column: c, index: END }]),
    ...(index > 0 ? [[da.table.moveUp, { column, index: index - 1 }] as [string, DropTarget]] : []),
    ...(index < count - 1 ? [[da.table.moveDown, { column, index: index + 1 }] as [string, DropTarget]] : []),
  ];
  return (
    <>
      <button type="button" class="secondary note-move" aria-describedby={describedBy} aria-haspopup="dialog"
        onClick={() => setOpen(true)}>{da.table.moveOpen}</button>
      <dialog ref={dialog} class="confirm move-note" aria-labelledby={`move-${noteId}`}
        aria-describedby={`move-text-${noteId}`} onCancel={(e) => { e.preventDefault(); setOpen(false); }}>
        {open && (
          <>
            <h2 id={`move-${noteId}`}>{da.table.moveHeading}</h2>
            <p class="kept-text" id={`move-text-${noteId}`}>{text}</p>
            <div class="move-choices">
              {choices.map(([label, to]) => (
                <button key={label} type="button" class="secondary" onClick={() => void choose(to)}>{label}</button>
              ))}
            </div>
            <div class="confirm-actions">
              <button type="button" class="secondary" onClick={() => setOpen(false)}>{da.table.cancel}</button>
            </div>
          </>
        )}
      </dialog>
    </>
  );
}
