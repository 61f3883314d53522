/**
 * The inbox: conversations across channels, updated live; one conversation's transcript with who is answering,
 * take over / hand back, replies as a person with Meta's reply windows counted down, and drafts to approve.
 */
import { useState } from 'preact/hooks';
import { api, data, type paths } from '../api/client';
import { t } from '../i18n';
import { useBusiness } from '../ui/business';
import { ActionButton, Busy, ErrorBox, Loading, Notice, onSubmit, Select, TextArea } from '../ui/forms';
import { formatDateTime, formatDuration } from '../ui/format';
import { useAction, useAsync, useNow } from '../ui/hooks';
import { useLiveChanges } from '../ui/live';
import { Page } from '../ui/page';
import { Transcript, type Message } from './transcript';

type ConversationList = paths['/api/v1/businesses/{businessId}/conversations']['get']['responses'][200]['content']['application/json'];
type ListItem = ConversationList['data'][number];
type Conversation =
  paths['/api/v1/businesses/{businessId}/conversations/{conversationId}']['get']['responses'][200]['content']['application/json']['conversation'];
type ListQuery = NonNullable<paths['/api/v1/businesses/{businessId}/conversations']['get']['parameters']['query']>;

const HUMAN_AGENT_MS = 7 * 24 * 3600 * 1000;

/** Which Meta reply rule applies now: the 24-hour window, the 7-day HUMAN_AGENT allowance, or none. */
export const replyWindow = (c: Conversation, now: number) => {
  if (c.channel === 'web') return { kind: 'web' as const };
  const windowEnd = c.windowExpiresAt ? Date.parse(c.windowExpiresAt) : 0;
  if (now < windowEnd) return { kind: 'open' as const, leftMs: windowEnd - now };
  const humanEnd = c.lastInboundAt ? Date.parse(c.lastInboundAt) + HUMAN_AGENT_MS : 0;
  if (now < humanEnd) return { kind: 'human-agent' as const, leftMs: humanEnd - now };
  return { kind: 'closed' as const };
};

const WindowInfo = ({ conversation }: { conversation: Conversation }) => {
  const now = useNow(1000);
  const w = replyWindow(conversation, now);
  const text =
    w.kind === 'web'
      ? t.inbox.windowWeb
      : w.kind === 'open'
        ? t.inbox.windowOpen(formatDuration(w.leftMs))
        : w.kind === 'human-agent'
          ? t.inbox.windowHuman(formatDuration(w.leftMs))
          : t.inbox.windowClosed;
  return (
    <div class={`window window-${w.kind}`} data-testid="reply-window">
      {/* The countdown itself is not a live region: announcing it every second would drown everything else. */}
      <p>{text}</p>
      {w.kind !== 'web' && (
        <details>
          <summary>HUMAN_AGENT</summary>
          <p>{t.inbox.humanAgentInfo}</p>
        </details>
      )}
    </div>
  );
};

const DraftCard = ({ message, businessId, onDone }: { message: Message; businessId: string; onDone: () => void }) => {
  const [text, setText] = useState(message.text);
  const action = useAction();
  const path = { businessId, conversationId: message.conversationId, messageId: message.id };
  return (
    <form
      class="card draft"
      onSubmit={onSubmit(
        () =>
          void action.run(async () => {
            const edited = text.trim() !== message.text.trim();
            await data(
              api.POST('/api/v1/businesses/{businessId}/conversations/{conversationId}/drafts/{messageId}/approve', {
                params: { path },
                body: edited ? { text } : {},
              }),
            );
            onDone();
          }),
      )}
    >
      <ErrorBox error={action.error} />
      <TextArea label={t.inbox.draft} value={text} onValue={setText} />
      <div class="row">
        <Busy busy={action.busy} label={t.inbox.approve} />
        <ActionButton
          action={action}
          run={async () => {
            await data(
              api.DELETE('/api/v1/businesses/{businessId}/conversations/{conversationId}/drafts/{messageId}', { params: { path } }),
            );
            onDone();
          }}
        >
          {t.inbox.discard}
        </ActionButton>
      </div>
    </form>
  );
};

