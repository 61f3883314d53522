/** The app: boots the session, then picks the page for the address. Signed-out visitors of a private page log in first. */
import { useEffect, useRef } from 'preact/hooks';
import { t } from './i18n';
import { AcceptInvitePage, ForgotPasswordPage, LoginPage, ResetPasswordPage, SignupPage, VerifyEmailPage } from './pages/auth';
import { CompliancePage } from './pages/compliance';
import { OutreachPage } from './pages/outreach';
import { InboxPage } from './pages/inbox';
import { LeadPage } from './pages/lead';
import { LeadsPage } from './pages/leads';
import { OverviewPage } from './pages/overview';
import { SettingsPage } from './pages/settings';
import { SetupPage } from './pages/setup';
import { match, navigate, useLocation } from './router';
import { boot, useSession } from './session';
import { Loading } from './ui/forms';
import { Layout } from './ui/layout';
import { Page } from './ui/page';

const PUBLIC: Record<string, () => preact.JSX.Element> = {
  '/app/login': LoginPage,
  '/app/signup': SignupPage,
  '/app/forgot-password': ForgotPasswordPage,
  '/app/reset-password': ResetPasswordPage,
  '/app/verify-email': VerifyEmailPage,
  '/app/accept-invite': AcceptInvitePage,
};

const NotFound = () => (
  <Page title={t.notFound.title}>
    <p>{t.notFound.body}</p>
    <p>
      <a href="/app">{t.notFound.home}</a>
    </p>
  </Page>
);

const privatePage = (path: string) => {
  if (path === '/app') return <OverviewPage />;
  if (path === '/app/inbox') return <InboxPage />;
  let p = match('/app/inbox/:conversationId', path);
  if (p) return <InboxPage conversationId={p.conversationId!} />;
  if (path === '/app/leads') return <LeadsPage />;
  p = match('/app/leads/:leadId', path);
  if (p) return <LeadPage leadId={p.leadId!} />;
  if (path === '/app/setup') return <SetupPage />;
  // Facebook Login returns here (api/routes/meta-connect.ts redirects the callback with ?pending=…).
  if (path === '/app/connect/facebook') return <SettingsPage section="connect" />;
  if (path === '/app/settings') return <SettingsPage section="profile" />;
  // Stripe Checkout and the customer portal return here (api/billing/routes.ts).
  if (path === '/app/billing') return <SettingsPage section="billing" />;
  p = match('/app/settings/:section', path);
  if (p) return <SettingsPage section={p.section!} />;
  if (path === '/app/compliance') return <CompliancePage />;
  if (path === '/app/outreach') return <OutreachPage />;
  return <NotFound />;
};

export const App = () => {
  const session = useSession();
  const { path, query } = useLocation();
  useEffect(() => {
    void boot();
  }, []);
  const publicPage = PUBLIC[path];
  const isAuthOnly = ['/app/login', '/app/signup', '/app/forgot-password'].includes(path);

  const previous = useRef(session.status);
  useEffect(() => {
    if (session.status === 'signed-out' && !publicPage) {
      navigate(`/app/login?next=${encodeURIComponent(path + (query.size ? `?${query}` : ''))}`, { replace: true });
    }
    // Opened the login page with a live login: go on. (After logging in on the page, the page itself navigates.)
    if (previous.current === 'loading' && session.status === 'signed-in' && isAuthOnly) navigate('/app', { replace: true });
    previous.current = session.status;
  }, [session.status, path]);

  if (session.status === 'loading') return <Loading />;
  if (publicPage) {
    const Public = publicPage;
    return <Public />;
  }
  if (session.status !== 'signed-in') return <Loading />;
  return <Layout>{privatePage(path)}</Layout>;
};
