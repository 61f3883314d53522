/**
 * One lead: details, status, notes, assignee, merge, and the conversation it came from. Owner alerts link here
 * (`/app/leads/<id>`); a lead of another of the person's businesses switches to that business.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, data, type paths } from '../api/client';
import { t } from '../i18n';
import { navigate } from '../router';
import { chooseBusiness } from '../session';
import { useBusiness } from '../ui/business';
import { Busy, ErrorBox, Loading, Notice, onSubmit, Select, TextArea, TextInput } from '../ui/forms';
import { formatDateTime } from '../ui/format';
import { useAction, useAsync } from '../ui/hooks';
import { useLiveChanges } from '../ui/live';
import { Page } from '../ui/page';
import { Transcript } from './transcript';

type Lead = paths['/api/v1/businesses/{businessId}/leads/{leadId}']['get']['responses'][200]['content']['application/json'];

const getLead = (businessId: string, leadId: string) =>
  data(api.GET('/api/v1/businesses/{businessId}/leads/{leadId}', { params: { path: { businessId, leadId } } }));

/** The lead in the current business, else in another business of this person (which then becomes current). */
const findLead = async (businessId: string, leadId: string, otherBusinesses: string[]): Promise<Lead | undefined> => {
  try {
    return await getLead(businessId, leadId);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
  }
  for (const other of otherBusinesses) {
    const lead = await getLead(other, leadId).catch(() => undefined);
    if (lead) {
      chooseBusiness(other);
      return lead;
    }
  }
  return undefined;
};

const ConversationOf = ({ businessId, conversationId }: { businessId: string; conversationId: string }) => {
  const conv = useAsync(
    () =>
      data(
        api.GET('/api/v1/businesses/{businessId}/conversations/{conversationId}', {
          params: { path: { businessId, conversationId }, query: { limit: 100 } },
        }),
      ),
    [businessId, conversationId],
  );
  useLiveChanges(businessId, (ids) => ids.includes(conversationId) && void conv.reload());
  if (conv.error) return <ErrorBox error={conv.error} />;
  if (!conv.value) return <Loading />;
  return (
    <section class="card" aria-labelledby={`conv-${conversationId}`}>
      <h2 id={`conv-${conversationId}`}>
        {t.lead.conversation}: {t.channels[conv.value.conversation.channel]}
      </h2>
      <Transcript messages={conv.value.messages.data} label={t.lead.conversation} />
      <p>
        <a href={`/app/inbox/${encodeURIComponent(conversationId)}`}>{t.lead.openInInbox}</a>
      </p>
    </section>
  );
};

const LeadForm = ({ lead, businessId, onSaved }: { lead: Lead; businessId: string; onSaved: () => void }) => {
  const [status, setStatus] = useState<string>(lead.status);
  const [notes, setNotes] = useState(lead.notes ?? '');
  const [assignee, setAssignee] = useState(lead.assignee ?? '');
  const members = useAsync(
    () => data(api.GET('/api/v1/businesses/{businessId}/members', { params: { path: { businessId } } })),
    [businessId],
  );
  const save = useAction();
  useEffect(() => {
    setStatus(lead.status);
    setNotes(lead.notes ?? '');
    setAssignee(lead.assignee ?? '');
  }, [lead.id, lead.updatedAt]);
  return (
    <form
      class="card"
      aria-label={t.lead.details}
      onSubmit={onSubmit(
        () =>
          void save.run(async () => {
            await data(
              api.PATCH('/api/v1/businesses/{businessId}/leads/{leadId}', {
                params: { path: { businessId, leadId: lead.id } },
                body: { status: status as Lead['status'], notes: notes || null, assignee: assignee || null },
              }),
            );
            onSaved();
            return t.saved;
          }),
      )}
    >
      <ErrorBox error={save.error} />
      {save.done && <Notice kind="success">{save.done}</Notice>}
      <Select label={t.leads.status} value={status} onValue={setStatus} options={Object.entries(t.statuses)} />
      <Select
        label={t.lead.assignee}
        value={assignee}
        onValue={setAssignee}
        options={[['', t.lead.unassigned], ...(members.value ?? []).map((m): [string, string] => [m.userId, m.name ?? m.email])]}
      />
      <TextArea label={t.lead.notes} value={notes} onValue={setNotes} />
      <Busy busy={save.busy} label={t.lead.save} />
    </form>
  );
};

