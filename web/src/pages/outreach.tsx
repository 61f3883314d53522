/** Platform staff: outreach campaigns with their numbers per step, pause and resume, CSV import and suppressions. */
import { useState } from 'preact/hooks';
import { api, data, type paths } from '../api/client';
import { t } from '../i18n';
import { useSession } from '../session';
import { Busy, ErrorBox, Loading, Notice, onSubmit, Select, TextInput } from '../ui/forms';
import { useAction, useAsync } from '../ui/hooks';
import { Page } from '../ui/page';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
type Campaign = Json<paths['/api/v1/outreach/campaigns']['get']['responses'][200]>['data'][number];
type ImportReport = Json<paths['/api/v1/outreach/prospects/import']['post']['responses'][200]>;

const CampaignRow = ({ campaign, onChanged }: { campaign: Campaign; onChanged: () => void }) => {
  const s = t.outreach;
  const stats = useAsync(
    () => data(api.GET('/api/v1/outreach/campaigns/{campaignId}/stats', { params: { path: { campaignId: campaign.id } } })),
    [campaign.id, campaign.status],
  );
  const action = useAction();
  const move = (to: 'pause' | 'resume') =>
    action.run(async () => {
      const path = to === 'pause' ? '/api/v1/outreach/campaigns/{campaignId}/pause' : '/api/v1/outreach/campaigns/{campaignId}/resume';
      await data(api.POST(path, { params: { path: { campaignId: campaign.id } } }));
      onChanged();
    });
  const total = stats.value?.total;
  return (
    <tr>
      <td data-label={s.name}>{campaign.name}</td>
      <td data-label={s.status}>{campaign.status}</td>
      <td data-label={s.steps}>{campaign.steps.length}</td>
      <td data-label={s.tracking}>{campaign.isTrackingEnabled ? s.on : s.off}</td>
      <td data-label={s.numbers}>
        {total
          ? `${s.sent} ${total.sent} · ${s.delivered} ${total.delivered} · ${s.opened} ${total.opened} · ${s.clicked} ${total.clicked} · ${s.replied} ${total.replied} · ${s.optedOut} ${total.optedOut} · ${s.bounced} ${total.bounced}`
          : '…'}
      </td>
      <td>
        {campaign.status === 'running' && (
          <button type="button" disabled={action.busy} onClick={() => void move('pause')}>
            {s.pause}
          </button>
        )}
        {campaign.status === 'paused' && (
          <button type="button" disabled={action.busy} onClick={() => void move('resume')}>
            {s.resume}
          </button>
        )}
        <ErrorBox error={action.error} />
      </td>
    </tr>
  );
};

const ImportForm = () => {
  const s = t.outreach;
  const [file, setFile] = useState<File | undefined>(undefined);
  const [report, setReport] = useState<ImportReport | undefined>(undefined);
  const action = useAction();
  const submit = () =>
    action.run(async () => {
      if (!file) return;
      const text = await file.text();
      const result = await data(
        api.POST('/api/v1/outreach/prospects/import', {
          body: text,
          bodySerializer: (b: string) => b,
          headers: { 'content-type': 'text/csv' },
        }),
      );
      setReport(result);
    });
  return (
    <form onSubmit={onSubmit(() => void submit())}>
      <h2>{s.importTitle}</h2>
      <p>{s.importHint}</p>
      <input
        type="file"
        accept=".csv,text/csv"
        aria-label={s.importFile}
        onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0])}
      />
      <Busy busy={action.busy} label={s.importButton} />
      <ErrorBox error={action.error} />
      {report && (
        <Notice kind={report.rejected.length ? 'warning' : 'success'}>
          {s.imported(report.accepted, report.rejected.length)}
          {report.rejected.length > 0 && (
            <ul>
              {report.rejected.slice(0, 20).map((r) => (
                <li key={r.line}>
                  {s.line} {r.line}: {r.email} ({r.reason})
                </li>
              ))}
            </ul>
          )}
        </Notice>
      )}
    </form>
  );
};

const SuppressionForm = () => {
  const s = t.outreach;
  const [kind, setKind] = useState('email');
  const [value, setValue] = useState('');
  const action = useAction();
  const submit = () =>
    action.run(async () => {
      const r = await data(
        api.POST('/api/v1/outreach/suppressions', { body: { kind: kind as 'email' | 'domain', value, reason: 'staff' } }),
      );
      setValue('');
      return s.suppressed(r.stoppedSequences);
    });
  return (
    <form onSubmit={onSubmit(() => void submit())}>
      <h2>{s.suppressTitle}</h2>
      <Select
        label={s.suppressKind}
        value={kind}
        onValue={setKind}
        options={[
          ['email', s.email],
          ['domain', s.domain],
        ]}
      />
      <TextInput label={s.suppressValue} value={value} onValue={setValue} required maxLength={254} />
      <Busy busy={action.busy} label={s.suppressButton} />
      <ErrorBox error={action.error} />
      {action.done && <Notice kind="success">{action.done}</Notice>}
    </form>
  );
};

export const OutreachPage = () => {
  const s = t.outreach;
  const session = useSession();
  const isStaff = session.status === 'signed-in' && Boolean(session.me.user.platformRole);
  const campaigns = useAsync(async () => (isStaff ? data(api.GET('/api/v1/outreach/campaigns')) : undefined), [isStaff]);
  return (
    <Page title={s.title}>
      {!isStaff ? (
        <p class="alert warning">{s.staffOnly}</p>
      ) : (
        <>
          <p>{s.intro}</p>
          <ErrorBox error={campaigns.error} />
          {!campaigns.value && !campaigns.error && <Loading />}
          {campaigns.value && campaigns.value.data.length === 0 && <p>{s.none}</p>}
          {campaigns.value && campaigns.value.data.length > 0 && (
            <div class="table-wrap">
              <table data-testid="campaigns">
                <caption class="visually-hidden">{s.title}</caption>
                <thead>
                  <tr>
                    <th scope="col">{s.name}</th>
                    <th scope="col">{s.status}</th>
                    <th scope="col">{s.steps}</th>
                    <th scope="col">{s.tracking}</th>
                    <th scope="col">{s.numbers}</th>
                    <th scope="col">
                      <span class="visually-hidden">{s.actions}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {campaigns.value.data.map((c) => (
                    <CampaignRow key={c.id} campaign={c} onChanged={() => void campaigns.reload()} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <ImportForm />
          <SuppressionForm />
        </>
      )}
    </Page>
  );
};
