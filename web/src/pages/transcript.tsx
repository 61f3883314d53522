/** A conversation's messages, oldest first, as a list a screen reader reads in order. */
import type { paths } from '../api/client';
import { t } from '../i18n';
import { formatDateTime } from '../ui/format';

type Detail =
  paths['/api/v1/businesses/{businessId}/conversations/{conversationId}']['get']['responses'][200]['content']['application/json'];
export type Message = Detail['messages']['data'][number];

export const Transcript = ({ messages, label }: { messages: Message[]; label: string }) => (
  <ol class="transcript" aria-label={label}>
    {messages.map((m) => (
      <li key={m.id} class={`msg ${m.direction} ${m.author} status-${m.status}`} data-testid="message" data-author={m.author}>
        <div class="msg-meta">
          <span class="msg-author">{t.inbox.authors[m.author]}</span> <time dateTime={m.at}>{formatDateTime(m.at)}</time>
          {t.inbox.statuses[m.status] && <span class="badge">{t.inbox.statuses[m.status]}</span>}
        </div>
        <p class="msg-text">{m.text}</p>
      </li>
    ))}
  </ol>
);
