/** Platform compliance staff: every rights and deletion request, overdue first, with its steps and due date. */
import { api, data } from '../api/client';
import { t } from '../i18n';
import { useSession } from '../session';
import { ErrorBox, Loading } from '../ui/forms';
import { formatDateTime } from '../ui/format';
import { useAsync } from '../ui/hooks';
import { Page } from '../ui/page';

export const CompliancePage = () => {
  const session = useSession();
  const role = session.status === 'signed-in' ? session.me.user.platformRole : null;
  const isAllowed = role === 'compliance' || role === 'admin';
  const requests = useAsync(
    async () => (isAllowed ? data(api.GET('/api/v1/compliance/rights-requests', { params: { query: { limit: 200 } } })) : undefined),
    [isAllowed],
  );
  const now = Date.now();
  return (
    <Page title={t.compliance.title}>
      {!isAllowed ? (
        <p class="alert warning">{t.compliance.staffOnly}</p>
      ) : (
        <>
          <p>{t.compliance.intro}</p>
          <ErrorBox error={requests.error} />
          {!requests.value && !requests.error && <Loading />}
          {requests.value && requests.value.data.length === 0 && <p>{t.compliance.none}</p>}
          {requests.value && requests.value.data.length > 0 && (
            <div class="table-wrap">
              <table data-testid="requests">
                <caption class="visually-hidden">{t.compliance.title}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.compliance.kind}</th>
                    <th scope="col">{t.compliance.status}</th>
                    <th scope="col">{t.compliance.business}</th>
                    <th scope="col">{t.compliance.received}</th>
                    <th scope="col">{t.compliance.due}</th>
                    <th scope="col">{t.compliance.steps}</th>
                  </tr>
                </thead>
                <tbody>
                  {requests.value.data.map((r) => {
                    const isOverdue = !r.completedAt && (r.overdueAt !== null || Date.parse(r.dueAt) < now);
                    return (
                      <tr key={r.id} class={isOverdue ? 'overdue' : ''}>
                        <td data-label={t.compliance.kind}>
                          <a href={r.statusUrl}>{r.kind}</a> <span class="muted">({r.source})</span>
                        </td>
                        <td data-label={t.compliance.status}>
                          {r.status} {isOverdue && <span class="badge warn">{t.compliance.overdue}</span>}
                        </td>
                        <td data-label={t.compliance.business}>{r.businessId ?? t.compliance.allBusinesses}</td>
                        <td data-label={t.compliance.received}>{formatDateTime(r.receivedAt)}</td>
                        <td data-label={t.compliance.due}>{formatDateTime(r.dueAt)}</td>
                        <td data-label={t.compliance.steps}>
                          <ol class="steps">
                            {r.steps.map((s) => (
                              <li key={s.name + s.at}>
                                {s.name} <span class="muted">{formatDateTime(s.at)}</span>
                              </li>
                            ))}
                          </ol>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </Page>
  );
};
