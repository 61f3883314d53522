/** Settings: one page per section with a section menu; owner-only sections are neither listed nor shown to members. */
import type { FunctionComponent } from 'preact';
import { t } from '../i18n';
import { useBusiness } from '../ui/business';
import { Page } from '../ui/page';
import { AccountSection } from './settings/account';
import { ApiKeysSection } from './settings/api-keys';
import { BillingSection } from './settings/billing';
import { ConnectSection } from './settings/connect';
import { NotificationsSection } from './settings/notifications';
import { ProfileSection } from './settings/profile';
import { TeamSection } from './settings/team';
import { WebhooksSection } from './settings/webhooks';
import { WidgetSection } from './settings/widget';

type Section = { key: string; title: string; ownerOnly: boolean; needsBusiness: boolean; Component: FunctionComponent };
const SECTIONS: Section[] = [
  { key: 'profile', title: t.settings.sections.profile, ownerOnly: false, needsBusiness: true, Component: ProfileSection },
  { key: 'connect', title: t.settings.sections.connect, ownerOnly: true, needsBusiness: true, Component: ConnectSection },
  { key: 'widget', title: t.settings.sections.widget, ownerOnly: true, needsBusiness: true, Component: WidgetSection },
  { key: 'notifications', title: t.settings.sections.notifications, ownerOnly: true, needsBusiness: true, Component: NotificationsSection },
  { key: 'webhooks', title: t.settings.sections.webhooks, ownerOnly: true, needsBusiness: true, Component: WebhooksSection },
  { key: 'team', title: t.settings.sections.team, ownerOnly: false, needsBusiness: true, Component: TeamSection },
  { key: 'api-keys', title: t.settings.sections.apiKeys, ownerOnly: true, needsBusiness: true, Component: ApiKeysSection },
  { key: 'billing', title: t.settings.sections.billing, ownerOnly: true, needsBusiness: true, Component: BillingSection },
  { key: 'account', title: t.settings.sections.account, ownerOnly: false, needsBusiness: false, Component: AccountSection },
];

export const SettingsPage = ({ section }: { section: string }) => {
  const { isOwner, businessId } = useBusiness();
  const visible = SECTIONS.filter((s) => (!s.ownerOnly || isOwner) && (!s.needsBusiness || businessId));
  const current = SECTIONS.find((s) => s.key === section);
  const isAllowed = current && visible.includes(current);
  return (
    <Page title={current ? current.title : t.settings.title}>
      <div class="settings">
        <nav aria-label={t.settings.title} class="subnav">
          <ul>
            {visible.map((s) => (
              <li key={s.key}>
                <a href={`/app/settings/${s.key}`} aria-current={s.key === section ? 'page' : undefined}>
                  {s.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="settings-body">
          {!current && <p>{t.notFound.body}</p>}
          {current && !isAllowed && (
            <p class="alert warning" data-testid="owner-only">
              {t.ownerOnly}
            </p>
          )}
          {current && isAllowed && <current.Component />}
        </div>
      </div>
    </Page>
  );
};