const ConversationView = ({ businessId, conversationId }: { businessId: string; conversationId: string }) => {
  const detail = useAsync(
    () =>
      data(
        api.GET('/api/v1/businesses/{businessId}/conversations/{conversationId}', {
          params: { path: { businessId, conversationId }, query: { limit: 100 } },
        }),
      ),
    [businessId, conversationId],
  );
  useLiveChanges(businessId, (ids) => ids.includes(conversationId) && void detail.reload());
  const [reply, setReply] = useState('');
  const control = useAction();
  const send = useAction();
  if (detail.error) return <ErrorBox error={detail.error} />;
  if (!detail.value) return <Loading />;
  const c = detail.value.conversation;
  const messages = detail.value.messages.data;
  const drafts = messages.filter((m) => m.status === 'draft');
  const path = { businessId, conversationId };
  const isPaused = c.mode === 'paused';
  const window = replyWindow(c, Date.now());

  return (
    <section class="conversation" aria-labelledby="conversation-title">
      <header class="conversation-head">
        <h2 id="conversation-title">
          {t.channels[c.channel]} · {formatDateTime(c.lastMessageAt)}
        </h2>
        <p data-testid="conversation-mode">
          <span class={`badge mode-${c.mode}`}>{t.inbox.modes[c.mode]}</span>
          {isPaused && c.pausedUntil && <span class="muted"> {t.inbox.pausedUntil(formatDateTime(c.pausedUntil))}</span>}
        </p>
        {c.leadId && (
          <p>
            <a href={`/app/leads/${encodeURIComponent(c.leadId)}`}>{t.inbox.openLead}</a>
          </p>
        )}
        <ErrorBox error={control.error} />
        <div class="row">
          {isPaused ? (
            <button
              type="button"
              disabled={control.busy}
              onClick={() =>
                void control.run(async () => {
                  await data(
                    api.POST('/api/v1/businesses/{businessId}/conversations/{conversationId}/resume', { params: { path }, body: {} }),
                  );
                  await detail.reload();
                })
              }
            >
              {t.inbox.handBack}
            </button>
          ) : (
            <button
              type="button"
              disabled={control.busy || c.mode === 'off'}
              onClick={() =>
                void control.run(async () => {
                  await data(
                    api.POST('/api/v1/businesses/{businessId}/conversations/{conversationId}/pause', { params: { path }, body: {} }),
                  );
                  await detail.reload();
                })
              }
            >
              {t.inbox.takeOver}
            </button>
          )}
        </div>
        {isPaused && <Notice>{t.inbox.takenOver}</Notice>}
      </header>
      <Transcript messages={messages.filter((m) => m.status !== 'draft')} label={t.inbox.title} />
      {drafts.length > 0 && (
        <section aria-label={t.inbox.drafts}>
          <h3>{t.inbox.drafts}</h3>
          {drafts.map((m) => (
            <DraftCard key={m.id} message={m} businessId={businessId} onDone={() => void detail.reload()} />
          ))}
        </section>
      )}
      <WindowInfo conversation={c} />
      <form
        class="reply"
        aria-label={t.inbox.reply}
        onSubmit={onSubmit(
          () =>
            void send.run(async () => {
              const sent = await data(
                api.POST('/api/v1/businesses/{businessId}/conversations/{conversationId}/reply', {
                  params: { path },
                  body: { text: reply },
                }),
              );
              setReply('');
              await detail.reload();
              return sent && 'delivery' in sent ? t.inbox.unconfirmed : undefined;
            }),
        )}
      >
        <ErrorBox error={send.error} />
        {send.done && <Notice kind="warning">{send.done}</Notice>}
        <TextArea label={t.inbox.replyLabel} value={reply} onValue={setReply} rows={3} />
        <Busy busy={send.busy || window.kind === 'closed'} label={t.inbox.send} busyLabel={send.busy ? t.inbox.sending : undefined} />
      </form>
    </section>
  );
};

