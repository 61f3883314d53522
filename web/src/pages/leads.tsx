/** Leads: filters kept in the address (so back and forward work), live updates, paging and CSV export. */
import { useState } from 'preact/hooks';
import { api, authedFetch, data, type paths } from '../api/client';
import { t } from '../i18n';
import { navigate, useLocation } from '../router';
import { useBusiness } from '../ui/business';
import { ErrorBox, Loading, onSubmit, Select, TextInput } from '../ui/forms';
import { formatDateTime } from '../ui/format';
import { download } from '../ui/download';
import { useAction, useAsync } from '../ui/hooks';
import { useLiveChanges } from '../ui/live';
import { Page } from '../ui/page';

type LeadList = paths['/api/v1/businesses/{businessId}/leads']['get']['responses'][200]['content']['application/json'];
export type Lead = LeadList['data'][number];
type LeadQuery = NonNullable<paths['/api/v1/businesses/{businessId}/leads']['get']['parameters']['query']>;
const FILTERS = ['q', 'status', 'channel', 'urgency', 'from', 'to'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

const filtersOf = (query: URLSearchParams): Filters => {
  const out: Filters = {};
  for (const k of FILTERS) {
    const v = query.get(k);
    if (v) out[k] = v;
  }
  return out;
};
const options = (labels: Record<string, string>): [string, string][] => [['', t.leads.any], ...Object.entries(labels)];

export const LeadsPage = () => {
  const { businessId } = useBusiness();
  const { query } = useLocation();
  const filters = filtersOf(query);
  const key = JSON.stringify(filters);
  const [draft, setDraft] = useState<Filters>(filters);
  const [more, setMore] = useState<{ rows: Lead[]; cursor: string | null } | undefined>(undefined);
  const exporting = useAction();

  const first = useAsync(async () => {
    setMore(undefined);
    return data(
      api.GET('/api/v1/businesses/{businessId}/leads', {
        params: { path: { businessId }, query: { ...(filters as LeadQuery), limit: 50 } },
      }),
    );
  }, [businessId, key]);
  useLiveChanges(businessId, () => void first.reload());

  const rows = [...(first.value?.data ?? []), ...(more?.rows ?? [])];
  const nextCursor = more ? more.cursor : (first.value?.nextCursor ?? null);
  const loadMore = async () => {
    if (!nextCursor) return;
    const page = await data(
      api.GET('/api/v1/businesses/{businessId}/leads', {
        params: { path: { businessId }, query: { ...(filters as LeadQuery), limit: 50, cursor: nextCursor } },
      }),
    );
    setMore({ rows: [...(more?.rows ?? []), ...page.data], cursor: page.nextCursor });
  };
  const apply = () => {
    const q = new URLSearchParams(Object.entries(draft).filter(([, v]) => v) as [string, string][]);
    navigate(`/app/leads${q.size ? `?${q}` : ''}`);
  };
  const exportCsv = () =>
    exporting.run(async () => {
      const url = new URL(`/api/v1/businesses/${encodeURIComponent(businessId)}/leads/export.csv`, location.origin);
      for (const [k, v] of Object.entries(filters)) url.searchParams.set(k, v);
      const res = await authedFetch(new Request(url));
      if (!res.ok) throw new Error(`${t.leads.export}: HTTP ${res.status}`);
      download(await res.blob(), `leads-${new Date().toISOString().slice(0, 10)}.csv`);
    });

  return (
    <Page
      title={t.leads.title}
      actions={
        <button type="button" onClick={() => void exportCsv()} disabled={exporting.busy} aria-busy={exporting.busy || undefined}>
          {exporting.busy ? t.leads.exporting : t.leads.export}
        </button>
      }
    >
      <ErrorBox error={exporting.error} />
      <form class="filters" role="search" aria-label={t.leads.filters} onSubmit={onSubmit(apply)}>
        <TextInput
          label={t.leads.search}
          hint={t.leads.searchHint}
          type="search"
          value={draft.q ?? ''}
          onValue={(q) => setDraft({ ...draft, q })}
        />
        <Select
          label={t.leads.status}
          value={draft.status ?? ''}
          onValue={(status) => setDraft({ ...draft, status })}
          options={options(t.statuses)}
        />
        <Select
          label={t.leads.channel}
          value={draft.channel ?? ''}
          onValue={(channel) => setDraft({ ...draft, channel })}
          options={options(t.channels)}
        />
        <Select
          label={t.leads.urgency}
          value={draft.urgency ?? ''}
          onValue={(urgency) => setDraft({ ...draft, urgency })}
          options={options(t.urgencies)}
        />
        <TextInput label={t.leads.from} type="date" value={draft.from ?? ''} onValue={(from) => setDraft({ ...draft, from })} />
        <TextInput label={t.leads.to} type="date" value={draft.to ?? ''} onValue={(to) => setDraft({ ...draft, to })} />
        <div class="filter-actions">
          <button type="submit">{t.leads.apply}</button>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setDraft({});
              navigate('/app/leads');
            }}
          >
            {t.leads.reset}
          </button>
        </div>
      </form>
      <ErrorBox error={first.error} />
      {first.isLoading && !first.value && <Loading />}
      {first.value && rows.length === 0 && <p>{t.leads.empty}</p>}
      {rows.length > 0 && (
        <div class="table-wrap">
          <table class="leads">
            <caption class="visually-hidden">
              {t.leads.title} ({t.leads.live})
            </caption>
            <thead>
              <tr>
                <th scope="col">{t.leads.name}</th>
                <th scope="col">{t.leads.contact}</th>
                <th scope="col">{t.leads.channel}</th>
                <th scope="col">{t.leads.status}</th>
                <th scope="col">{t.leads.urgency}</th>
                <th scope="col">{t.leads.created}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((lead) => (
                <tr key={lead.id} data-testid="lead-row">
                  <td data-label={t.leads.name}>
                    <a href={`/app/leads/${encodeURIComponent(lead.id)}`}>{lead.name ?? t.leads.unnamed}</a>
                    {lead.enquiry && <div class="muted">{lead.enquiry}</div>}
                  </td>
                  <td data-label={t.leads.contact}>{[lead.phone, lead.email].filter(Boolean).join(' · ') || t.none}</td>
                  <td data-label={t.leads.channel}>{t.channels[lead.channel] ?? lead.channel}</td>
                  <td data-label={t.leads.status}>
                    <span class={`badge status-${lead.status}`}>{t.statuses[lead.status]}</span>
                  </td>
                  <td data-label={t.leads.urgency}>{t.urgencies[lead.urgency]}</td>
                  <td data-label={t.leads.created}>{formatDateTime(lead.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor && (
        <button type="button" class="secondary" onClick={() => void loadMore()}>
          {t.leads.more}
        </button>
      )}
    </Page>
  );
};
