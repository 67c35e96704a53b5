import type { ComponentChildren } from 'preact';

export interface FieldProps {
  label: string;
  name: string;
  /** Defaults to `name`; must be unique on the page. */
  id?: string;
  type?: 'text' | 'email' | 'password' | 'url' | 'search' | 'date';
  value?: string | null | undefined;
  /** Shown under the input and tied to it with aria-describedby. */
  hint?: ComponentChildren;
  /** What is wrong with the value, next to the field. */
  error?: string | undefined;
  required?: boolean;
  autocomplete?: string;
  placeholder?: string;
  spellcheck?: boolean;
  inputMode?: 'text' | 'email' | 'url';
}

/** A labelled input with its hint and error message: the one way pages ask for a value. */
export function Field({ label, name, id = name, type = 'text', value, hint, error, required, autocomplete, placeholder, spellcheck, inputMode }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>
        {label}
        {required ? '' : <span class="muted"> (optional)</span>}
      </label>
      {error ? (
        <p class="error" id={errorId}>
          {error}
        </p>
      ) : null}
      <input
        id={id}
        name={name}
        type={type}
        value={value ?? ''}
        required={required}
        autocomplete={autocomplete}
        placeholder={placeholder}
        spellcheck={spellcheck}
        inputMode={inputMode}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy}
      />
      {hint ? (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export interface CheckboxProps {
  label: string;
  name: string;
  id?: string;
  checked: boolean;
  hint?: ComponentChildren;
  error?: string | undefined;
}

export function Checkbox({ label, name, id = name, checked, hint, error }: CheckboxProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div class="field">
      {error ? <p class="error" id={errorId}>{error}</p> : null}
      <div class="check">
        <input type="checkbox" id={id} name={name} value="true" checked={checked} aria-describedby={[errorId, hintId].filter(Boolean).join(' ') || undefined} />
        <label for={id}>{label}</label>
      </div>
      {hint ? <p class="hint" id={hintId}>{hint}</p> : null}
    </div>
  );
}

export interface SelectProps {
  label: string;
  name: string;
  id?: string;
  options: Array<{ value: string; label: string }>;
  value?: string | undefined;
  hint?: ComponentChildren;
  error?: string | undefined;
}

export function Select({ label, name, id = name, options, value, hint, error }: SelectProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {error ? <p class="error" id={errorId}>{error}</p> : null}
      <select id={id} name={name} aria-invalid={error ? 'true' : undefined} aria-describedby={[errorId, hintId].filter(Boolean).join(' ') || undefined}>
        {options.map((o) => (
          <option value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint ? <p class="hint" id={hintId}>{hint}</p> : null}
    </div>
  );
}

/** A read-only value with a copy button (the button appears only with script; the value is always selectable). */
export function CopyValue({ id, value, label }: { id: string; value: string; label: string }) {
  return (
    <div class="copy">
      <code id={id}>{value}</code>
      <button type="button" class="button-small" data-copy={id} hidden aria-label={`Copy ${label}`}>
        Copy
      </button>
    </div>
  );
}
