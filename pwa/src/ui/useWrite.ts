import { useState } from "preact/hooks";

import { storageProblem } from "../app/storage";
import { da } from "../i18n/da";
import { describeFieldProblems } from "../i18n/problems";
import { ChangeRefused } from "../sync/store";

export interface WriteState {
  /** Why the last attempt was refused, by field ("*": the change as a whole). */
  errors: Record<string, string>;
  /** Run a change; true when it was kept. A refusal keeps what the user typed on screen. */
  run: (write: () => Promise<unknown>) => Promise<boolean>;
  clear: () => void;
}

/** A form's link to the write path: refusals come back as words next to the fields. */
export function useWrite(): WriteState {
  const [errors, setErrors] = useState<Record<string, string>>({});
  async function run(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      // No new object when there was nothing to clear: a render now, before the stored
      // value has come back from the local database, set a controlled radio or checkbox back
      // to the old value for a moment (a flicker, and a quick look found nothing chosen).
      setErrors((was) => (Object.keys(was).length === 0 ? was : {}));
      return true;
    } catch (err) {
      // A full disk (or a browser that keeps nothing) is said as such, with what to do: the
      // change was not kept, everything saved before it is (one transaction per change).
      setErrors(err instanceof ChangeRefused ? describeFieldProblems(err.problems)
        : { "*": storageProblem(err) ?? da.check.broken });
      return false;
    }
  }
  return { errors, run, clear: () => setErrors({}) };
}
