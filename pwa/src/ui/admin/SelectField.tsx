interface Props {
  id: string;
  label: string;
  value: string;
  options: Array<[value: string, label: string]>;
  error?: string | undefined;
  disabled?: boolean;
  hint?: string | undefined;
  onChange: (value: string) => void;
}

/** A labelled select with its error (or a hint why it cannot be changed) beside it. */
export function SelectField({ id, label, value, options, error, disabled, hint, onChange }: Props) {
  const note = error ?? hint;
  return (
    <>
      <label for={id}>{label}</label>
      <select id={id} value={value} disabled={disabled} aria-invalid={error ? "true" : undefined}
        aria-describedby={note ? `${id}-note` : undefined}
        onChange={(e) => onChange(e.currentTarget.value)}>
        {options.map(([v, text]) => <option key={v} value={v}>{text}</option>)}
      </select>
      {note && <p id={`${id}-note`} class={error ? "field-error" : "hint"}>{note}</p>}
    </>
  );
}
