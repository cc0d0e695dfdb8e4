// Dragging a note to another place or column, with a finger (an iPad), a pen or a mouse.
//
// Pointer events, not a library: one code path for touch, pen and mouse in Safari (13+) and
// Chromium; `touch-action: none` on the handle keeps the page from scrolling under the finger
// while the rest of the card scrolls as usual. SortableJS moves DOM nodes behind Preact's
// back, dnd-kit needs React's compat layer and ~30 KB, and libraries built on HTML5
// drag-and-drop need a long press on iPadOS and cannot be driven by real touch input in the
// browser tests. What it takes here is small: a ghost under the finger, the drop place from
// the cards' boxes, scrolling near the edges, and one named change on release.
//
// Those who cannot drag use "Flyt til …" on the card (keyboard and screen reader).

import { useRef, useState } from "preact/hooks";

import type { Column } from "../data/writes";

export interface DropTarget {
  column: Column;
  index: number; // among the column's other notes
}

interface DragState {
  noteId: string;
  target: DropTarget | null;
}

const EDGE = 90; // px from the top or bottom of the window where dragging scrolls it
const MAX_SCROLL = 18; // px per frame

/** Where a note dropped at (x, y) would go: the column under the point, before the first
 * card whose middle is below it. */
export function dropTargetAt(x: number, y: number, noteId: string): DropTarget | null {
  const column = document.elementFromPoint(x, y)?.closest<HTMLElement>("[data-column]");
  if (!column) return null;
  const cards = [...column.querySelectorAll<HTMLElement>("[data-note]")].filter((c) => c.dataset["note"] !== noteId);
  const index = cards.findIndex((c) => {
    const box = c.getBoundingClientRect();
    return y < box.top + box.height / 2;
  });
  return { column: column.dataset["column"] as Column, index: index < 0 ? cards.length : index };
}

/** The drag in progress (for the drop marker) and `start`, for the handle's pointerdown. */
export function useNoteDrag(onDrop: (noteId: string, to: DropTarget) => void) {
  const [drag, setDrag] = useState<DragState | null>(null);
  const active = useRef(false);

  function start(noteId: string, event: PointerEvent) {
    if (active.current || (event.pointerType === "mouse" && event.button !== 0)) return;
    const handle = event.currentTarget as HTMLElement;
    const card = handle.closest<HTMLElement>("[data-note]");
    if (!card) return;
    event.preventDefault();
    active.current = true;
    handle.setPointerCapture?.(event.pointerId);
    const box = card.getBoundingClientRect();
    const ghost = makeGhost(card, box);
    const offset = { x: event.clientX - box.left, y: event.clientY - box.top };
    let point = { x: event.clientX, y: event.clientY };
    let target: DropTarget | null = null;
    let frame = 0;

    const follow = () => {
      ghost.style.transform = `translate(${point.x - offset.x}px, ${point.y - offset.y}px)`;
      const next = dropTargetAt(point.x, point.y, noteId);
      if (next?.column === target?.column && next?.index === target?.index) return;
      target = next; // the board re-renders (its drop marker) only when the place changes
      setDrag({ noteId, target });
    };
    const scroll = () => {
      const { innerHeight } = window;
      const speed = point.y < EDGE ? -(EDGE - point.y) : point.y > innerHeight - EDGE ? point.y - (innerHeight - EDGE) : 0;
      if (speed !== 0) {
        window.scrollBy(0, Math.max(-MAX_SCROLL, Math.min(MAX_SCROLL, speed / 4)));
        follow();
      }
      frame = requestAnimationFrame(scroll);
    };
    const move = (e: PointerEvent) => {
      if (e.pointerId !== event.pointerId) return;
      e.preventDefault();
      point = { x: e.clientX, y: e.clientY };
      follow();
    };
    const finish = (drop: boolean) => {
      handle.removeEventListener("pointermove", move);
      handle.removeEventListener("pointerup", up);
      handle.removeEventListener("pointercancel", cancel);
      window.removeEventListener("keydown", key);
      cancelAnimationFrame(frame);
      ghost.remove();
      active.current = false;
      setDrag(null);
      if (drop && target) onDrop(noteId, target);
    };
    const up = (e: PointerEvent) => { if (e.pointerId === event.pointerId) finish(true); };
    const cancel = (e: PointerEvent) => { if (e.pointerId === event.pointerId) finish(false); };
    const key = (e: KeyboardEvent) => { if (e.key === "Escape") finish(false); };
    handle.addEventListener("pointermove", move);
    handle.addEventListener("pointerup", up);
    handle.addEventListener("pointercancel", cancel);
    window.addEventListener("keydown", key);
    setDrag({ noteId, target: null });
    follow();
    frame = requestAnimationFrame(scroll);
  }

  return { dragging: drag?.noteId ?? null, target: drag?.target ?? null, start };
}

/** A copy of the card that follows the finger; it takes no pointer events, so the place
 * under the finger can be found through it, and no ids or names, so nothing is found twice. */
function makeGhost(card: HTMLElement, box: DOMRect): HTMLElement {
  const ghost = card.cloneNode(true) as HTMLElement;
  ghost.removeAttribute("id");
  ghost.removeAttribute("data-note");
  for (const el of ghost.querySelectorAll("[id]")) el.removeAttribute("id");
  ghost.setAttribute("aria-hidden", "true");
  ghost.inert = true;
  ghost.classList.add("note-ghost");
  Object.assign(ghost.style, { width: `${box.width}px`, left: "0px", top: "0px" });
  document.body.append(ghost);
  return ghost;
}
