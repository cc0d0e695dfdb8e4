interface Props {
  id: string;
  label: string;
  type: "email" | "password" | "text";
  autocomplete: string;
  value: string;
  error: string | undefined;
  onInput: (value: string) => void;
}

/** A labelled input with its error beside it (aria-invalid for screen readers and styling). */
export function Field({ id, label, type, autocomplete, value, error, onInput }: Props) {
  return (
    <>
      <label for={id}>{label}</label>
      <input
        id={id}
        type={type}
        autocomplete={autocomplete}
        value={value}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      {error && (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
    </>
  );
}
