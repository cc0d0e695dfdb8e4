// The one "Fortryd" offer on the screen (a snackbar): made by the screen that deleted or moved
// something, shown by UndoBar. A new offer replaces the last one; an offer lasts a few seconds.

export interface UndoOffer {
  message: string; // "Noten er slettet"
  undo: () => Promise<unknown>;
  undone?: string; // said once undone, e.g. "Noten er tilbage"
  /** The action took away the element that had the keyboard focus: give it to "Fortryd",
   * and once undone, to this element (the record brought back), e.g. "#item-<id>". */
  takeFocus?: boolean;
  focusAfter?: string;
}

export interface ShownOffer extends UndoOffer {
  id: number;
}

type Listener = (offer: ShownOffer | null) => void;

let current: ShownOffer | null = null;
let next = 1;
const listeners = new Set<Listener>();

export function offerUndo(offer: UndoOffer): void {
  current = { ...offer, id: next++ };
  for (const listener of listeners) listener(current);
}

/** End the offer `id` (its time is up, or it was used); a newer offer stays. */
export function endOffer(id: number): void {
  if (current?.id !== id) return;
  current = null;
  for (const listener of listeners) listener(null);
}

export function onOffer(listener: Listener): () => void {
  listeners.add(listener);
  listener(current);
  return () => listeners.delete(listener);
}

/** True when the focus is inside `element` (taken before an action that may remove it). */
export function holdsFocus(element: Element | null): boolean {
  return !!element && element.contains(document.activeElement);
}

/** Focus an element once a change has re-rendered the screen (live queries answer later). */
export function focusWhenThere(selector: string, tries = 60): void {
  const el = document.querySelector<HTMLElement>(selector);
  if (el) el.focus();
  else if (tries > 0) requestAnimationFrame(() => focusWhenThere(selector, tries - 1));
}
