/** Overview: leads per day (stacked bars drawn as SVG), per channel, median first reply, waiting conversations, reconnects. */
import { useState } from 'preact/hooks';
import { api, data, type paths } from '../api/client';
import { t } from '../i18n';
import { useBusiness } from '../ui/business';
import { ErrorBox, Loading, Select } from '../ui/forms';
import { useAsync } from '../ui/hooks';
import { useLiveChanges } from '../ui/live';
import { Page } from '../ui/page';
import { Checklist } from './checklist';

type Overview = paths['/api/v1/businesses/{businessId}/overview']['get']['responses'][200]['content']['application/json'];
const CHANNELS = ['messenger', 'instagram', 'web'] as const;

const DayChart = ({ o }: { o: Overview }) => {
  const days = o.leadsPerDay;
  const max = Math.max(1, ...days.map((d) => d.total));
  const w = 24;
  const h = 120;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${days.length * w} ${h + 20}`} role="img" aria-labelledby="chart-title chart-desc" preserveAspectRatio="none">
        <title id="chart-title">{t.overview.leadsPerDay}</title>
        <desc id="chart-desc">{t.overview.leadsPerDayDesc(o.leadCount, days.length)}</desc>
        {days.map((d, i) => {
          let y = h;
          return (
            <g key={d.date}>
              <title>{t.overview.dayLabel(d.date, d.total)}</title>
              {CHANNELS.map((c) => {
                const bar = (d[c] / max) * h;
                y -= bar;
                return bar > 0 ? <rect key={c} class={`bar-${c}`} x={i * w + 3} y={y} width={w - 6} height={bar} /> : null;
              })}
            </g>
          );
        })}
      </svg>
      <figcaption class="legend">
        {CHANNELS.map((c) => (
          <span key={c} class={`key key-${c}`}>
            {t.channels[c]}
          </span>
        ))}
      </figcaption>
      {/* The same numbers as a table, for screen readers and for copying. */}
      <details>
        <summary>{t.overview.leadsPerDay}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{t.overview.date}</th>
              {CHANNELS.map((c) => (
                <th key={c} scope="col">
                  {t.channels[c]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.date}>
                <th scope="row">{d.date}</th>
                {CHANNELS.map((c) => (
                  <td key={c}>{d[c]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
};

export const OverviewPage = () => {
  const { businessId, isOwner } = useBusiness();
  const [days, setDays] = useState('14');
  const o = useAsync(
    () => data(api.GET('/api/v1/businesses/{businessId}/overview', { params: { path: { businessId }, query: { days: Number(days) } } })),
    [businessId, days],
  );
  useLiveChanges(businessId, () => void o.reload());
  const v = o.value;
  return (
    <Page title={t.overview.title}>
      <section aria-label={t.overview.checklistTitle}>
        <Checklist businessId={businessId} isOwner={isOwner} hideWhenDone />
      </section>
      <div class="filters compact">
        <Select
          label={t.overview.period(Number(days))}
          value={days}
          onValue={setDays}
          options={['7', '14', '30', '90'].map((d) => [d, t.overview.period(Number(d))])}
        />
      </div>
      <ErrorBox error={o.error} />
      {!v && !o.error && <Loading />}
      {v && (
        <>
          <div class="stats">
            <div class="stat">
              <span class="stat-label">{t.overview.leads}</span>
              <span class="stat-value" data-testid="stat-leads">
                {v.leadCount}
              </span>
            </div>
            <div class="stat">
              <span class="stat-label">{t.overview.firstReply}</span>
              <span class="stat-value">
                {v.medianFirstReplySeconds === null ? t.overview.noReplies : t.overview.seconds(v.medianFirstReplySeconds)}
              </span>
            </div>
            <div class="stat">
              <span class="stat-label">{t.overview.waiting}</span>
              <span class="stat-value">
                <a href="/app/inbox">{v.waitingForPerson}</a>
              </span>
            </div>
          </div>
          <section class="card" aria-labelledby="per-day">
            <h2 id="per-day">{t.overview.leadsPerDay}</h2>
            <DayChart o={v} />
          </section>
          <section class="card" aria-labelledby="per-channel">
            <h2 id="per-channel">{t.overview.byChannel}</h2>
            <ul class="bars">
              {CHANNELS.map((c) => (
                <li key={c}>
                  <span class="bar-label">{t.channels[c]}</span>
                  <meter min={0} max={Math.max(1, v.leadCount)} value={v.leadsByChannel[c]} aria-label={t.channels[c]} />
                  <span>{v.leadsByChannel[c]}</span>
                </li>
              ))}
            </ul>
          </section>
          <section class="card" aria-labelledby="reconnect">
            <h2 id="reconnect">{t.overview.reconnect}</h2>
            {v.channelsNeedingReconnect.length === 0 ? (
              <p>{t.overview.reconnectNone}</p>
            ) : (
              <ul>
                {v.channelsNeedingReconnect.map((c) => (
                  <li key={c.id}>
                    {c.name ?? c.id} ({t.channels[c.kind] ?? c.kind}) {c.statusReason && <span class="muted">{c.statusReason}</span>}{' '}
                    {isOwner && <a href="/app/settings/connect">{t.overview.reconnectAction}</a>}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </Page>
  );
};
