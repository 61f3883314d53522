/** The onboarding checklist: each step with whether it is done, computed from the business's own records. */
import { api, data, type paths } from '../api/client';
import { t } from '../i18n';
import { ErrorBox, Loading } from '../ui/forms';
import { useAsync } from '../ui/hooks';

export type Business = paths['/api/v1/businesses/{businessId}']['get']['responses'][200]['content']['application/json'];

type Step = { key: string; title: string; desc: string; href: string; isDone: boolean; detail?: string };

const stepsOf = (b: Business, channels: number, webhooks: number | undefined): Step[] => [
  {
    key: 'profile',
    title: t.setup.profile,
    desc: t.setup.profileDesc,
    href: '/app/settings/profile',
    isDone: b.niche !== 'general' && b.workingHours.length > 0,
  },
  {
    key: 'ai',
    title: t.setup.ai,
    desc: t.setup.aiDesc,
    href: '/app/settings/profile#ai-mode',
    isDone: true,
    detail: t.profile.aiModes[b.aiMode],
  },
  { key: 'facebook', title: t.setup.facebook, desc: t.setup.facebookDesc, href: '/app/settings/connect', isDone: channels > 0 },
  { key: 'widget', title: t.setup.widget, desc: t.setup.widgetDesc, href: '/app/settings/widget', isDone: b.allowedOrigins.length > 0 },
  {
    key: 'notifications',
    title: t.setup.notifications,
    desc: t.setup.notificationsDesc,
    href: '/app/settings/notifications',
    isDone: b.notifyEmails.length + b.notifyWhatsapp.length > 0,
  },
  ...(webhooks === undefined
    ? []
    : [{ key: 'webhooks', title: t.setup.webhooks, desc: t.setup.webhooksDesc, href: '/app/settings/webhooks', isDone: webhooks > 0 }]),
];

export const Checklist = ({ businessId, isOwner, hideWhenDone }: { businessId: string; isOwner: boolean; hideWhenDone?: boolean }) => {
  const state = useAsync(async () => {
    const path = { params: { path: { businessId } } };
    const [business, channels, webhooks] = await Promise.all([
      data(api.GET('/api/v1/businesses/{businessId}', path)),
      data(api.GET('/api/v1/businesses/{businessId}/channels', path)),
      isOwner ? data(api.GET('/api/v1/businesses/{businessId}/lead-webhooks', path)) : Promise.resolve(undefined),
    ]);
    return stepsOf(business, channels.data.filter((c) => c.status !== 'disconnected').length, webhooks?.length);
  }, [businessId, isOwner]);
  if (state.error) return <ErrorBox error={state.error} />;
  if (!state.value) return <Loading />;
  const required = state.value.filter((s) => s.key !== 'webhooks');
  if (hideWhenDone && required.every((s) => s.isDone)) return null;
  const doneCount = state.value.filter((s) => s.isDone).length;
  return (
    <ol class="checklist" aria-label={`${t.setup.title}: ${doneCount}/${state.value.length}`}>
      {state.value.map((s) => (
        <li key={s.key} class={s.isDone ? 'done' : 'todo'} data-testid={`step-${s.key}`} data-done={String(s.isDone)}>
          <span class="check" aria-hidden="true">
            {s.isDone ? '✓' : '○'}
          </span>
          <div>
            <a href={s.href}>{s.title}</a> <span class={`badge ${s.isDone ? 'ok' : 'warn'}`}>{s.isDone ? t.setup.done : t.setup.todo}</span>
            <p class="muted">
              {s.desc}
              {s.detail ? ` (${s.detail})` : ''}
            </p>
          </div>
        </li>
      ))}
    </ol>
  );
};
