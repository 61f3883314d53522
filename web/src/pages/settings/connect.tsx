/**
 * Connecting Facebook Pages (and their Instagram accounts) through Facebook Login. The callback redirects back
 * here with `?pending=<id>`; the owner then picks the Pages. Connected channels can be disconnected.
 */
import { useState } from 'preact/hooks';
import { api, data, type paths } from '../../api/client';
import { t } from '../../i18n';
import { navigate, useLocation } from '../../router';
import { useBusiness } from '../../ui/business';
import { ActionButton, Busy, ErrorBox, Loading, Notice, onSubmit } from '../../ui/forms';
import { formatDateTime } from '../../ui/format';
import { useAction, useAsync } from '../../ui/hooks';

type Pending =
  paths['/api/v1/businesses/{businessId}/meta/connections/{pendingId}']['get']['responses'][200]['content']['application/json'];

const ChoosePages = ({ pending, businessId, onDone }: { pending: Pending; businessId: string; onDone: () => void }) => {
  const [chosen, setChosen] = useState<string[]>(pending.pages.filter((p) => p.canMessage).map((p) => p.id));
  const action = useAction();
  if (pending.pages.length === 0) return <Notice kind="warning">{t.connect.noPages}</Notice>;
  return (
    <form
      class="card"
      onSubmit={onSubmit(
        () =>
          void action.run(async () => {
            await data(
              api.POST('/api/v1/businesses/{businessId}/meta/connections/{pendingId}/pages', {
                params: { path: { businessId, pendingId: pending.pendingId } },
                body: { pageIds: chosen },
              }),
            );
            onDone();
          }),
      )}
    >
      <fieldset>
        <legend>{t.connect.choose}</legend>
        <p class="hint">
          {t.connect.chooseHint} ({formatDateTime(pending.expiresAt)})
        </p>
        <ErrorBox error={action.error} />
        {pending.pages.map((p) => (
          <label class="checkbox" key={p.id}>
            <input
              type="checkbox"
              name="page"
              value={p.id}
              disabled={!p.canMessage}
              checked={chosen.includes(p.id)}
              onChange={(e) => setChosen((e.target as HTMLInputElement).checked ? [...chosen, p.id] : chosen.filter((id) => id !== p.id))}
            />{' '}
            <strong>{p.name || p.id}</strong>
            {p.hasInstagram && <span class="muted"> ({t.connect.withInstagram})</span>}
            {!p.canMessage && <span class="muted"> ({t.connect.cannotMessage})</span>}
          </label>
        ))}
      </fieldset>
      <Busy busy={action.busy || chosen.length === 0} label={t.connect.connectChosen} />
    </form>
  );
};

export const ConnectSection = () => {
  const { businessId } = useBusiness();
  const { query } = useLocation();
  const pendingId = query.get('pending');
  const pending = useAsync(
    async () =>
      pendingId
        ? [
            await data(
              api.GET('/api/v1/businesses/{businessId}/meta/connections/{pendingId}', { params: { path: { businessId, pendingId } } }),
            ),
          ]
        : data(api.GET('/api/v1/businesses/{businessId}/meta/connections', { params: { path: { businessId } } })),
    [businessId, pendingId],
  );
  const channels = useAsync(
    () => data(api.GET('/api/v1/businesses/{businessId}/channels', { params: { path: { businessId } } })),
    [businessId],
  );
  const start = useAction();
  const remove = useAction();

  return (
    <div>
      <p>{t.connect.intro}</p>
      <p class="muted">
        {t.connect.permissions} <a href="/privacy">{t.footer.privacy}</a>
      </p>
      {query.get('error') && <Notice kind="warning">{t.connect.failed}</Notice>}
      <ErrorBox error={start.error} />
      <button
        type="button"
        disabled={start.busy}
        onClick={() =>
          void start.run(async () => {
            const { url } = await data(api.POST('/api/v1/businesses/{businessId}/meta/connect', { params: { path: { businessId } } }));
            window.location.assign(url);
          })
        }
      >
        {start.busy ? t.connect.starting : t.connect.start}
      </button>

      <ErrorBox error={pending.error} />
      {(pending.value ?? []).map((p) => (
        <ChoosePages
          key={p.pendingId}
          pending={p}
          businessId={businessId}
          onDone={() => {
            navigate('/app/settings/connect', { replace: true });
            void channels.reload();
            void pending.reload();
          }}
        />
      ))}

      <section aria-labelledby="channels-title">
        <h2 id="channels-title">{t.connect.connected}</h2>
        <ErrorBox error={channels.error ?? remove.error} />
        {!channels.value && !channels.error && <Loading />}
        {channels.value && channels.value.data.length === 0 && <p>{t.connect.noChannels}</p>}
        <ul class="list" data-testid="channels">
          {channels.value?.data.map((c) => (
            <li key={c.id}>
              <span>
                <strong>{c.name ?? c.externalId}</strong> {t.channels[c.kind] ?? c.kind}{' '}
                <span class={`badge ${c.status === 'connected' ? 'ok' : 'warn'}`}>{t.connect.status[c.status] ?? c.status}</span>
              </span>
              {c.status !== 'disconnected' && (
                <ActionButton
                  action={remove}
                  confirmText={t.connect.disconnectConfirm(c.name ?? c.externalId)}
                  run={async () => {
                    await data(
                      api.DELETE('/api/v1/businesses/{businessId}/channels/{channelId}', {
                        params: { path: { businessId, channelId: c.id } },
                      }),
                    );
                    await channels.reload();
                  }}
                >
                  {t.connect.disconnect}
                </ActionButton>
              )}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
};