const MergeForm = ({ lead, businessId }: { lead: Lead; businessId: string }) => {
  const [into, setInto] = useState('');
  const merge = useAction();
  return (
    <form
      class="card"
      aria-label={t.lead.merge}
      onSubmit={onSubmit(
        () =>
          void merge.run(async () => {
            const kept = await data(
              api.POST('/api/v1/businesses/{businessId}/leads/{leadId}/merge', {
                params: { path: { businessId, leadId: lead.id } },
                body: { intoLeadId: into.trim() },
              }),
            );
            navigate(`/app/leads/${encodeURIComponent(kept.id)}`);
          }),
      )}
    >
      <ErrorBox error={merge.error} />
      <TextInput label={t.lead.merge} hint={t.lead.mergeHint} value={into} onValue={setInto} />
      <Busy busy={merge.busy} label={t.lead.mergeButton} />
    </form>
  );
};

export const LeadPage = ({ leadId }: { leadId: string }) => {
  const { businessId, me } = useBusiness();
  const others = me.memberships.map((m) => m.businessId).filter((id) => id !== businessId);
  const lead = useAsync(() => findLead(businessId, leadId, others), [businessId, leadId]);
  useLiveChanges(businessId, () => void lead.reload());
  const l = lead.value;
  return (
    <Page title={l ? (l.name ?? t.leads.unnamed) : t.leads.title}>
      <p>
        <a href="/app/leads">← {t.lead.back}</a>
      </p>
      <ErrorBox error={lead.error} />
      {lead.isLoading && !l && <Loading />}
      {!lead.isLoading && !lead.error && !l && <p>{t.lead.notFound}</p>}
      {l && (
        <div class="two-col">
          <div>
            {l.mergedInto && (
              <Notice kind="warning">
                {t.lead.mergedInto} <a href={`/app/leads/${encodeURIComponent(l.mergedInto)}`}>{t.lead.openMerged}</a>
              </Notice>
            )}
            <dl class="card facts">
              <dt>{t.leads.status}</dt>
              <dd>
                <span class={`badge status-${l.status}`}>{t.statuses[l.status]}</span>
              </dd>
              <dt>{t.leads.channel}</dt>
              <dd>{t.channels[l.channel] ?? l.channel}</dd>
              <dt>{t.lead.phone}</dt>
              <dd>{l.phone ?? t.none}</dd>
              <dt>{t.lead.email}</dt>
              <dd>{l.email ?? t.none}</dd>
              <dt>{t.leads.enquiry}</dt>
              <dd>{l.enquiry ?? t.none}</dd>
              <dt>{t.lead.enquiryType}</dt>
              <dd>{l.enquiryType}</dd>
              <dt>{t.leads.urgency}</dt>
              <dd>{t.urgencies[l.urgency]}</dd>
              <dt>{t.lead.needsHuman}</dt>
              <dd>{l.needsHuman ? t.yes : t.no}</dd>
              <dt>{t.leads.created}</dt>
              <dd>{formatDateTime(l.createdAt)}</dd>
            </dl>
            <LeadForm lead={l} businessId={businessId} onSaved={() => void lead.reload()} />
            {!l.mergedInto && <MergeForm lead={l} businessId={businessId} />}
          </div>
          <div>
            {l.conversationIds.map((id) => (
              <ConversationOf key={id} businessId={businessId} conversationId={id} />
            ))}
          </div>
        </div>
      )}
    </Page>
  );
};
