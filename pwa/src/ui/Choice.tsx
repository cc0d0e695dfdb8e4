import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";

/** A choice bound to a stored value, shown at once. The stored value comes back from the
 * local database a moment after the write; a render in between (another live query's, the
 * write's own) set a controlled radio or checkbox back to the old value — a flicker, and a
 * quick look found nothing chosen. A new stored value (this write's, or one another device
 * sent) replaces the choice; a refused write shows the stored value again. */
export function useChoice<T>(stored: T): [T, (value: T, write: () => Promise<boolean>) => void] {
  const [chosen, setChosen] = useState<{ value: T } | null>(null);
  useEffect(() => setChosen(null), [stored]);
  function choose(value: T, write: () => Promise<boolean>) {
    setChosen({ value });
    void write().then((kept) => { if (!kept) setChosen(null); });
  }
  return [chosen ? chosen.value : stored, choose];
}

/** A checkbox bound to a stored value (see useChoice); ``write`` says whether it was kept. */
export function Check({ stored, write, disabled, labelledBy }: {
  stored: boolean; write: (checked: boolean) => Promise<boolean>; disabled?: boolean; labelledBy?: string;
}) {
  const [shown, choose] = useChoice(stored);
  return (
    <input type="checkbox" disabled={disabled} checked={shown} aria-labelledby={labelledBy}
      onChange={(e) => { const checked = e.currentTarget.checked; choose(checked, () => write(checked)); }} />
  );
}

/**
 * A tick box for an item of a list (a person, an agreement, a task): the box and its own
 * visible word ("Til stede", "Udført") are the one 44 px target; the item's text stays outside
 * the label, so a tap on the text (to read it, or by a hand resting on the tablet) never
 * ticks it. The box is named by its word and the item's text (`textId`) for a screen reader.
 */
export function TickBox({ textId, word, children }: {
  textId: string; word: string; children: (labelledBy: string) => ComponentChildren;
}) {
  const wordId = `${textId}-tick`;
  return (
    <label class="tick">
      {children(`${wordId} ${textId}`)}
      <span id={wordId}>{word}</span>
    </label>
  );
}
