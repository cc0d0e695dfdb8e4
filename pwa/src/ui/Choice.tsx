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
export function Check({ stored, write, disabled }: {
  stored: boolean; write: (checked: boolean) => Promise<boolean>; disabled?: boolean;
}) {
  const [shown, choose] = useChoice(stored);
  return (
    <input type="checkbox" disabled={disabled} checked={shown}
      onChange={(e) => { const checked = e.currentTarget.checked; choose(checked, () => write(checked)); }} />
  );
}
