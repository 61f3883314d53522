/** The team: who has access and with which role; owners invite by email and remove people. */
import { useState } from 'preact/hooks';
import { api, data } from '../../api/client';
import { t } from '../../i18n';
import { useBusiness } from '../../ui/business';
import { ActionButton, Busy, ErrorBox, Loading, Notice, onSubmit, Select, TextInput } from '../../ui/forms';
import { formatDate } from '../../ui/format';
import { useAction, useAsync } from '../../ui/hooks';

export const TeamSection = () => {
  const { businessId, isOwner, me } = useBusiness();
  const members = useAsync(
    () => data(api.GET('/api/v1/businesses/{businessId}/members', { params: { path: { businessId } } })),
    [businessId],
  );
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('member');
  const invite = useAction();
  const remove = useAction();
  return (
    <div>
      <section aria-labelledby="members-title">
        <h2 id="members-title">{t.team.members}</h2>
        <ErrorBox error={members.error ?? remove.error} />
        {!members.value && !members.error && <Loading />}
        <ul class="list">
          {members.value?.map((m) => (
            <li key={m.userId}>
              <span>
                <strong>{m.name ?? m.email}</strong> {m.name && <span class="muted">{m.email}</span>}{' '}
                <span class="badge">{t.team.roles[m.role]}</span>
                {m.userId === me.user.id && <span class="muted"> ({t.team.you})</span>}
                <span class="muted">
                  {' '}
                  {t.team.since} {formatDate(m.since)}
                </span>
              </span>
              {isOwner && m.userId !== me.user.id && (
                <ActionButton
                  action={remove}
                  confirmText={t.team.removeConfirm(m.name ?? m.email)}
                  run={async () => {
                    await data(
                      api.DELETE('/api/v1/businesses/{businessId}/members/{userId}', {
                        params: { path: { businessId, userId: m.userId } },
                      }),
                    );
                    await members.reload();
                  }}
                >
                  {t.remove}
                </ActionButton>
              )}
            </li>
          ))}
        </ul>
      </section>
      {isOwner && (
        <form
          class="card"
          aria-labelledby="invite-title"
          onSubmit={onSubmit(
            () =>
              void invite.run(async () => {
                await data(
                  api.POST('/api/v1/businesses/{businessId}/members', {
                    params: { path: { businessId } },
                    body: { email, role: role as 'owner' | 'member' },
                  }),
                );
                setEmail('');
                return t.team.invited(email);
              }),
          )}
        >
          <h2 id="invite-title">{t.team.invite}</h2>
          {!me.user.emailVerified && <Notice kind="warning">{t.team.needsVerified}</Notice>}
          <ErrorBox error={invite.error} />
          {invite.done && <Notice kind="success">{invite.done}</Notice>}
          <TextInput label={t.team.inviteEmail} type="email" required value={email} onValue={setEmail} />
          <Select label={t.team.role} value={role} onValue={setRole} options={Object.entries(t.team.roles)} />
          <Busy busy={invite.busy} label={t.team.inviteSend} />
        </form>
      )}
    </div>
  );
};
