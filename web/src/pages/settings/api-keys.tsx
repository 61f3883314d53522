/** API keys: create (the key is shown once), list by prefix, revoke. */
import { useState } from 'preact/hooks';
import { api, data } from '../../api/client';
import { t } from '../../i18n';
import { useBusiness } from '../../ui/business';
import { ActionButton, Busy, ErrorBox, Loading, Notice, onSubmit, TextInput } from '../../ui/forms';
import { formatDateTime } from '../../ui/format';
import { useAction, useAsync } from '../../ui/hooks';

export const ApiKeysSection = () => {
  const { businessId } = useBusiness();
  const keys = useAsync(
    () => data(api.GET('/api/v1/businesses/{businessId}/api-keys', { params: { path: { businessId } } })),
    [businessId],
  );
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | undefined>(undefined);
  const create = useAction();
  const revoke = useAction();
  return (
    <div>
      <p>{t.apiKeys.intro}</p>
      <form
        class="card"
        onSubmit={onSubmit(
          () =>
            void create.run(async () => {
              const key = await data(
                api.POST('/api/v1/businesses/{businessId}/api-keys', { params: { path: { businessId } }, body: { name } }),
              );
              setCreated(key.key);
              setName('');
              await keys.reload();
            }),
        )}
      >
        <ErrorBox error={create.error} />
        {created && (
          <Notice kind="warning">
            {t.apiKeys.shownOnce} <code data-testid="api-key">{created}</code>
          </Notice>
        )}
        <TextInput label={t.apiKeys.name} required value={name} onValue={setName} />
        <Busy busy={create.busy} label={t.apiKeys.create} />
      </form>
      <ErrorBox error={keys.error ?? revoke.error} />
      {!keys.value && !keys.error && <Loading />}
      {keys.value && keys.value.length === 0 && <p>{t.apiKeys.none}</p>}
      <ul class="list">
        {keys.value?.map((k) => (
          <li key={k.id}>
            <span>
              <strong>{k.name ?? k.prefix}</strong> <code>{k.prefix}…</code>{' '}
              <span class="muted">
                {t.apiKeys.created} {formatDateTime(k.createdAt)} · {t.apiKeys.lastUsed} {formatDateTime(k.lastUsedAt)}
              </span>
              {k.revokedAt && <span class="badge warn">{t.apiKeys.revoked}</span>}
            </span>
            {!k.revokedAt && (
              <ActionButton
                action={revoke}
                confirmText={t.apiKeys.revokeConfirm}
                run={async () => {
                  await data(
                    api.DELETE('/api/v1/businesses/{businessId}/api-keys/{apiKeyId}', {
                      params: { path: { businessId, apiKeyId: k.id } },
                    }),
                  );
                  await keys.reload();
                }}
              >
                {t.apiKeys.revoke}
              </ActionButton>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
};
