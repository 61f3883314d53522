/** The signed-in frame: skip link, header with navigation and business switcher, main area, footer with the legal pages. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api, data } from '../api/client';
import { t } from '../i18n';
import { useLocation } from '../router';
import { chooseBusiness, logout, membershipOf, useSession } from '../session';
import { loadBilling } from './billing';
import { formatDate } from './format';
import { useAction, useAsync } from './hooks';

export const Footer = () => (
  <footer class="site-footer">
    <nav aria-label={t.footer.label}>
      <a href="/privacy">{t.footer.privacy}</a>
      <a href="/data-deletion">{t.footer.deletion}</a>
      <a href="/terms">{t.footer.terms}</a>
    </nav>
    <p>{t.footer.identity(new Date().getFullYear())}</p>
  </footer>
);

const NavLink = ({ href, label, current }: { href: string; label: string; current: boolean }) => (
  <li>
    <a href={href} aria-current={current ? 'page' : undefined}>
      {label}
    </a>
  </li>
);

const VerifyBanner = () => {
  const action = useAction();
  return (
    <div class="banner" role="status">
      <span>{t.auth.unverifiedBanner}</span>{' '}
      {action.done ? (
        <span>{action.done}</span>
      ) : (
        <button
          type="button"
          class="link"
          disabled={action.busy}
          onClick={() =>
            void action.run(async () => {
              await data(api.POST('/api/v1/auth/verify-email/resend'));
              return t.auth.resent;
            })
          }
        >
          {t.auth.resend}
        </button>
      )}
    </div>
  );
};

/** Past due or paused: the assistant is about to stop, or has stopped, answering customers. Owners get the way to fix it. */
const BillingBanner = ({ businessId, isOwner }: { businessId: string; isOwner: boolean }) => {
  const { path } = useLocation();
  const billing = useAsync(() => loadBilling(businessId).catch(() => undefined), [businessId, path === '/app/billing']);
  const v = billing.value;
  if (!v || (v.status !== 'past_due' && v.status !== 'paused')) return null;
  return (
    <div class="banner billing" role="status" data-testid="billing-banner">
      <span>{v.status === 'past_due' && v.graceEndsAt ? t.billing.bannerPastDue(formatDate(v.graceEndsAt)) : t.billing.bannerPaused}</span>{' '}
      {isOwner ? <a href="/app/billing">{t.billing.bannerLink}</a> : <span>{t.billing.bannerAskOwner}</span>}
    </div>
  );
};

export const Layout = ({ children }: { children: ComponentChildren }) => {
  const session = useSession();
  const { path } = useLocation();
  const [isMenuOpen, setMenuOpen] = useState(false);
  if (session.status !== 'signed-in') return <>{children}</>;
  const membership = membershipOf(session);
  const isStaff = Boolean(session.me.user.platformRole);
  // /app/billing (where Stripe sends the owner back) is the settings section "Plan and billing".
  const here = path === '/app/billing' ? '/app/settings/billing' : path;
  const is = (prefix: string) => (prefix === '/app' ? here === '/app' : here === prefix || here.startsWith(`${prefix}/`));
  const items: [string, string][] = [
    ['/app', t.nav.overview],
    ['/app/inbox', t.nav.inbox],
    ['/app/leads', t.nav.leads],
    ['/app/setup', t.nav.setup],
    ['/app/settings', t.nav.settings],
  ];
  if (isStaff) items.push(['/app/compliance', t.nav.compliance], ['/app/outreach', t.nav.outreach]);
  const shown = membership ? items : items.filter(([href]) => ['/app/compliance', '/app/outreach', '/app/settings'].includes(href));

  return (
    <div class="shell">
      <a class="skip" href="#main">
        {t.skipToContent}
      </a>
      <header class="site-header">
        <a class="brand" href="/app">
          {t.appName}
        </a>
        <button
          type="button"
          class="menu-toggle"
          aria-expanded={isMenuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen(!isMenuOpen)}
        >
          {t.nav.menu}
        </button>
        <nav id="main-nav" aria-label={t.nav.label} class={isMenuOpen ? 'open' : ''} onClick={() => setMenuOpen(false)}>
          <ul>
            {shown.map(([href, label]) => (
              <NavLink key={href} href={href} label={label} current={is(href)} />
            ))}
          </ul>
        </nav>
        <div class="header-tools">
          {session.me.memberships.length > 1 && (
            <label class="business-switch">
              <span class="visually-hidden">{t.nav.business}</span>
              <select
                aria-label={t.nav.business}
                value={session.businessId}
                onChange={(e) => chooseBusiness((e.target as HTMLSelectElement).value)}
              >
                {session.me.memberships.map((m) => (
                  <option key={m.businessId} value={m.businessId}>
                    {m.businessName ?? m.businessId}
                  </option>
                ))}
              </select>
            </label>
          )}
          {session.me.memberships.length === 1 && <span class="business-name">{membership?.businessName}</span>}
          <button type="button" class="secondary" onClick={() => void logout()}>
            {t.nav.logout}
          </button>
        </div>
      </header>
      {!session.me.user.emailVerified && <VerifyBanner />}
      {membership && <BillingBanner businessId={membership.businessId} isOwner={membership.role === 'owner'} />}
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <Footer />
    </div>
  );
};
