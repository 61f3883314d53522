/** Form parts with their labels, hints and errors wired for screen readers (aria-describedby, role=alert). */
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import { ApiError } from '../api/client';
import { t } from '../i18n';

type FieldProps = {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ComponentChildren;
};

export const Field = ({ label, hint, error, children }: FieldProps) => {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
      {children({ id, describedBy, invalid: Boolean(error) })}
      {error && (
        <p class="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
};

type InputType = 'text' | 'email' | 'password' | 'search' | 'url' | 'tel' | 'number' | 'date' | 'time' | 'color';
type InputProps = {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  value: string;
  onValue: (v: string) => void;
  type?: InputType;
  autoComplete?: string;
  required?: boolean;
  disabled?: boolean;
  minLength?: number;
  maxLength?: number;
  min?: number;
  max?: number;
  placeholder?: string | undefined;
};

export const TextInput = ({ label, hint, error, value, onValue, type = 'text', ...rest }: InputProps) => (
  <Field label={label} hint={hint} error={error}>
    {({ id, describedBy, invalid }) => (
      <input
        id={id}
        // Preact types each input `type` with its own attribute set; this component passes only attributes all of them accept.
        type={type as 'text'}
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        value={value}
        onInput={(e) => onValue((e.target as HTMLInputElement).value)}
        {...rest}
      />
    )}
  </Field>
);

/** The account's current password, asked again before a change that needs it (password, email, deleting the account). */
export const CurrentPasswordInput = ({ value, onValue }: { value: string; onValue: (v: string) => void }) => (
  <TextInput label={t.auth.currentPassword} type="password" autoComplete="current-password" value={value} onValue={onValue} />
);

/** A new password, with the rule the API enforces (12 characters) checked by the browser first. */
export const NewPasswordInput = ({
  label = t.auth.newPassword,
  value,
  onValue,
  error,
}: {
  label?: string;
  value: string;
  onValue: (v: string) => void;
  error?: string | undefined;
}) => (
  <TextInput
    label={label}
    hint={t.auth.passwordHint}
    type="password"
    autoComplete="new-password"
    required
    minLength={12}
    value={value}
    onValue={onValue}
    error={error}
  />
);

type AreaProps = {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  value: string;
  onValue: (v: string) => void;
  rows?: number;
};
export const TextArea = ({ label, hint, error, value, onValue, rows = 4 }: AreaProps) => (
  <Field label={label} hint={hint} error={error}>
    {({ id, describedBy, invalid }) => (
      <textarea
        id={id}
        rows={rows}
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        value={value}
        onInput={(e) => onValue((e.target as HTMLTextAreaElement).value)}
      />
    )}
  </Field>
);

type SelectProps = {
  label: string;
  hint?: string;
  value: string;
  onValue: (v: string) => void;
  options: [value: string, label: string][];
  name?: string;
};
export const Select = ({ label, hint, value, onValue, options, name }: SelectProps) => (
  <Field label={label} hint={hint}>
    {({ id, describedBy }) => (
      <select
        id={id}
        name={name}
        aria-describedby={describedBy}
        value={value}
        onChange={(e) => onValue((e.target as HTMLSelectElement).value)}
      >
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    )}
  </Field>
);

export const errorText = (err: Error) => {
  if (err instanceof ApiError) {
    const fields = Object.entries(err.fieldErrors);
    const detail = err.problem.detail ?? err.problem.title ?? err.message;
    return fields.length ? `${detail} ${fields.map(([f, m]) => `${f}: ${m}`).join('; ')}` : detail;
  }
  return err.message;
};

export const ErrorBox = ({ error }: { error: Error | undefined }) =>
  error ? (
    <div class="alert error" role="alert">
      {errorText(error)}
    </div>
  ) : null;

export const Notice = ({ children, kind = 'info' }: { children: ComponentChildren; kind?: 'info' | 'success' | 'warning' }) => (
  <div class={`alert ${kind}`} role="status">
    {children}
  </div>
);

export const Loading = () => (
  <p class="loading" role="status">
    {t.loading}
  </p>
);

export const Busy = ({ busy, label, busyLabel }: { busy: boolean; label: string; busyLabel?: string }) => (
  <button type="submit" disabled={busy} aria-busy={busy || undefined}>
    {busy && busyLabel ? busyLabel : label}
  </button>
);

/** What ActionButton needs of `useAction()`: its busy flag and its runner (errors and messages stay with the action). */
type ActionRunner = { busy: boolean; run: (fn: () => Promise<string | void>) => Promise<void> };

/**
 * A secondary button that runs `run` through `action`, disabled while it runs; with `confirmText`, only after the
 * user accepts the browser's confirmation (removals, disconnects, key rotation).
 */
export const ActionButton = ({
  action,
  run,
  confirmText,
  children,
}: {
  action: ActionRunner;
  run: () => Promise<string | void>;
  confirmText?: string;
  children: ComponentChildren;
}) => (
  <button
    type="button"
    class="secondary"
    disabled={action.busy}
    onClick={() => (!confirmText || confirm(confirmText)) && void action.run(run)}
  >
    {children}
  </button>
);

/** The submit handler of a form: prevents the page load and runs `fn`. */
export const onSubmit = (fn: () => void) => (e: Event) => {
  e.preventDefault();
  fn();
};
