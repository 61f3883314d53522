/** Business profile: what the assistant knows and says, the working-hours editor, and the AI mode. */
import { useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { t } from '../../i18n';
import { useBusiness } from '../../ui/business';
import { Busy, ErrorBox, Loading, Notice, onSubmit, Select, TextArea, TextInput } from '../../ui/forms';
import { useAction } from '../../ui/hooks';
import { patchBusiness, useBusinessRecord, type Business, type BusinessPatch } from './business';

type Hours = Business['workingHours'][number];

const timeZones = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC', 'Europe/London'];
  }
})();

export const HoursEditor = ({ hours, onChange }: { hours: Hours[]; onChange: (h: Hours[]) => void }) => {
  const set = (i: number, patch: Partial<Hours>) => onChange(hours.map((h, j) => (j === i ? { ...h, ...patch } : h)));
  return (
    <fieldset class="hours">
      <legend>{t.profile.hours}</legend>
      <p class="hint">{t.profile.hoursHint}</p>
      {hours.map((h, i) => (
        <div class="hours-row" key={i} data-testid="hours-row">
          <Select
            label={t.profile.day}
            value={String(h.day)}
            onValue={(v) => set(i, { day: Number(v) })}
            options={t.profile.days.map((d, n) => [String(n), d])}
          />
          <TextInput label={t.profile.opens} type="time" value={h.open} onValue={(open) => set(i, { open })} />
          <TextInput label={t.profile.closes} type="time" value={h.close} onValue={(close) => set(i, { close })} />
          <button type="button" class="secondary" onClick={() => onChange(hours.filter((_, j) => j !== i))}>
            <span aria-hidden="true">✕</span>
            <span class="visually-hidden">{t.profile.removeHours(t.profile.days[h.day] ?? '')}</span>
          </button>
        </div>
      ))}
      <button
        type="button"
        class="secondary"
        onClick={() => {
          const last = hours.at(-1);
          onChange([...hours, { day: last ? (last.day + 1) % 7 : 1, open: last?.open ?? '09:00', close: last?.close ?? '17:00' }]);
        }}
      >
        {t.profile.addHours}
      </button>
    </fieldset>
  );
};

const ProfileForm = ({ business, onSaved }: { business: Business; onSaved: () => void }) => {
  const { isOwner, businessId } = useBusiness();
  const [f, setF] = useState({
    name: business.name,
    niche: business.niche,
    country: business.country,
    timezone: business.timezone,
    language: business.language,
    pricing: business.pricing ?? '',
    calendlyUrl: business.calendlyUrl ?? '',
    customInstructions: business.customInstructions ?? '',
    aiMode: business.aiMode as string,
    handoverPauseMinutes: String(business.handoverPauseMinutes),
  });
  const [hours, setHours] = useState<Hours[]>(business.workingHours);
  const [links, setLinks] = useState(business.bookingLinks);
  const save = useAction();
  const set = (k: keyof typeof f) => (v: string) => setF({ ...f, [k]: v });
  const err = (field: string) => (save.error instanceof ApiError ? save.error.fieldErrors[field] : undefined);

  const submit = () =>
    save.run(async () => {
      const body: BusinessPatch = {
        niche: f.niche,
        country: f.country.toUpperCase(),
        timezone: f.timezone,
        language: f.language,
        workingHours: hours,
        pricing: f.pricing || null,
        bookingLinks: links.filter((l) => l.label || l.url),
        calendlyUrl: f.calendlyUrl || null,
        customInstructions: f.customInstructions || null,
        aiMode: f.aiMode as Business['aiMode'],
        handoverPauseMinutes: Number(f.handoverPauseMinutes),
        ...(isOwner && f.name !== business.name ? { name: f.name } : {}),
      };
      await patchBusiness(businessId, body);
      onSaved();
      return t.saved;
    });

  return (
    <form onSubmit={onSubmit(() => void submit())} noValidate>
      <ErrorBox error={save.error} />
      {save.done && <Notice kind="success">{save.done}</Notice>}
      <TextInput label={t.profile.name} value={f.name} onValue={set('name')} disabled={!isOwner} error={err('name')} />
      <TextInput label={t.profile.niche} hint={t.profile.nicheHint} value={f.niche} onValue={set('niche')} error={err('niche')} />
      <div class="grid-3">
        <TextInput label={t.profile.country} value={f.country} onValue={set('country')} maxLength={2} error={err('country')} />
        <Select
          label={t.profile.timezone}
          value={f.timezone}
          onValue={set('timezone')}
          options={[...new Set([f.timezone, ...timeZones])].map((z) => [z, z])}
        />
        <TextInput label={t.profile.language} value={f.language} onValue={set('language')} error={err('language')} />
      </div>
      <HoursEditor hours={hours} onChange={setHours} />
      {err('workingHours') && <p class="field-error">{err('workingHours')}</p>}
      <TextArea label={t.profile.pricing} hint={t.profile.pricingHint} value={f.pricing} onValue={set('pricing')} error={err('pricing')} />
      <fieldset>
        <legend>{t.profile.booking}</legend>
        {links.map((l, i) => (
          <div class="hours-row" key={i}>
            <TextInput
              label={t.profile.bookingLabel}
              value={l.label}
              onValue={(label) => setLinks(links.map((x, j) => (j === i ? { ...x, label } : x)))}
            />
            <TextInput
              label={t.profile.bookingUrl}
              type="url"
              value={l.url}
              onValue={(url) => setLinks(links.map((x, j) => (j === i ? { ...x, url } : x)))}
              error={err(`bookingLinks.${i}.url`)}
            />
            <button type="button" class="secondary" onClick={() => setLinks(links.filter((_, j) => j !== i))}>
              {t.remove}
            </button>
          </div>
        ))}
        <button type="button" class="secondary" onClick={() => setLinks([...links, { label: '', url: '' }])}>
          {t.profile.addBooking}
        </button>
      </fieldset>
      <TextInput label={t.profile.calendly} type="url" value={f.calendlyUrl} onValue={set('calendlyUrl')} error={err('calendlyUrl')} />
      <TextArea
        label={t.profile.instructions}
        hint={t.profile.instructionsHint}
        value={f.customInstructions}
        onValue={set('customInstructions')}
        error={err('customInstructions')}
      />
      <fieldset id="ai-mode">
        <legend>{t.profile.aiMode}</legend>
        {Object.entries(t.profile.aiModes).map(([mode, label]) => (
          <label class="radio" key={mode}>
            <input type="radio" name="aiMode" value={mode} checked={f.aiMode === mode} onChange={() => set('aiMode')(mode)} /> {label}
          </label>
        ))}
      </fieldset>
      <TextInput
        label={t.profile.handover}
        type="number"
        min={1}
        max={43200}
        value={f.handoverPauseMinutes}
        onValue={set('handoverPauseMinutes')}
        error={err('handoverPauseMinutes')}
      />
      <Busy busy={save.busy} label={t.save} />
    </form>
  );
};

export const ProfileSection = () => {
  const { businessId } = useBusiness();
  const business = useBusinessRecord(businessId);
  if (business.error) return <ErrorBox error={business.error} />;
  if (!business.value) return <Loading />;
  return <ProfileForm key={businessId} business={business.value} onSaved={() => void business.reload()} />;
};
