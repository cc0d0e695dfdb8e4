import type { WriteState } from "./useWrite";

/** Why a one-tap change (a tick, a button) was refused, next to where it was tapped. */
export function ActionError({ state }: { state: WriteState }) {
  const messages = [...new Set(Object.values(state.errors))];
  if (messages.length === 0) return null;
  return <p class="field-error" role="alert">{messages.join(" ")}</p>;
}
