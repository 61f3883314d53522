/**
 * The person's account (name and email, password, log out everywhere, their data as JSON, deleting their user account), the
 * retention facts, and closing the business with its consequences.
 */
import { useState } from 'preact/hooks';
import { api, data } from '../../api/client';
import { t } from '../../i18n';
import { loadMe, logout } from '../../session';
import { useBusiness } from '../../ui/business';
import { ActionButton, Busy, CurrentPasswordInput, ErrorBox, Loading, NewPasswordInput, Notice, onSubmit, TextInput } from '../../ui/forms';
import { formatDate } from '../../ui/format';
import { download } from '../../ui/download';
import { useAction, useAsync } from '../../ui/hooks';
import { useBusinessRecord } from './business';

const PasswordForm = () => {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const action = useAction();
  return (
    <form
      class="card"
      aria-labelledby="password-title"
      onSubmit={onSubmit(
        () =>
          void action.run(async () => {
            await data(api.POST('/api/v1/auth/password', { body: { currentPassword, newPassword } }));
            setCurrent('');
            setNew('');
            return t.account.passwordChanged;
          }),
      )}
    >
      <h2 id="password-title">{t.account.changePassword}</h2>
      <ErrorBox error={action.error} />
      {action.done && <Notice kind="success">{action.done}</Notice>}
      <CurrentPasswordInput value={currentPassword} onValue={setCurrent} />
      <NewPasswordInput value={newPassword} onValue={setNew} />
      <Busy busy={action.busy} label={t.account.changePassword} />
    </form>
  );
};

const ProfileForm = ({ name: initialName, email: initialEmail }: { name: string; email: string }) => {
  const [name, setName] = useState(initialName);
  const [email, setEmail] = useState(initialEmail);
  const [currentPassword, setCurrent] = useState('');
  const action = useAction();
  const isNewEmail = email.trim().toLowerCase() !== initialEmail.toLowerCase();
  return (
    <form
      class="card"
      aria-labelledby="profile-title"
      onSubmit={onSubmit(
        () =>
          void action.run(async () => {
            const saved = await data(
              api.PATCH('/api/v1/me', { body: { name: name.trim(), ...(isNewEmail ? { email: email.trim(), currentPassword } : {}) } }),
            );
            setCurrent('');
            await loadMe();
            return t.account.profileSaved(!saved.emailVerified);
          }),
      )}
    >
      <h2 id="profile-title">{t.account.profile}</h2>
      <ErrorBox error={action.error} />
      {action.done && <Notice kind="success">{action.done}</Notice>}
      <TextInput label={t.account.name} autoComplete="name" value={name} onValue={setName} />
      <TextInput
        label={t.account.email}
        hint={t.account.emailChangeHint}
        type="email"
        autoComplete="email"
        value={email}
        onValue={setEmail}
      />
      {isNewEmail && <CurrentPasswordInput value={currentPassword} onValue={setCurrent} />}
      <Busy busy={action.busy} label={t.account.saveProfile} />
    </form>
  );
};

const MyData = () => {
  const action = useAction();
  return (
    <section class="card" aria-labelledby="my-data-title">
      <h2 id="my-data-title">{t.account.myData}</h2>
      <p class="hint">{t.account.myDataHint}</p>
      <ErrorBox error={action.error} />
      <ActionButton
        action={action}
        run={async () => {
          const exported = await data(api.GET('/api/v1/me/export'));
          download(new Blob([JSON.stringify(exported, null, 2)], { type: 'application/json' }), 'my-account.json');
        }}
      >
        {t.account.downloadMyData}
      </ActionButton>
    </section>
  );
};

