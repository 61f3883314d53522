/** An editable list of short strings (allowed origins, alert emails, WhatsApp numbers): add with a field, remove each. */
import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { TextInput } from './forms';

type Props = {
  legend: string;
  hint?: string;
  label: string;
  addLabel: string;
  removeLabel: (item: string) => string;
  items: string[];
  onChange: (items: string[]) => void;
  type?: 'text' | 'email' | 'url' | 'tel';
  placeholder?: string;
  badge?: (item: string) => string | undefined;
};

export const ListEditor = ({ legend, hint, label, addLabel, removeLabel, items, onChange, type = 'text', placeholder, badge }: Props) => {
  const [value, setValue] = useState('');
  const add = () => {
    const v = value.trim();
    if (v && !items.includes(v)) onChange([...items, v]);
    setValue('');
  };
  return (
    <fieldset class="list-editor">
      <legend>{legend}</legend>
      {hint && <p class="hint">{hint}</p>}
      <ul class="list">
        {items.map((item) => (
          <li key={item}>
            <span>
              {item} {badge?.(item) && <span class="badge warn">{badge(item)}</span>}
            </span>
            <button
              type="button"
              class="secondary"
              aria-label={removeLabel(item)}
              onClick={() => onChange(items.filter((i) => i !== item))}
            >
              {t.remove}
            </button>
          </li>
        ))}
      </ul>
      {/* Not a nested <form>: Enter in the field adds the item instead of submitting the outer form. */}
      <div class="row add-row" onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), add())}>
        <TextInput label={label} type={type} value={value} onValue={setValue} placeholder={placeholder} />
        <button type="button" class="secondary" onClick={add}>
          {addLabel}
        </button>
      </div>
    </fieldset>
  );
};
