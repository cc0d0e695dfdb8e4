import type { ComponentChildren } from "preact";
import { useEffect, useId, useRef } from "preact/hooks";

import { da } from "../i18n/da";

/**
 * A question before an action that cannot be undone (publishing to the parents, filing,
 * consent recorded at the table): says who and what, and waits for a second, deliberate tap.
 * A native modal <dialog>: focus stays inside, Escape cancels, the page behind is inert.
 * Focus starts on "Annullér", the harmless choice.
 */
export function Confirm({ open, title, confirm, onConfirm, onCancel, children }: {
  open: boolean; title: string; confirm: string; onConfirm: () => void; onCancel: () => void;
  children: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      cancel.current?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  const id = useId();
  return (
    <dialog ref={ref} class="confirm" aria-labelledby={`${id}-title`}
      onCancel={(e) => { e.preventDefault(); onCancel(); }}>
      {open && (
        <>
          <h2 id={`${id}-title`}>{title}</h2>
          <div class="confirm-body">{children}</div>
          <div class="confirm-actions">
            <button type="button" class="secondary" ref={cancel} onClick={onCancel}>{da.confirm.cancel}</button>
            <button type="button" onClick={onConfirm}>{confirm}</button>
          </div>
        </>
      )}
    </dialog>
  );
}
