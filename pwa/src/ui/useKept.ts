// A form field's value kept as a draft on the device while it is typed (data/drafts.ts).

import { useEffect, useRef, useState } from "preact/hooks";

import type { Drafts } from "../data/drafts";

/** How long typing may pause before the draft is written: each keystroke is not a write. */
const PAUSE_MS = 250;

export interface Kept<T> {
  value: T;
  /** The draft of what is shown is on the device ("Gemt" may be shown). */
  kept: boolean;
  set: (value: T) => void;
  /** Saved as a change (or given up): the field is empty again and the draft goes. */
  clear: () => void;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Like useState, but what is typed outlives a reload, a crash of the tab and going
 * offline: a draft under `key` comes back when the field is shown again. */
export function useKept<T>(drafts: Drafts, key: string, empty: T): Kept<T> {
  const [value, setValue] = useState<T>(empty);
  const [kept, setKept] = useState(false);
  const typed = useRef(false);
  const latest = useRef<T>(empty);
  const pending = useRef<(() => void) | null>(null);
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => {
    let live = true;
    typed.current = false;
    void drafts.get<T>(key).then((draft) => {
      // What was typed meanwhile wins over the draft being read.
      if (!live || typed.current || draft === undefined) return;
      latest.current = draft;
      setValue(draft);
      setKept(true);
    }, () => undefined);
    // A tab put away (or closed) mid-pause writes its draft at once.
    window.addEventListener("pagehide", flush);
    return () => {
      live = false;
      window.removeEventListener("pagehide", flush);
      flush(); // leaving the screen mid-pause: the draft is written now, not lost
    };
  }, [drafts, key]);

  function flush() {
    window.clearTimeout(timer.current);
    const write = pending.current;
    pending.current = null;
    write?.();
  }

  function store(next: T, at: number) {
    window.clearTimeout(timer.current);
    const isEmpty = same(next, empty);
    pending.current = () => {
      const done = isEmpty ? drafts.drop(key) : drafts.put(key, next);
      void done.then(() => { if (latest.current === next) setKept(!isEmpty); }, () => setKept(false));
    };
    timer.current = window.setTimeout(flush, at);
  }

  return {
    value,
    kept,
    set: (next) => {
      typed.current = true;
      latest.current = next;
      setValue(next);
      setKept(false);
      store(next, PAUSE_MS);
    },
    clear: () => {
      typed.current = true;
      latest.current = empty;
      setValue(empty);
      setKept(false);
      store(empty, 0);
    },
  };
}
