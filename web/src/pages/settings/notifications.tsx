/** Where new-lead alerts go: email addresses (instant or a daily digest) and WhatsApp numbers. */
import { useState } from 'preact/hooks';
import { t } from '../../i18n';
import { useBusiness } from '../../ui/business';
import { Busy, ErrorBox, Loading, Notice, onSubmit, Select } from '../../ui/forms';
import { useAction } from '../../ui/hooks';
import { ListEditor } from '../../ui/list-editor';
import { patchBusiness, useBusinessRecord, type Business } from './business';

const NotificationsForm = ({ business, onSaved }: { business: Business; onSaved: () => void }) => {
  const [emails, setEmails] = useState(business.notifyEmails);
  const [numbers, setNumbers] = useState(business.notifyWhatsapp.map((n) => n.number));
  const [mode, setMode] = useState<string>(business.emailMode);
  const save = useAction();
  const failing = new Set(business.notifyWhatsapp.filter((n) => n.status === 'failing').map((n) => n.number));
  return (
    <form
      onSubmit={onSubmit(
        () =>
          void save.run(async () => {
            await patchBusiness(business.id, { notifyEmails: emails, notifyWhatsapp: numbers, emailMode: mode as Business['emailMode'] });
            onSaved();
            return t.saved;
          }),
      )}
    >
      <ErrorBox error={save.error} />
      {save.done && <Notice kind="success">{save.done}</Notice>}
      <ListEditor
        legend={t.notify.emails}
        label={t.notify.emailLabel}
        addLabel={t.notify.addEmail}
        removeLabel={(e) => `${t.remove} ${e}`}
        type="email"
        items={emails}
        onChange={setEmails}
      />
      <Select label={t.notify.mode} value={mode} onValue={setMode} options={Object.entries(t.notify.modes)} />
      <ListEditor
        legend={t.notify.whatsapp}
        label={t.notify.whatsappLabel}
        addLabel={t.notify.addWhatsapp}
        removeLabel={(n) => `${t.remove} ${n}`}
        type="tel"
        items={numbers}
        onChange={setNumbers}
        badge={(n) => (failing.has(n) ? t.notify.failing : undefined)}
      />
      <Busy busy={save.busy} label={t.save} />
    </form>
  );
};

export const NotificationsSection = () => {
  const { businessId } = useBusiness();
  const business = useBusinessRecord(businessId);
  if (business.error) return <ErrorBox error={business.error} />;
  if (!business.value) return <Loading />;
  return <NotificationsForm key={businessId} business={business.value} onSaved={() => void business.reload()} />;
};
