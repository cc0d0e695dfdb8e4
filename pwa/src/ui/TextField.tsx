import { useLayoutEffect, useRef } from "preact/hooks";

import { checkValue, ruleOf } from "../contract/check";
import type { Entity } from "../contract/contract.gen";
import { da } from "../i18n/da";
import { describeFieldProblem } from "../i18n/problems";

interface Props {
  id: string;
  label: string;
  entity: Entity; // the record kind and field whose server rule applies (the contract)
  field: string;
  value: string;
  onInput: (value: string) => void;
  onBlur?: () => void;
  error?: string | undefined; // what the last attempt to save was refused for
  multiline?: boolean;
  grow?: boolean; // a multi-line field that grows with its text (and its placeholder)
  rows?: number;
  hideLabel?: boolean;
  placeholder?: string;
  disabled?: boolean;
  kept?: boolean; // what is typed is kept as a draft on the device (ui/useKept.ts)
}

/** Share of the limit from which the live character count shows. */
const COUNT_FROM = 0.8;

/**
 * A text field that knows the server's rule for it: it says at once, next to the field,
 * when the text is too long ("Højst 2.000 tegn – du har skrevet 5.000."), shows a live count
 * near the limit, and never cuts what was typed or pasted (no maxlength attribute).
 */
export function TextField(p: Props) {
  const rule = ruleOf(p.entity, p.field);
  const length = [...p.value].length;
  const limit = rule?.maxLength;
  const over = limit !== undefined && length > limit ? checkValue(rule!, p.value) : null;
  const message = p.error ?? (over ? describeFieldProblem(over) : undefined);
  const showCount = limit !== undefined && length >= limit * COUNT_FROM;
  const described = [message && `${p.id}-error`, showCount && `${p.id}-count`].filter(Boolean).join(" ");
  const area = useRef<HTMLTextAreaElement>(null);
  useLayoutEffect(() => {
    // Safari has no `field-sizing: content` yet: the field takes the height its text needs.
    const el = area.current;
    if (!el || !p.grow) return;
    el.style.height = "auto";
    const borders = el.offsetHeight - el.clientHeight;
    el.style.height = `${el.scrollHeight + borders}px`;
  }, [p.value, p.grow]);
  const common = {
    id: p.id, value: p.value, placeholder: p.placeholder, disabled: p.disabled,
    "aria-invalid": message ? ("true" as const) : undefined,
    "aria-describedby": described || undefined,
    onBlur: p.onBlur,
  };
  return (
    <div class="text-field">
      <label for={p.id} class={p.hideLabel ? "visually-hidden" : undefined}>{p.label}</label>
      {p.multiline
        ? <textarea {...common} ref={area} rows={p.rows} class={p.grow ? "grow" : undefined}
            onInput={(e) => p.onInput(e.currentTarget.value)} />
        : <input {...common} onInput={(e) => p.onInput(e.currentTarget.value)} />}
      {showCount && (
        <p id={`${p.id}-count`} class={`field-count${over ? " over" : ""}`} aria-live="polite">
          {da.check.length(length, limit!)}
        </p>
      )}
      {message && <p id={`${p.id}-error`} class="field-error" role="alert">{message}</p>}
      {p.kept && <p id={`${p.id}-kept`} class="field-kept">{da.drafts.kept}</p>}
    </div>
  );
}