const DeleteMe = () => {
  const [typed, setTyped] = useState('');
  const [currentPassword, setCurrent] = useState('');
  const action = useAction();
  return (
    <section class="card" aria-labelledby="delete-me-title" data-testid="delete-me">
      <h2 id="delete-me-title">{t.account.deleteMe}</h2>
      <p class="hint">{t.account.deleteMeHint}</p>
      <form
        onSubmit={onSubmit(
          () =>
            void action.run(async () => {
              await data(api.DELETE('/api/v1/me', { body: { currentPassword, confirm: true } }));
              await logout();
            }),
        )}
      >
        <ErrorBox error={action.error} />
        <CurrentPasswordInput value={currentPassword} onValue={setCurrent} />
        <TextInput label={t.account.deleteMeConfirmLabel} value={typed} onValue={setTyped} autoComplete="off" />
        <button type="submit" class="danger" disabled={typed.trim() !== 'DELETE' || !currentPassword || action.busy}>
          {t.account.deleteMeButton}
        </button>
      </form>
    </section>
  );
};

const Retention = () => {
  const facts = useAsync(() => data(api.GET('/api/v1/retention')), []);
  if (facts.error) return <ErrorBox error={facts.error} />;
  if (!facts.value) return <Loading />;
  return (
    <section class="card" aria-labelledby="retention-title">
      <h2 id="retention-title">{t.account.retention}</h2>
      <dl class="facts" data-testid="retention">
        {Object.entries(facts.value).map(([key, days]) => (
          <div key={key}>
            <dt>{t.account.retentionRows[key] ?? key}</dt>
            <dd>{t.account.days(days)}</dd>
          </div>
        ))}
      </dl>
      <p>
        <a href="/privacy">{t.footer.privacy}</a>
      </p>
    </section>
  );
};

const CloseAccount = ({ businessId }: { businessId: string }) => {
  const business = useBusinessRecord(businessId);
  // The consequences name this deployment's grace period (0 by default: closing erases at once).
  const retention = useAsync(() => data(api.GET('/api/v1/retention')), []);
  const [typed, setTyped] = useState('');
  const action = useAction();
  if (!business.value || !retention.value) return null;
  const b = business.value;
  return (
    <section class="card danger-zone" aria-labelledby="close-title">
      <h2 id="close-title">{t.account.close}</h2>
      {b.status !== 'active' ? (
        <Notice kind="warning">{t.account.closing(action.done)}</Notice>
      ) : (
        <form
          onSubmit={onSubmit(
            () =>
              void action.run(async () => {
                const closure = await data(
                  api.POST('/api/v1/businesses/{businessId}/close', { params: { path: { businessId } }, body: { confirm: true } }),
                );
                await business.reload();
                return formatDate(closure.purgeAfter);
              }),
          )}
        >
          <ul>
            {t.account.closeConsequences(retention.value.accountClosureDays).map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
          <ErrorBox error={action.error} />
          <TextInput label={t.account.closeConfirmLabel(b.name)} value={typed} onValue={setTyped} autoComplete="off" />
          <button type="submit" class="danger" disabled={typed.trim() !== b.name || action.busy}>
            {t.account.closeButton}
          </button>
        </form>
      )}
    </section>
  );
};

export const AccountSection = () => {
  const { me, businessId, isOwner } = useBusiness();
  const logoutAll = useAction();
  return (
    <div>
      <section class="card" aria-labelledby="you-title">
        <h2 id="you-title">{t.account.you}</h2>
        <p>
          {me.user.name} · {me.user.email}
        </p>
        <ErrorBox error={logoutAll.error} />
        <p class="hint">{t.account.logoutAllHint}</p>
        <button
          type="button"
          class="secondary"
          onClick={() =>
            void logoutAll.run(async () => {
              await data(api.POST('/api/v1/auth/logout-all'));
              await logout();
            })
          }
        >
          {t.account.logoutAll}
        </button>
      </section>
      <ProfileForm name={me.user.name ?? ''} email={me.user.email} />
      <PasswordForm />
      <MyData />
      <Retention />
      {isOwner && businessId && <CloseAccount businessId={businessId} />}
      <DeleteMe />
    </div>
  );
};