const URGENT = new Set(['high', 'emergency']);

const ConversationItem = ({ c, current }: { c: ListItem; current: boolean }) => (
  <li>
    <a
      href={`/app/inbox/${encodeURIComponent(c.id)}`}
      aria-current={current ? 'page' : undefined}
      class={`conv-item${c.needsReview ? ' needs-review' : ''}`}
      data-testid="conversation-item"
    >
      <span class="conv-who">
        <span class={c.leadName ? 'conv-name' : 'conv-name muted'}>{c.leadName ?? t.inbox.unnamed}</span>
        <span class="conv-channel">{t.channels[c.channel]}</span>
      </span>
      <span class="conv-time">{formatDateTime(c.lastMessageAt)}</span>
      {c.lastMessage && (
        <span class="conv-preview" data-testid="conversation-preview">
          <span class="conv-from">{t.inbox.lastFrom[c.lastMessage.author]}:</span> {c.lastMessage.preview}
        </span>
      )}
      <span class="conv-badges">
        <span class={`badge mode-${c.mode}`}>{t.inbox.modes[c.mode]}</span>
        {c.needsReview && <span class="badge warn">{t.inbox.needsReview}</span>}
        {c.urgency && URGENT.has(c.urgency) && <span class="badge urgent">{t.inbox.urgency(t.urgencies[c.urgency]!)}</span>}
      </span>
    </a>
  </li>
);

export const InboxPage = ({ conversationId }: { conversationId?: string }) => {
  const { businessId } = useBusiness();
  const [channel, setChannel] = useState('');
  const [state, setState] = useState('');
  const [urgency, setUrgency] = useState('');
  const query: ListQuery = {
    limit: 50,
    ...(channel ? { channel: channel as ListQuery['channel'] } : {}),
    ...(urgency ? { urgency: urgency as ListQuery['urgency'] } : {}),
    ...(state === 'review' ? { needsReview: 'true' } : state ? { mode: state as ListQuery['mode'] } : {}),
  };
  const list = useAsync(
    () => data(api.GET('/api/v1/businesses/{businessId}/conversations', { params: { path: { businessId }, query } })),
    [businessId, channel, state, urgency],
  );
  useLiveChanges(businessId, () => void list.reload());
  const conversations = list.value?.data ?? [];

  return (
    <Page title={t.inbox.title}>
      <div class={`inbox${conversationId ? ' has-open' : ''}`}>
        <div class="inbox-list">
          <div class="filters compact">
            <Select
              label={t.inbox.filterChannel}
              value={channel}
              onValue={setChannel}
              options={[['', t.inbox.all], ...Object.entries(t.channels)]}
            />
            <Select
              label={t.inbox.filterState}
              value={state}
              onValue={setState}
              options={[
                ['', t.inbox.all],
                ['review', t.inbox.needsReview],
                ['auto', t.inbox.modes.auto!],
                ['paused', t.inbox.modes.paused!],
              ]}
            />
            <Select
              label={t.inbox.filterUrgency}
              value={urgency}
              onValue={setUrgency}
              options={[['', t.inbox.all], ...Object.entries(t.urgencies).reverse()]}
            />
          </div>
          <ErrorBox error={list.error} />
          {list.isLoading && !list.value && <Loading />}
          {list.value && conversations.length === 0 && <p>{channel || state || urgency ? t.inbox.noMatch : t.inbox.empty}</p>}
          <ul class="conv-list" aria-label={t.inbox.title} aria-live="polite">
            {conversations.map((c) => (
              <ConversationItem key={c.id} c={c} current={c.id === conversationId} />
            ))}
          </ul>
        </div>
        <div class="inbox-detail">
          {conversationId ? (
            <>
              <p class="back-link">
                <a href="/app/inbox">← {t.inbox.back}</a>
              </p>
              <ConversationView businessId={businessId} conversationId={conversationId} />
            </>
          ) : (
            <p class="muted">{t.inbox.choose}</p>
          )}
        </div>
      </div>
    </Page>
  );
};
