/** CRM webhooks: add an endpoint (its signing secret shown once), see each one's delivery log, replay a delivery. */
import { useState } from 'preact/hooks';
import { api, data, type paths } from '../../api/client';
import { t } from '../../i18n';
import { useBusiness } from '../../ui/business';
import { ActionButton, Busy, ErrorBox, Loading, Notice, onSubmit, TextInput } from '../../ui/forms';
import { formatDateTime } from '../../ui/format';
import { useAction, useAsync } from '../../ui/hooks';

type Endpoint = paths['/api/v1/businesses/{businessId}/lead-webhooks']['get']['responses'][200]['content']['application/json'][number];

const Deliveries = ({ businessId, endpoint }: { businessId: string; endpoint: Endpoint }) => {
  const path = { businessId, webhookId: endpoint.id };
  const log = useAsync(
    () => data(api.GET('/api/v1/businesses/{businessId}/lead-webhooks/{webhookId}/deliveries', { params: { path, query: { limit: 25 } } })),
    [businessId, endpoint.id],
  );
  const replay = useAction();
  if (log.error) return <ErrorBox error={log.error} />;
  if (!log.value) return <Loading />;
  if (log.value.data.length === 0) return <p class="muted">{t.webhooks.noDeliveries}</p>;
  return (
    <>
      <ErrorBox error={replay.error} />
      {replay.done && <Notice kind="success">{replay.done}</Notice>}
      <div class="table-wrap">
        <table>
          <caption>{t.webhooks.deliveries}</caption>
          <thead>
            <tr>
              <th scope="col">{t.leads.created}</th>
              <th scope="col">{t.webhooks.events}</th>
              <th scope="col">{t.leads.status}</th>
              <th scope="col">
                <span class="visually-hidden">{t.webhooks.replay}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {log.value.data.map((d) => (
              <tr key={d.id}>
                <td>{formatDateTime(d.at)}</td>
                <td>
                  {d.type} #{d.attempt}
                </td>
                <td>
                  {d.kind === 'gave_up' ? t.webhooks.gaveUp : d.isDelivered ? t.webhooks.delivered : t.webhooks.failed}
                  {d.statusCode !== null && ` (HTTP ${d.statusCode})`}
                  {d.error && <div class="muted">{d.error}</div>}
                </td>
                <td>
                  <ActionButton
                    action={replay}
                    run={async () => {
                      await data(
                        api.POST('/api/v1/businesses/{businessId}/lead-webhooks/{webhookId}/deliveries/{deliveryId}/replay', {
                          params: { path: { ...path, deliveryId: d.id } },
                        }),
                      );
                      await log.reload();
                      return t.webhooks.replayed;
                    }}
                  >
                    {t.webhooks.replay}
                  </ActionButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
};

export const WebhooksSection = () => {
  const { businessId } = useBusiness();
  const list = useAsync(
    () => data(api.GET('/api/v1/businesses/{businessId}/lead-webhooks', { params: { path: { businessId } } })),
    [businessId],
  );
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [secret, setSecret] = useState<string | undefined>(undefined);
  const add = useAction();
  const remove = useAction();
  return (
    <div>
      <p>{t.webhooks.intro}</p>
      <form
        class="card"
        onSubmit={onSubmit(
          () =>
            void add.run(async () => {
              const created = await data(
                api.POST('/api/v1/businesses/{businessId}/lead-webhooks', {
                  params: { path: { businessId } },
                  body: { url, ...(description ? { description } : {}) },
                }),
              );
              setSecret(created.secret);
              setUrl('');
              setDescription('');
              await list.reload();
            }),
        )}
      >
        <ErrorBox error={add.error} />
        {secret && (
          <Notice kind="warning">
            {t.webhooks.secret} <code data-testid="webhook-secret">{secret}</code>
          </Notice>
        )}
        <TextInput
          label={t.webhooks.url}
          type="url"
          required
          value={url}
          onValue={setUrl}
          placeholder="https://crm.example.com/hooks/luxleads"
        />
        <TextInput label={t.webhooks.description} value={description} onValue={setDescription} />
        <Busy busy={add.busy} label={t.webhooks.add} />
      </form>
      <ErrorBox error={list.error ?? remove.error} />
      {list.value && list.value.length === 0 && <p>{t.webhooks.none}</p>}
      {list.value?.map((e) => (
        <section class="card" key={e.id} aria-label={e.url}>
          <h2 class="h3">
            {e.url} {e.status === 'disabled' && <span class="badge warn">{t.webhooks.disabled}</span>}
          </h2>
          {e.description && <p>{e.description}</p>}
          <p class="muted">
            {t.webhooks.events}: {e.events.join(', ')}
          </p>
          <Deliveries businessId={businessId} endpoint={e} />
          <button
            type="button"
            class="danger"
            disabled={remove.busy}
            onClick={() =>
              confirm(t.webhooks.deleteConfirm) &&
              void remove.run(async () => {
                await data(
                  api.DELETE('/api/v1/businesses/{businessId}/lead-webhooks/{webhookId}', {
                    params: { path: { businessId, webhookId: e.id } },
                  }),
                );
                await list.reload();
              })
            }
          >
            {t.webhooks.delete}
          </button>
        </section>
      ))}
    </div>
  );
};
